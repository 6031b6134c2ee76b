import type { FormEvent, ReactNode } from 'react';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { useFormAction } from './useFormAction';

interface PasswordConfirmFormProps {
  /** What confirming does, shown above the password field. */
  children: ReactNode;
  passwordLabel: string;
  submitLabel: string;
  busyLabel: string;
  /** HTTP statuses by which the server says the password is wrong. */
  refusedStatuses: readonly number[];
  /** Sends the request with the password typed; its problem, if it fails, shows in the form. */
  onConfirm: (password: string) => Promise<void>;
  onCancel: () => void;
}

/** A dangerous action confirmed with the account's password: intro, password, do it or cancel. */
export function PasswordConfirmForm({
  children,
  passwordLabel,
  submitLabel,
  busyLabel,
  refusedStatuses,
  onConfirm,
  onCancel,
}: PasswordConfirmFormProps) {
  const form = useFormAction(['password'], {
    statusFields: Object.fromEntries(refusedStatuses.map((status) => [status, 'password'])),
    statusMessages: Object.fromEntries(
      refusedStatuses.map((status) => [status, 'This is not your password.']),
    ),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    void form.run(() => onConfirm(password));
  }

  return (
    <form ref={form.formRef} className="form" onSubmit={submit}>
      {children}
      <FormAlert errors={form.errors} />
      <Field label={passwordLabel} errors={form.errors.fields.password}>
        {(control) => (
          <input
            {...control}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            // The user asked for this form: start in it.
            autoFocus
          />
        )}
      </Field>
      <p className="form-actions">
        <button type="submit" className="button button-danger" disabled={form.busy}>
          {form.busy ? busyLabel : submitLabel}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            form.clear();
            onCancel();
          }}
        >
          Cancel
        </button>
      </p>
    </form>
  );
}
