import { useLayoutEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { AuthoringApi, Draft, DraftLesson, ExerciseForm } from '../../api/authoring';
import { FormAlert } from '../../forms/FormAlert';
import { plural } from '../../lib/plural';
import { toProblem } from '../../lib/useResource';
import { Link, paths } from '../../router/router';
import { ConfirmButton } from './ConfirmButton';
import { TextInput } from './controls';
import { kTypeNames } from './exerciseForm';
import { slugify } from './names';
import {
  drop,
  step,
  type DropTarget,
  type Outline,
  type OutlineItem,
  type OutlineRequest,
} from './outlineMoves';
import { useEditAction } from './useEditAction';
import type { DraftEditor } from './useDraft';

export type OutlineApi = Pick<
  AuthoringApi,
  | 'reorderLessons'
  | 'moveExercise'
  | 'addLesson'
  | 'updateLesson'
  | 'deleteLesson'
  | 'deleteExercise'
>;

export interface CourseOutlineProps {
  api: OutlineApi;
  draft: Draft;
  change: DraftEditor['change'];
}

export function outlineOf(draft: Draft): Outline {
  return draft.lessons.map((lesson) => ({
    slug: lesson.slug,
    exercises: lesson.exercises.map((exercise) => exercise.id),
  }));
}

/** The key of an element to focus once the outline is drawn again: see data-focus. */
type FocusKey = string;

function itemKey(item: OutlineItem): string {
  return item.kind === 'lesson' ? `lesson:${item.slug}` : `exercise:${item.id}`;
}

function dropKey(target: DropTarget): string {
  if (target.kind === 'lesson-end') return `end:${target.slug}`;
  return target.kind === 'lesson' ? `lesson:${target.slug}` : `exercise:${target.id}`;
}

/**
 * The course's lessons and their exercises, in order. Each lesson and exercise moves by drag and
 * drop (native HTML5: nothing to download, and lists this short need no more) or by its Move up
 * and Move down buttons, which go through the same moves (outlineMoves.ts) and send the same
 * requests; each move is announced, and focus stays on the button that made it.
 */
export function CourseOutline({ api, draft, change }: CourseOutlineProps) {
  const course = draft.slug;
  const outline = outlineOf(draft);
  const container = useRef<HTMLElement>(null);
  const dragging = useRef<OutlineItem | null>(null);
  const busy = useRef(false);
  const [dropAt, setDropAt] = useState<{ key: string; after: boolean } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState<FocusKey | null>(null);

  useLayoutEffect(() => {
    if (focusKey === null) return;
    container.current?.querySelector<HTMLElement>(`[data-focus="${focusKey}"]`)?.focus();
    setFocusKey(null);
  }, [focusKey, draft]);

  /** Runs one change of the outline at a time; resolves with the new draft, or null. */
  async function run(send: Parameters<DraftEditor['change']>[0]): Promise<Draft | null> {
    if (busy.current) return null;
    busy.current = true;
    setProblem(null);
    try {
      return await change(send);
    } catch (error) {
      const failure = toProblem(error);
      setProblem(failure.detail ?? failure.title);
      return null;
    } finally {
      busy.current = false;
    }
  }

  async function move(request: OutlineRequest, item: OutlineItem, focus: FocusKey | null) {
    const next = await run((revision) =>
      request.kind === 'lesson-order'
        ? api.reorderLessons(course, revision, request.lessons)
        : api.moveExercise(course, revision, request.exercise, request.lesson, request.position),
    );
    if (!next) return;
    setAnnouncement(movedText(next, item));
    if (focus) setFocusKey(focus);
  }

  function stepBy(item: OutlineItem, delta: -1 | 1) {
    const request = step(outline, item, delta);
    const control = `${itemKey(item)}:${delta < 0 ? 'up' : 'down'}`;
    if (!request) {
      setAnnouncement(`${itemName(draft, item)} is already ${delta < 0 ? 'first' : 'last'}.`);
      return;
    }
    void move(request, item, control);
  }

  // ---- Dragging ----

  function startDrag(event: DragEvent, item: OutlineItem) {
    event.stopPropagation();
    dragging.current = item;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', itemName(draft, item));
  }

  function endDrag() {
    dragging.current = null;
    setDropAt(null);
  }

  function targetOf(event: DragEvent<HTMLElement>, kind: 'lesson' | 'exercise', id: string) {
    const box = event.currentTarget.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    return kind === 'lesson'
      ? ({ kind, slug: id, after } as const)
      : ({ kind, id, after } as const);
  }

  function dragOver(event: DragEvent<HTMLElement>, target: DropTarget) {
    const item = dragging.current;
    const accepts = item !== null && (item.kind === 'lesson') === (target.kind === 'lesson');
    if (!accepts) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'move';
    const after = target.kind === 'lesson-end' ? false : target.after;
    const key = dropKey(target);
    if (dropAt?.key !== key || dropAt.after !== after) setDropAt({ key, after });
  }

  function dropOn(event: DragEvent<HTMLElement>, target: DropTarget) {
    const item = dragging.current;
    if (!item) return;
    event.preventDefault();
    event.stopPropagation();
    endDrag();
    const request = drop(outline, item, target);
    if (request) void move(request, item, null);
  }

  function dropClass(key: string): string | undefined {
    if (dropAt?.key !== key) return undefined;
    return dropAt.after ? 'drop-after' : 'drop-before';
  }

  // ---- Lessons and exercises ----

  async function deleteLesson(lesson: DraftLesson, index: number) {
    const next = await run((revision) => api.deleteLesson(course, revision, lesson.slug));
    if (!next) return;
    setAnnouncement(`Lesson “${lesson.title}” deleted.`);
    const neighbour = next.lessons[Math.min(index, next.lessons.length - 1)];
    setFocusKey(neighbour ? `lesson:${neighbour.slug}:link` : 'new-lesson');
  }

  async function deleteExercise(lesson: DraftLesson, exercise: ExerciseForm, index: number) {
    const next = await run((revision) => api.deleteExercise(course, revision, exercise.id));
    if (!next) return;
    setAnnouncement(`Exercise “${exercise.id}” deleted.`);
    const rest = next.lessons.find((l) => l.slug === lesson.slug)?.exercises ?? [];
    const neighbour = rest[Math.min(index, rest.length - 1)];
    setFocusKey(neighbour ? `exercise:${neighbour.id}:link` : `add-exercise:${lesson.slug}`);
  }

  function lessonAdded(next: Draft, slug: string) {
    const lesson = next.lessons.find((l) => l.slug === slug);
    setAnnouncement(`Lesson “${lesson?.title ?? slug}” added.`);
    setFocusKey(`lesson:${slug}:link`);
  }

  return (
    <section className="outline" aria-labelledby="outline-title" ref={container}>
      <h2 id="outline-title">Outline</h2>
      <p className="field-help">
        Drag a lesson or an exercise to move it, or use its ↑ and ↓ buttons. An exercise moved past
        the start or end of its lesson goes to the lesson before or after.
      </p>
      <div role="alert" className="form-alert-region">
        {problem && <p className="form-error">{problem}</p>}
      </div>
      {draft.lessons.length === 0 ? (
        <p className="empty">No lessons yet: add the first one below.</p>
      ) : (
        <ol className="outline-lessons">
          {draft.lessons.map((lesson, index) => {
            const item: OutlineItem = { kind: 'lesson', slug: lesson.slug };
            const key = itemKey(item);
            return (
              <li
                key={lesson.slug}
                className={['outline-lesson', dropClass(key)].filter(Boolean).join(' ')}
                onDragOver={(event) => dragOver(event, targetOf(event, 'lesson', lesson.slug))}
                onDrop={(event) => dropOn(event, targetOf(event, 'lesson', lesson.slug))}
              >
                <div
                  className="outline-row"
                  draggable
                  onDragStart={(event) => startDrag(event, item)}
                  onDragEnd={endDrag}
                >
                  <span className="drag-handle" aria-hidden="true" title="Drag to move">
                    ⠿
                  </span>
                  <span className="outline-name">
                    <span className="outline-number">{index + 1}.</span>{' '}
                    <Link
                      to={paths.authoringLesson(course, lesson.slug)}
                      data-focus={`${key}:link`}
                    >
                      {lesson.title}
                    </Link>{' '}
                    <span className="field-help">
                      {plural(lesson.exercises.length, 'exercise')}
                    </span>
                  </span>
                  <span className="outline-actions">
                    <MoveButtons
                      name={`lesson “${lesson.title}”`}
                      focusKey={key}
                      first={index === 0}
                      last={index === draft.lessons.length - 1}
                      onMove={(delta) => stepBy(item, delta)}
                    />
                    <RenameLesson api={api} course={course} lesson={lesson} change={change} />
                    <ConfirmButton
                      label={`Delete lesson “${lesson.title}”`}
                      question={`Delete “${lesson.title}” and its ${plural(lesson.exercises.length, 'exercise')}?`}
                      confirmLabel="Delete the lesson"
                      onConfirm={() => deleteLesson(lesson, index)}
                    >
                      Delete
                    </ConfirmButton>
                  </span>
                </div>
                <ol className="outline-exercises" aria-label={`Exercises of “${lesson.title}”`}>
                  {lesson.exercises.map((exercise, position) => {
                    const exerciseItem: OutlineItem = { kind: 'exercise', id: exercise.id };
                    const exerciseKey = itemKey(exerciseItem);
                    const firstOverall = index === 0 && position === 0;
                    const lastOverall =
                      index === draft.lessons.length - 1 &&
                      position === lesson.exercises.length - 1;
                    return (
                      <li
                        key={exercise.id}
                        className={['outline-exercise', dropClass(exerciseKey)]
                          .filter(Boolean)
                          .join(' ')}
                        draggable
                        onDragStart={(event) => startDrag(event, exerciseItem)}
                        onDragEnd={endDrag}
                        onDragOver={(event) =>
                          dragOver(event, targetOf(event, 'exercise', exercise.id))
                        }
                        onDrop={(event) => dropOn(event, targetOf(event, 'exercise', exercise.id))}
                      >
                        <span className="drag-handle" aria-hidden="true" title="Drag to move">
                          ⠿
                        </span>
                        <span className="outline-name">
                          <Link
                            to={paths.authoringExercise(course, exercise.id)}
                            data-focus={`${exerciseKey}:link`}
                          >
                            {exercise.id}
                          </Link>{' '}
                          <span className="field-help">
                            {kTypeNames[exercise.type] ?? exercise.type} ·{' '}
                            {excerpt(exercise.prompt)}
                          </span>
                        </span>
                        <span className="outline-actions">
                          <MoveButtons
                            name={`exercise “${exercise.id}”`}
                            focusKey={exerciseKey}
                            first={firstOverall}
                            last={lastOverall}
                            onMove={(delta) => stepBy(exerciseItem, delta)}
                          />
                          <ConfirmButton
                            label={`Delete exercise “${exercise.id}”`}
                            question={`Delete “${exercise.id}” from the draft?`}
                            confirmLabel="Delete the exercise"
                            onConfirm={() => deleteExercise(lesson, exercise, position)}
                          >
                            Delete
                          </ConfirmButton>
                        </span>
                      </li>
                    );
                  })}
                  {lesson.exercises.length === 0 && (
                    <li
                      className={['outline-empty', dropClass(`end:${lesson.slug}`)]
                        .filter(Boolean)
                        .join(' ')}
                      onDragOver={(event) =>
                        dragOver(event, { kind: 'lesson-end', slug: lesson.slug })
                      }
                      onDrop={(event) => dropOn(event, { kind: 'lesson-end', slug: lesson.slug })}
                    >
                      No exercises yet.
                    </li>
                  )}
                </ol>
                <Link
                  className="button button-small outline-add"
                  to={paths.authoringNewExercise(course, lesson.slug)}
                  data-focus={`add-exercise:${lesson.slug}`}
                  aria-label={`Add an exercise to “${lesson.title}”`}
                >
                  Add an exercise
                </Link>
              </li>
            );
          })}
        </ol>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <NewLessonForm api={api} draft={draft} change={change} onAdded={lessonAdded} />
    </section>
  );
}

function MoveButtons({
  name,
  focusKey,
  first,
  last,
  onMove,
}: {
  name: string;
  focusKey: string;
  first: boolean;
  last: boolean;
  onMove: (delta: -1 | 1) => void;
}) {
  // aria-disabled rather than disabled: the button keeps focus at the end of the list.
  return (
    <>
      <button
        type="button"
        className="icon-button"
        data-focus={`${focusKey}:up`}
        aria-label={`Move ${name} up`}
        aria-disabled={first}
        onClick={() => onMove(-1)}
      >
        <span aria-hidden="true">↑</span>
      </button>
      <button
        type="button"
        className="icon-button"
        data-focus={`${focusKey}:down`}
        aria-label={`Move ${name} down`}
        aria-disabled={last}
        onClick={() => onMove(1)}
      >
        <span aria-hidden="true">↓</span>
      </button>
    </>
  );
}

function RenameLesson({
  api,
  course,
  lesson,
  change,
}: {
  api: Pick<AuthoringApi, 'updateLesson'>;
  course: string;
  lesson: DraftLesson;
  change: DraftEditor['change'];
}) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(lesson.title);
  const button = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const form = useEditAction(() => new Set(['title']));

  useLayoutEffect(() => {
    if (!editing && returnFocus.current) button.current?.focus();
    returnFocus.current = false;
  }, [editing]);

  function close() {
    returnFocus.current = true;
    setEditing(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void form.run(async () => {
      const next = await change((revision) =>
        api.updateLesson(course, revision, lesson.slug, { title }),
      );
      if (next) close();
    });
  }

  if (!editing) {
    return (
      <button
        type="button"
        ref={button}
        className="button button-small"
        aria-label={`Rename lesson “${lesson.title}”`}
        onClick={() => {
          setTitle(lesson.title);
          setEditing(true);
        }}
      >
        Rename
      </button>
    );
  }
  return (
    <form ref={form.formRef} className="rename-form" onSubmit={submit} noValidate>
      <FormAlert errors={form.errors} />
      <TextInput
        label={`New title for “${lesson.title}”`}
        path="title"
        errors={(path) => form.errors.fields[path]}
        value={title}
        onChange={setTitle}
      />
      <button type="submit" className="button button-small button-primary" disabled={form.busy}>
        Save
      </button>{' '}
      <button type="button" className="button button-small" onClick={close}>
        Cancel
      </button>
    </form>
  );
}

function NewLessonForm({
  api,
  draft,
  change,
  onAdded,
}: {
  api: Pick<AuthoringApi, 'addLesson'>;
  draft: Draft;
  change: DraftEditor['change'];
  onAdded: (draft: Draft, slug: string) => void;
}) {
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useEditAction(() => new Set(['title', 'slug']));
  const shownSlug = slugEdited ? slug : slugify(title);

  function submit(event: FormEvent) {
    event.preventDefault();
    void form.run(async () => {
      const next = await change((revision) =>
        api.addLesson(draft.slug, revision, { slug: shownSlug, title }),
      );
      if (!next) return;
      setTitle('');
      setSlug('');
      setSlugEdited(false);
      onAdded(next, shownSlug);
    });
  }

  return (
    <form
      ref={form.formRef}
      className="form new-lesson"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-lesson-title"
    >
      <h3 id="new-lesson-title" tabIndex={-1} data-focus="new-lesson">
        Add a lesson
      </h3>
      <FormAlert errors={form.errors} />
      <TextInput
        label="Lesson title"
        path="title"
        errors={(path) => form.errors.fields[path]}
        value={title}
        onChange={setTitle}
      />
      <TextInput
        label="Lesson slug"
        path="slug"
        errors={(path) => form.errors.fields[path]}
        value={shownSlug}
        onChange={(value) => {
          setSlugEdited(true);
          setSlug(value);
        }}
        hint="In the lesson's address: a-z, 0-9 and hyphens."
      />
      <p className="form-actions">
        <button type="submit" className="button" disabled={form.busy}>
          {form.busy ? 'Adding…' : 'Add the lesson'}
        </button>
      </p>
    </form>
  );
}

function itemName(draft: Draft, item: OutlineItem): string {
  if (item.kind === 'exercise') return `Exercise “${item.id}”`;
  const lesson = draft.lessons.find((l) => l.slug === item.slug);
  return `Lesson “${lesson?.title ?? item.slug}”`;
}

/** "Lesson “Spread” moved to position 2 of 3." from the draft the server answered. */
export function movedText(draft: Draft, item: OutlineItem): string {
  if (item.kind === 'lesson') {
    const index = draft.lessons.findIndex((l) => l.slug === item.slug);
    return `${itemName(draft, item)} moved to position ${index + 1} of ${draft.lessons.length}.`;
  }
  for (const lesson of draft.lessons) {
    const index = lesson.exercises.findIndex((e) => e.id === item.id);
    if (index >= 0) {
      return `Exercise “${item.id}” moved to position ${index + 1} of ${lesson.exercises.length} in “${lesson.title}”.`;
    }
  }
  return `Exercise “${item.id}” moved.`;
}

function excerpt(markdown: string): string {
  const flat = markdown.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
