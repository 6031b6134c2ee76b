import { useId, useMemo, useState, type FormEvent } from 'react';
import type { AuthoringApi, Draft, DraftLesson, ExerciseForm } from '../../api/authoring';
import type { ExerciseType, Session, User } from '../../api/client';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { StaffOnly } from '../../components/StaffOnly';
import { StaffProblemView } from '../../components/StaffProblemView';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { FormAlert } from '../../forms/FormAlert';
import { isStaff } from '../../lib/roles';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { Link, navigate, paths } from '../../router/router';
import { kMfaReason } from './AuthoringCoursesPage';
import { ConfirmButton } from './ConfirmButton';
import { ConflictNotice } from './ConflictNotice';
import { Select, TextInput } from './controls';
import { CommonFieldsEditor, SpecEditor } from './ExerciseFields';
import {
  canonical,
  formPaths,
  fromJson,
  kExerciseTypes,
  kTypeNames,
  newExercise,
  newSpec,
  toJson,
  type ExerciseFormState,
} from './exerciseForm';
import { TryItPanel } from './TryItPanel';
import { useDraft, type DraftEditor } from './useDraft';
import { useEditAction } from './useEditAction';
import { useLeaveWarning } from './useLeaveWarning';
import './authoring.css';

export type ExerciseEditorApi = Pick<
  AuthoringApi,
  | 'getDraft'
  | 'getExercise'
  | 'addExercise'
  | 'updateExercise'
  | 'deleteExercise'
  | 'tryExercise'
  | 'preview'
>;

export interface ExerciseEditorPageProps {
  api: ExerciseEditorApi;
  session: Session;
  user: User;
  course: string;
  /** Editing an exercise of the draft… */
  exercise?: string;
  /** …or writing a new one for this lesson. */
  lesson?: string;
}

/**
 * An exercise's editor: the fields every exercise has and its type's own, or all of it as JSON;
 * the server's errors beside each field; and "Try it" beside the form.
 */
export function ExerciseEditorPage({ user, ...props }: ExerciseEditorPageProps) {
  if (!isStaff(user.role)) return <StaffOnly title="Authoring" what="write courses" />;
  return <ExerciseEditor {...props} />;
}

function ExerciseEditor({
  api,
  session,
  course,
  exercise,
  lesson,
}: Omit<ExerciseEditorPageProps, 'user'>) {
  const editor = useDraft(api, course);
  const { resource, draft } = editor;
  const place = draft ? findPlace(draft, exercise, lesson) : null;
  useDocumentTitle(exercise ? `Edit exercise ${exercise}` : 'New exercise');
  if (resource.state === 'error') {
    return (
      <StaffProblemView
        problem={resource.problem}
        onRetry={resource.reload}
        mfaReason={kMfaReason}
      />
    );
  }
  if (!draft) return <LoadingView label="Loading the exercise…" />;
  const crumbs = [
    { label: 'Authoring', to: paths.authoring() },
    { label: draft.title, to: paths.authoringCourse(course) },
  ];
  if (!place) {
    return (
      <>
        <Breadcrumbs items={[...crumbs, { label: exercise ?? lesson ?? '' }]} />
        <div className="problem" role="alert">
          <h1>Not found</h1>
          <p>
            {exercise
              ? `The draft of this course has no exercise “${exercise}”: it may have been deleted.`
              : `The draft of this course has no lesson “${lesson}”.`}
          </p>
          <p>
            <Link to={paths.authoringCourse(course)}>Back to the course</Link>
          </p>
        </div>
      </>
    );
  }
  return (
    <>
      <Breadcrumbs
        items={[
          ...crumbs,
          { label: place.lesson.title, to: paths.authoringLesson(course, place.lesson.slug) },
          { label: place.form ? place.form.id : 'New exercise' },
        ]}
      />
      <h1>
        {place.form ? `Exercise ${place.form.id}` : `New exercise in “${place.lesson.title}”`}
      </h1>
      {editor.conflict && (
        <ConflictNotice
          conflict={editor.conflict}
          onReload={editor.reload}
          onDismiss={editor.dismissConflict}
        />
      )}
      <ExerciseWorkspace
        key={`${editor.loadKey}\n${place.form?.id ?? ''}`}
        api={api}
        session={session}
        draft={draft}
        lesson={place.lesson}
        saved={place.form}
        change={editor.change}
      />
    </>
  );
}

