import { useId, useState } from 'react';
import type { AuthoringApi, Draft } from '../../api/authoring';
import type { Problem } from '../../api/client';
import { saveFile } from '../../lib/download';
import { toProblem } from '../../lib/useResource';
import { ConfirmButton } from './ConfirmButton';
import type { DraftEditor } from './useDraft';

export interface BundlePanelProps {
  api: Pick<AuthoringApi, 'downloadBundle' | 'uploadBundle'>;
  draft: Draft;
  change: DraftEditor['change'];
}

/**
 * The draft as a bundle zip (docs/CONTENT.md), the same files `practica export` writes, to keep
 * in git or edit elsewhere; and a zip uploaded in its place, checked whole by the server (nothing
 * changes unless all of it is valid), its problems listed by file and line.
 */
export function BundlePanel({ api, draft, change }: BundlePanelProps) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<string | null>) {
    setBusy(true);
    setMessage('');
    setProblem(null);
    try {
      const done = await action();
      if (done) setMessage(done);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  function download() {
    void act(async () => {
      const saved = await api.downloadBundle(draft.slug);
      saveFile(saved.blob, saved.filename ?? `${draft.slug}.zip`);
      return 'The zip is downloading.';
    });
  }

  function upload() {
    if (!file) return;
    return act(async () => {
      const next = await change((revision) => api.uploadBundle(draft.slug, revision, file));
      return next
        ? `The draft is now the course in ${file.name}: publish it to show learners.`
        : null;
    });
  }

  return (
    <section className="bundle" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Course bundle</h2>
      <p className="field-help">
        The draft as a zip of the bundle format (course.yaml and a Markdown file per lesson), as{' '}
        <code>practica export</code> writes it.
      </p>
      <p className="form-actions">
        <button type="button" className="button" onClick={download} disabled={busy}>
          Download the draft as a zip
        </button>
      </p>
      <div className="field">
        <label htmlFor={`${id}-file`}>Upload a zip to replace the draft</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".zip,application/zip"
          aria-describedby={`${id}-hint`}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <p id={`${id}-hint`} className="field-help">
          Up to 50 MiB; its course.yaml must have the slug <code>{draft.slug}</code>.
        </p>
      </div>
      <p className="form-actions">
        <ConfirmButton
          className="button"
          question="Replace the whole draft with the course in the zip?"
          confirmLabel="Replace the draft"
          onConfirm={upload}
          disabled={busy || file === null}
        >
          Upload the zip
        </ConfirmButton>
      </p>
      <p role="status">{message}</p>
      <div role="alert" className="form-alert-region">
        {problem && (
          <div className="form-error">
            <p>{problem.detail ?? problem.title}</p>
            {problem.errors && problem.errors.length > 0 && (
              <ul>
                {problem.errors.map((error, index) => (
                  <li key={index}>
                    <code>{error.field}</code>: {error.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
