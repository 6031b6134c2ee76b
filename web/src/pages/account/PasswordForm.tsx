import { useState, type FormEvent } from 'react';
import type { AccountApi } from '../../api/client';
import { Field } from '../../forms/Field';
import { FormAlert } from '../../forms/FormAlert';
import { useFormAction } from '../../forms/useFormAction';

/** Changing the password, which signs the account out everywhere else. */
export function PasswordForm({ client }: { client: AccountApi }) {
  const form = useFormAction(['current_password', 'new_password'], {
    statusFields: { 401: 'current_password', 403: 'current_password' },
    statusMessages: {
      401: 'This is not your current password.',
      403: 'This is not your current password.',
    },
  });
  const [done, setDone] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const data = new FormData(element);
    setDone('');
    void form.run(async () => {
      await client.changePassword(
        String(data.get('current_password') ?? ''),
        String(data.get('new_password') ?? ''),
      );
      element.reset();
      setDone('Your password has been changed. Your other devices have been signed out.');
    });
  }

  return (
    <form ref={form.formRef} className="form" onSubmit={submit}>
      <FormAlert errors={form.errors} />
      <Field label="Current password" errors={form.errors.fields.current_password}>
        {(control) => (
          <input
            {...control}
            name="current_password"
            type="password"
            autoComplete="current-password"
            required
          />
        )}
      </Field>
      <Field
        label="New password"
        errors={form.errors.fields.new_password}
        hint="At least 8 characters. Commonly used passwords are refused."
      >
        {(control) => (
          <input
            {...control}
            name="new_password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
          />
        )}
      </Field>
      <p className="form-actions">
        <button type="submit" className="button button-primary" disabled={form.busy}>
          {form.busy ? 'Changing…' : 'Change password'}
        </button>
        <span role="status" className="form-status">
          {done}
        </span>
      </p>
    </form>
  );
}
