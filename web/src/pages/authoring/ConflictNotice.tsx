import { useEffect, useId, useRef, useState } from 'react';
import type { Conflict } from './useDraft';

export interface ConflictNoticeProps {
  conflict: Conflict;
  onReload: () => void;
  onDismiss: () => void;
}

/**
 * "Someone else changed this course": the change was refused (412), nothing of it was saved. The
 * author reloads to see the other change; what they had typed stays here, read-only, to copy
 * into the reloaded editor, until they dismiss the notice.
 */
export function ConflictNotice({ conflict, onReload, onDismiss }: ConflictNoticeProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState('');
  const { unsaved, reloaded = false } = conflict;

  // The notice interrupts what the author was doing: move them to it (once).
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    if (!unsaved) return;
    try {
      await navigator.clipboard.writeText(unsaved.text);
      setCopied('Copied.');
    } catch {
      setCopied('Copying is not allowed here: select the text and copy it.');
    }
  }

  return (
    <section className="conflict" role="alert" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Someone else changed this course: reload
      </h2>
      <p>
        The course changed since this page loaded it, so your change was not saved.{' '}
        {reloaded
          ? 'The page now shows the course as it is.'
          : 'Reload to see the course as it is now, then make your change again.'}
        {unsaved && ' What you had typed is kept below.'}
      </p>
      {unsaved && (
        <div className="field">
          <label htmlFor={`${id}-text`}>Your unsaved text: {unsaved.label}</label>
          <textarea
            id={`${id}-text`}
            className="conflict-text"
            readOnly
            rows={Math.min(12, unsaved.text.split('\n').length + 1)}
            value={unsaved.text}
          />
        </div>
      )}
      <p className="form-actions">
        <button type="button" className="button button-primary" onClick={onReload}>
          Reload the course
        </button>
        {unsaved && (
          <button type="button" className="button" onClick={() => void copy()}>
            Copy your text
          </button>
        )}
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
        <span role="status" className="form-status">
          {copied}
        </span>
      </p>
    </section>
  );
}