function findPlace(
  draft: Draft,
  exercise: string | undefined,
  lesson: string | undefined,
): { lesson: DraftLesson; form: ExerciseForm | null } | null {
  for (const candidate of draft.lessons) {
    if (exercise === undefined) {
      if (candidate.slug === lesson) return { lesson: candidate, form: null };
      continue;
    }
    const form = candidate.exercises.find((e) => e.id === exercise);
    if (form) return { lesson: candidate, form };
  }
  return null;
}

function ExerciseWorkspace({
  api,
  session,
  draft,
  lesson,
  saved,
  change,
}: {
  api: ExerciseEditorApi;
  session: Session;
  draft: Draft;
  lesson: DraftLesson;
  /** Null for a new exercise. */
  saved: ExerciseForm | null;
  change: DraftEditor['change'];
}) {
  const [state, setState] = useState<ExerciseFormState>(() =>
    saved ? fromJson(saved) : newExercise('single_choice'),
  );
  const [jsonText, setJsonText] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  // Asks for the learners' view again after each save.
  const [saves, setSaves] = useState(0);
  const form = useEditAction(() => (jsonText === null ? formPaths(state) : new Set()), 'exercise.');
  const errorsAt = (path: string) => form.errors.fields[path];
  const id = useId();

  const savedJson = useMemo(() => (saved ? canonical(toJson(fromJson(saved))) : null), [saved]);
  const dirty = saved === null || canonical(toJson(state)) !== savedJson || jsonText !== null;
  useLeaveWarning(saved !== null && dirty);
  const savedHints = useMemo(
    () => (saved && Array.isArray(saved.hints) ? saved.hints.map(String) : []),
    [saved],
  );
  const view = useResource(`view\n${draft.slug}\n${saved?.id}\n${saves}`, (signal) =>
    saved ? api.getExercise(draft.slug, saved.id, signal) : Promise.resolve(null),
  );

  /** The exercise as it will be sent: the form's, or the JSON text's when that is open. */
  function current(): ExerciseForm | null {
    if (jsonText === null) return toJson(state);
    try {
      const parsed: unknown = JSON.parse(jsonText);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('it must be an object: { … }');
      }
      setJsonError(null);
      return parsed as ExerciseForm;
    } catch (error) {
      setJsonError(`This is not valid JSON: ${error instanceof Error ? error.message : error}.`);
      return null;
    }
  }

  function openJson() {
    setJsonText(JSON.stringify(toJson(state), null, 2));
    setJsonError(null);
  }

  function closeJson() {
    const parsed = current();
    if (!parsed) return;
    setState(fromJson(parsed));
    setJsonText(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    const exercise = current();
    if (!exercise) return;
    void form.run(async () => {
      const unsaved = { label: 'Exercise (JSON)', text: JSON.stringify(exercise, null, 2) };
      const next = await change(
        (revision) =>
          saved
            ? api.updateExercise(draft.slug, revision, exercise)
            : api.addExercise(draft.slug, revision, lesson.slug, exercise),
        unsaved,
      );
      if (!next) return;
      if (!saved) {
        navigate(paths.authoringExercise(draft.slug, exercise.id), { replace: true });
        return;
      }
      if (jsonText !== null) {
        setState(fromJson(exercise));
        setJsonText(null);
      }
      setSaves((n) => n + 1);
      setMessage('Saved.');
    });
  }

  async function remove() {
    if (!saved) return;
    const next = await change((revision) => api.deleteExercise(draft.slug, revision, saved.id));
    if (next) navigate(paths.authoringCourse(draft.slug));
  }

  const type = state.spec.type;
  return (
    <div className="exercise-editor">
      <form ref={form.formRef} className="exercise-form" onSubmit={submit} noValidate>
        <FormAlert errors={form.errors} />
        {saved ? (
          <p>
            Type: <strong>{kTypeNames[type]}</strong>. Id: <code>{saved.id}</code> (learners’
            progress is tied to it, so it stays).
          </p>
        ) : (
          <div className="field-row">
            <Select<ExerciseType>
              label="Type"
              path="type"
              errors={errorsAt}
              value={type}
              options={kExerciseTypes.map((t) => [t, kTypeNames[t]] as const)}
              onChange={(next) => setState({ ...state, spec: newSpec(next) })}
              hint="Changing it starts this type's fields afresh."
            />
            <TextInput
              label="Id"
              path="id"
              errors={errorsAt}
              value={state.common.id}
              onChange={(value) => setState({ ...state, common: { ...state.common, id: value } })}
              hint="Unique in the course: a-z, 0-9 and hyphens."
            />
          </div>
        )}
        <p className="form-actions">
          {jsonText === null ? (
            <button type="button" className="button button-small" onClick={openJson}>
              Edit as JSON
            </button>
          ) : (
            <button type="button" className="button button-small" onClick={closeJson}>
              Back to the form
            </button>
          )}
        </p>
        {jsonText === null ? (
          <>
            <CommonFieldsEditor
              value={state.common}
              onChange={(common) => setState({ ...state, common })}
              errors={errorsAt}
            />
            <section aria-labelledby={`${id}-spec`} className="spec">
              <h2 id={`${id}-spec`}>{kTypeNames[type]}</h2>
              <SpecEditor
                value={state.spec}
                onChange={(spec) => setState({ ...state, spec })}
                errors={errorsAt}
              />
            </section>
          </>
        ) : (
          <div className={jsonError ? 'field field-invalid' : 'field'}>
            <label htmlFor={`${id}-json`}>
              The exercise as JSON: every field of the bundle format (docs/CONTENT.md), for those
              the form does not show
            </label>
            <textarea
              id={`${id}-json`}
              className="json-input"
              rows={24}
              spellCheck={false}
              value={jsonText}
              aria-invalid={jsonError ? true : undefined}
              aria-describedby={jsonError ? `${id}-json-error` : undefined}
              onChange={(event) => setJsonText(event.target.value)}
            />
            {jsonError && (
              <p id={`${id}-json-error`} className="field-error">
                {jsonError}
              </p>
            )}
          </div>
        )}
        <p className="form-actions">
          <button type="submit" className="button button-primary" disabled={form.busy}>
            {form.busy ? 'Saving…' : saved ? 'Save the exercise' : 'Add the exercise'}
          </button>
          <span role="status" className="form-status">
            {message || (saved && dirty ? 'Unsaved changes' : '')}
          </span>
          {saved && (
            <ConfirmButton
              className="button button-danger"
              question={`Delete “${saved.id}” from the draft?`}
              confirmLabel="Delete the exercise"
              onConfirm={remove}
            >
              Delete
            </ConfirmButton>
          )}
        </p>
      </form>
      <aside className="exercise-aside" aria-label="Try it">
        {!saved && (
          <section className="try-it">
            <h2>Try it</h2>
            <p className="field-help">Add the exercise to try it as learners will.</p>
          </section>
        )}
        {saved && view.state === 'loading' && <LoadingView label="Loading the exercise…" />}
        {saved && view.state === 'error' && (
          <ProblemView problem={view.problem} onRetry={view.reload} />
        )}
        {view.state === 'ready' && view.data && (
          <TryItPanel
            api={api}
            session={session}
            course={draft.slug}
            view={view.data.view}
            hints={savedHints}
            unsaved={dirty}
          />
        )}
      </aside>
    </div>
  );
}
