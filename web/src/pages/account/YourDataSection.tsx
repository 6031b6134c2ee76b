import { useState } from 'react';
import type { AccountApi } from '../../api/client';
import { FormAlert } from '../../forms/FormAlert';
import { PasswordConfirmForm } from '../../forms/PasswordConfirmForm';
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
    <PasswordConfirmForm
      passwordLabel="Your password, to confirm"
      submitLabel="Delete my account for good"
      busyLabel="Deleting…"
      refusedStatuses={[401, 403]}
      onConfirm={(password) => client.deleteMe(password)}
      onCancel={() => setOpen(false)}
    >
      <p>
        <strong>This cannot be undone.</strong> Your profile, progress and history will be deleted
        and you will be signed out. Download your data first if you want to keep it.
      </p>
    </PasswordConfirmForm>
  );
}
