import { useState, type FormEvent } from 'react';
import type { AccountApi } from '../../api/client';
import { Field } from '../../forms/Field';
import { FormAlert } from '../../forms/FormAlert';
import { useFormAction } from '../../forms/useFormAction';
import { saveFile } from '../../lib/download';

const kExportFile = 'practica-export.json';

/** GET /api/me/export, saved as a file. */
export function ExportData({ client }: { client: AccountApi }) {
  const form = useFormAction([]);
  const [status, setStatus] = useState('');

  function download() {
    setStatus('');
    void form.run(async () => {
      saveFile(await client.exportMyData(), kExportFile);
      setStatus(`Your data is saved as ${kExportFile}.`);
    });
  }

  return (
    <>
      <p>
        Everything Practica keeps about you (your profile, progress, attempts and reviews) as one
        JSON file.
      </p>
      <FormAlert errors={form.errors} />
      <p className="form-actions">
        <button type="button" className="button" onClick={download} disabled={form.busy}>
          {form.busy ? 'Preparing your data…' : 'Download my data'}
        </button>
        <span role="status" className="form-status">
          {status}
        </span>
      </p>
    </>
  );
}

/** DELETE /api/me, confirmed with the password; the app then signs out. */
export function DeleteAccount({ client }: { client: AccountApi }) {
  const [open, setOpen] = useState(false);
  const form = useFormAction(['password'], {
    statusFields: { 401: 'password', 403: 'password' },
    statusMessages: { 401: 'This is not your password.', 403: 'This is not your password.' },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    void form.run(() => client.deleteMe(password));
  }

  if (!open) {
    return (
      <>
        <p>Deleting your account removes your profile, progress and history for good.</p>
        <p>
          <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
            Delete my account…
          </button>
        </p>
      </>
    );
  }
  return (
    <form ref={form.formRef} className="form" onSubmit={submit}>
      <p>
        <strong>This cannot be undone.</strong> Your profile, progress and history will be deleted
        and you will be signed out. Download your data first if you want to keep it.
      </p>
      <FormAlert errors={form.errors} />
      <Field label="Your password, to confirm" errors={form.errors.fields.password}>
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
          {form.busy ? 'Deleting…' : 'Delete my account for good'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            form.clear();
            setOpen(false);
          }}
        >
          Cancel
        </button>
      </p>
    </form>
  );
}
