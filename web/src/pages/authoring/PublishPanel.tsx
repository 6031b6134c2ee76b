import { useRef, useState } from 'react';
import type { AuthoredCourse, AuthoringApi, CourseVersion, Draft } from '../../api/authoring';
import type { Problem } from '../../api/client';
import { ProblemView } from '../../components/StatusViews';
import { plural } from '../../lib/plural';
import { toProblem, useResource } from '../../lib/useResource';
import { Link, paths } from '../../router/router';
import { ConfirmButton } from './ConfirmButton';
import { dateTime, statusText } from './names';
import type { DraftEditor } from './useDraft';

export interface PublishPanelProps {
  api: Pick<AuthoringApi, 'publish' | 'unpublish' | 'listVersions' | 'rollback'>;
  draft: Draft;
  editor: Pick<DraftEditor, 'guard' | 'update' | 'reload'>;
}

/** The head of the course a publish, unpublish or rollback answered, for the draft to take. */
function head(course: AuthoredCourse): Partial<Draft> {
  const { slug, title, owners, revision, latest_version, live_version, status } = course;
  return {
    slug,
    title,
    owners,
    ...(revision === null ? {} : { revision }),
    latest_version,
    live_version,
    status,
    unpublished_changes: course.unpublished_changes,
    updated_at: course.updated_at,
  };
}

/**
 * Publishing: make the draft the version learners see (each publish is a new version, never
 * rewritten), take the course out of the catalog, and the versions with a rollback to any of
 * them (asked first), which publishes that version's content again as a new version.
 */
export function PublishPanel({ api, draft, editor }: PublishPanelProps) {
  const course = draft.slug;
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const versions = useResource(
    `versions\n${course}\n${draft.latest_version}\n${draft.live_version}`,
    (signal) => api.listVersions(course, signal),
  );
  const publishButton = useRef<HTMLButtonElement>(null);

  async function act(action: () => Promise<string | null>) {
    setBusy(true);
    setProblem(null);
    setMessage('');
    try {
      const done = await action();
      if (done) setMessage(done);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  function publish() {
    void act(async () => {
      const published = await editor.guard((revision) => api.publish(course, revision));
      if (!published) return null;
      editor.update(head(published.course));
      return `Published version ${published.version}: learners see it now.`;
    });
  }

  function unpublish() {
    return act(async () => {
      const { course: unpublished } = await api.unpublish(course);
      editor.update(head(unpublished));
      publishButton.current?.focus();
      return 'Unpublished: the course has left the catalog. Its versions and learners’ progress are kept.';
    });
  }

  function rollback(version: number) {
    return act(async () => {
      const published = await editor.guard((revision) => api.rollback(course, revision, version));
      if (!published) return null;
      // The draft is now that version's content.
      editor.reload();
      publishButton.current?.focus();
      return `Rolled back: version ${published.version}, the content of version ${version}, is live and is the draft.`;
    });
  }

  const canPublish = draft.unpublished_changes || draft.live_version === null;
  return (
    <section className="publish" aria-labelledby="publish-title">
      <h2 id="publish-title">Publishing</h2>
      <p>
        <strong>{statusText(draft)}.</strong>{' '}
        {draft.live_version !== null && (
          <Link to={paths.course(course)}>See it as learners do</Link>
        )}
      </p>
      <p className="form-actions">
        <button
          type="button"
          ref={publishButton}
          className="button button-primary"
          aria-disabled={busy || !canPublish}
          aria-describedby={canPublish ? undefined : 'publish-nothing'}
          onClick={() => {
            if (!busy && canPublish) publish();
          }}
        >
          {busy ? 'Working…' : 'Publish the draft'}
        </button>
        {!canPublish && (
          <span id="publish-nothing" className="field-help">
            The live version is the draft: nothing to publish.
          </span>
        )}
        {draft.live_version !== null && (
          <ConfirmButton
            className="button"
            question="Take the course out of the catalog? Learners keep their progress for when it returns."
            confirmLabel="Unpublish"
            onConfirm={unpublish}
            disabled={busy}
          >
            Unpublish
          </ConfirmButton>
        )}
      </p>
      <p role="status" className="publish-message">
        {message}
      </p>
      <div role="alert" className="form-alert-region">
        {problem && <PublishProblem problem={problem} draft={draft} />}
      </div>
      <h3 id="versions-title">Versions</h3>
      {versions.state === 'loading' && <p className="field-help">Loading the versions…</p>}
      {versions.state === 'error' && (
        <ProblemView problem={versions.problem} onRetry={versions.reload} />
      )}
      {versions.state === 'ready' &&
        (versions.data.items.length === 0 ? (
          <p className="empty">No version yet: publishing makes version 1.</p>
        ) : (
          <VersionTable versions={versions.data.items} busy={busy} onRollback={rollback} />
        ))}
    </section>
  );
}

const kSources: Record<CourseVersion['source'], string> = {
  publish: 'published',
  rollback: 'rollback',
  import: 'imported',
  adopt: 'taken in',
};

function VersionTable({
  versions,
  busy,
  onRollback,
}: {
  versions: CourseVersion[];
  busy: boolean;
  onRollback: (version: number) => Promise<void>;
}) {
  return (
    <div className="table-scroll">
      <table className="versions" aria-labelledby="versions-title">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">When</th>
            <th scope="col">How</th>
            <th scope="col">Content</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr key={version.version}>
              <th scope="row">
                {version.version}
                {version.live && (
                  <>
                    {' '}
                    <span className="badge badge-on">live</span>
                  </>
                )}
              </th>
              <td>{dateTime(version.published_at)}</td>
              <td>{kSources[version.source] ?? version.source}</td>
              <td>
                {plural(version.lesson_count, 'lesson')},{' '}
                {plural(version.exercise_count, 'exercise')}
              </td>
              <td>
                {!version.live && (
                  <ConfirmButton
                    label={`Roll back to version ${version.version}`}
                    question={`Publish version ${version.version}’s content again as a new version? It also replaces the draft: changes not published are lost.`}
                    confirmLabel={`Roll back to version ${version.version}`}
                    onConfirm={() => onRollback(version.version)}
                    disabled={busy}
                  >
                    Roll back
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why publishing failed; a draft that is no valid bundle lists its problems by lesson. */
function PublishProblem({ problem, draft }: { problem: Problem; draft: Draft }) {
  return (
    <div className="form-error">
      <p>{problem.detail ?? problem.title}</p>
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((error, index) => (
            <li key={index}>
              {placeInCourse(draft, error.field)}: {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "lessons[1].exercises[0]" → "Lesson “Spread”"; other paths as they are. */
export function placeInCourse(draft: Draft, field: string): string {
  const match = /^lessons\[(\d+)\]/.exec(field);
  const lesson = match ? draft.lessons[Number(match[1])] : undefined;
  if (lesson) return `Lesson “${lesson.title}”`;
  return field === 'course' ? 'The course' : field;
}
