import { useId, useState, type ReactNode } from 'react';
import { kMaxGiftBytes, type AuthoringApi, type Draft } from '../../api/authoring';
import type { Problem } from '../../api/client';
import { saveFile } from '../../lib/download';
import { plural } from '../../lib/plural';
import { toProblem } from '../../lib/useResource';
import { Link, paths } from '../../router/router';
import { ConfirmButton } from './ConfirmButton';
import type { DraftEditor } from './useDraft';

export interface GiftPanelProps {
  api: Pick<AuthoringApi, 'downloadGift' | 'uploadGift'>;
  draft: Draft;
  change: DraftEditor['change'];
}

/** What went wrong, as the panel shows it: the server's problem, said for this action. */
interface Failure {
  action: 'download' | 'upload';
  problem: Problem;
}

/**
 * The draft's exercises as a Moodle GIFT question bank (docs/CONTENT.md, "Moodle GIFT"), to take
 * into Moodle or any quiz tool that reads GIFT; and a GIFT file's questions in place of the
 * draft's lessons, checked whole by the server (nothing changes unless all of it can be read),
 * its problems listed by line.
 */
export function GiftPanel({ api, draft, change }: GiftPanelProps) {
  const id = useId();
  const [leaveOut, setLeaveOut] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [skip, setSkip] = useState(false);
  const [message, setMessage] = useState('');
  const [notes, setNotes] = useState<string[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: Failure['action'], run: () => Promise<string | null>) {
    setBusy(true);
    setMessage('');
    setNotes([]);
    setFailure(null);
    try {
      const done = await run();
      if (done) setMessage(done);
    } catch (error) {
      setFailure({ action, problem: toProblem(error) });
    } finally {
      setBusy(false);
    }
  }

  function download() {
    void act('download', async () => {
      const saved = await api.downloadGift(draft.slug, leaveOut);
      saveFile(saved.blob, saved.filename ?? `${draft.slug}.gift`);
      return leaveOut
        ? 'The GIFT file is downloading, without what GIFT cannot hold.'
        : 'The GIFT file is downloading.';
    });
  }

  function upload() {
    if (!file) return;
    return act('upload', async () => {
      if (file.size > kMaxGiftBytes) {
        throw new Error(`${file.name} is larger than 8 MiB, the most a GIFT upload can be.`);
      }
      let problems: string[] = [];
      const next = await change(async (revision) => {
        const { gift_problems, ...answer } = await api.uploadGift(draft.slug, revision, file, skip);
        problems = gift_problems ?? [];
        return answer;
      });
      if (!next) return null;
      setNotes(problems);
      const lessons = plural(next.lessons.length, 'lesson');
      return `The draft's lessons are now the ${lessons} of ${file.name}: publish it to show learners.`;
    });
  }

  return (
    <section className="bundle gift" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Moodle GIFT</h2>
      <p className="field-help">
        The draft&rsquo;s exercises as a Moodle GIFT question bank, a <code>$CATEGORY</code> per
        lesson, as <code>practica export-gift</code> writes it.
      </p>
      <div className="check-field">
        <input
          id={`${id}-leave-out`}
          type="checkbox"
          checked={leaveOut}
          onChange={(event) => setLeaveOut(event.target.checked)}
        />
        <label htmlFor={`${id}-leave-out`}>Leave out what GIFT cannot hold</label>
      </div>
      <p className="form-actions">
        <button type="button" className="button" onClick={download} disabled={busy}>
          Download as GIFT
        </button>
      </p>
      <div className="field">
        <label htmlFor={`${id}-file`}>Import a GIFT file…</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".gift,.txt,text/plain"
          aria-describedby={`${id}-hint`}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <p id={`${id}-hint`} className="field-help">
          Up to 8 MiB. Its questions replace the draft&rsquo;s lessons, a lesson per{' '}
          <code>$CATEGORY</code>; the course&rsquo;s details stay.
        </p>
      </div>
      <div className="check-field">
        <input
          id={`${id}-skip`}
          type="checkbox"
          checked={skip}
          onChange={(event) => setSkip(event.target.checked)}
        />
        <label htmlFor={`${id}-skip`}>Skip what Practica cannot represent</label>
      </div>
      <p className="form-actions">
        <ConfirmButton
          className="button"
          question={
            <>
              Replace the draft&rsquo;s {plural(draft.lessons.length, 'lesson')} with the questions
              in {file?.name ?? 'the file'}?
            </>
          }
          confirmLabel="Replace the lessons"
          onConfirm={upload}
          disabled={busy || file === null}
        >
          Import the GIFT file
        </ConfirmButton>
      </p>
      <div role="status">
        {message && <p>{message}</p>}
        {notes.length > 0 && (
          <>
            <p>{notes.length === 1 ? 'One thing' : `${notes.length} things`} to know:</p>
            <ul className="gift-notes">
              {notes.map((note, index) => (
                <li key={index}>{note}</li>
              ))}
            </ul>
          </>
        )}
      </div>
      <div role="alert" className="form-alert-region">
        {failure && (
          <FailureView
            failure={failure}
            course={draft.slug}
            fileName={file?.name ?? null}
            skip={skip}
          />
        )}
      </div>
    </section>
  );
}

function FailureView({
  failure: { action, problem },
  course,
  fileName,
  skip,
}: {
  failure: Failure;
  course: string;
  fileName: string | null;
  skip: boolean;
}) {
  const errors = problem.status === 400 ? (problem.errors ?? []) : [];
  if (errors.length === 0) {
    return (
      <div className="form-error">
        <p>{problem.detail ?? problem.title}</p>
      </div>
    );
  }
  let lead: ReactNode;
  if (action === 'download') {
    lead = (
      <>
        GIFT cannot hold {errors.length === 1 ? 'this' : 'these'}: change{' '}
        {errors.length === 1 ? 'it' : 'them'}, or tick &ldquo;Leave out what GIFT cannot hold&rdquo;
        to download the rest.
      </>
    );
  } else {
    const file = fileName ?? 'The file';
    const count = plural(errors.length, 'problem');
    lead = skip
      ? `${file} has ${count}; nothing was changed.`
      : `${file} has ${count}; nothing was changed. Questions Practica cannot represent can be skipped with “Skip what Practica cannot represent”.`;
  }
  return (
    <div className="form-error">
      <p>{lead}</p>
      <ul>
        {errors.map((error, index) => (
          <li key={index}>
            {action === 'download' ? (
              <ExerciseName field={error.field} course={course} />
            ) : (
              <LineName field={error.field} />
            )}
            : {error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "exercise p1" as a link to its editor; anything else (the course as a whole) as it came. */
function ExerciseName({ field, course }: { field: string; course: string }) {
  const exercise = /^exercise (.+)$/.exec(field)?.[1];
  if (exercise === undefined) return <code>{field}</code>;
  return (
    <>
      Exercise <Link to={paths.authoringExercise(course, exercise)}>{exercise}</Link>
    </>
  );
}

/** "algebra.gift:12" as "Line 12"; a problem of the whole file as the server names it. */
function LineName({ field }: { field: string }) {
  const line = /:(\d+)$/.exec(field)?.[1];
  return line === undefined ? <code>{field}</code> : <>Line {line}</>;
}
