import { useId, type ReactNode } from 'react';

export interface TextAnswerProps {
  kind: 'number' | 'text';
  label: string;
  describedBy: string;
  onText: (text: string) => void;
  /** Extra help under the field (for example the variables a formula may use). */
  help?: ReactNode;
  className?: string;
  /** Id of a message saying what is wrong with the text: marks the field invalid. */
  errorId?: string;
}

/** One labelled field for answers typed by the learner (numbers, words, formulas). */
export function TextAnswer({
  kind,
  label,
  describedBy,
  onText,
  help,
  className,
  errorId,
}: TextAnswerProps) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className={`text-answer ${className ?? ''}`.trim()}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={kind}
        step={kind === 'number' ? 'any' : undefined}
        inputMode={kind === 'number' ? 'decimal' : undefined}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[errorId, describedBy, help ? helpId : undefined]
          .filter(Boolean)
          .join(' ')}
        onChange={(event) => onText(event.target.value)}
      />
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
    </div>
  );
}
