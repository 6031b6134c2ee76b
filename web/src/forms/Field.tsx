import { useId, type ReactNode } from 'react';

/** What a field gives its control so the label, hint and errors belong to it. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

export interface FieldProps {
  label: ReactNode;
  /** Messages shown under the control; the control is marked invalid while there are any. */
  errors?: string[];
  hint?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled form control with its hint and its error messages, announced with it. */
export function Field({ label, errors, hint, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ');
  return (
    <div className={errorId ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': errorId ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {errorId && (
        <p id={errorId} className="field-error">
          {errors?.join(' ')}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-help">
          {hint}
        </p>
      )}
    </div>
  );
}
