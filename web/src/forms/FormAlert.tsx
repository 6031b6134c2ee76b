import type { FormErrors } from './problemErrors';

/** The form-wide message of a failed submission; announced when it appears. */
export function FormAlert({ errors }: { errors: FormErrors }) {
  return (
    <div role="alert" className="form-alert-region">
      {errors.form && <p className="form-error">{errors.form}</p>}
    </div>
  );
}
