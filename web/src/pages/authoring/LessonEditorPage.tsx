import { useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { AuthoringApi, Draft, DraftLesson, LessonBlock } from '../../api/authoring';
import type { User } from '../../api/client';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { RichHtml } from '../../components/RichHtml';
import { StaffOnly } from '../../components/StaffOnly';
import { StaffProblemView } from '../../components/StaffProblemView';
import { LoadingView } from '../../components/StatusViews';
import { FormAlert } from '../../forms/FormAlert';
import { isStaff } from '../../lib/roles';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { Link, paths } from '../../router/router';
import { kMfaReason } from './AuthoringCoursesPage';
import { ConflictNotice } from './ConflictNotice';
import { TextArea, TextInput } from './controls';
import { kTypeNames } from './exerciseForm';
import { useDraft, type DraftEditor } from './useDraft';
import { useEditAction } from './useEditAction';
import { useLeaveWarning } from './useLeaveWarning';
import { useMarkdownPreview } from './useMarkdownPreview';
import './authoring.css';

export type LessonEditorApi = Pick<AuthoringApi, 'getDraft' | 'updateLesson' | 'preview'>;

export interface LessonEditorPageProps {
  api: LessonEditorApi;
  course: string;
  lesson: string;
  user: User;
}

/** A lesson's title and body: Markdown text blocks around its exercises, with a live preview. */
export function LessonEditorPage({ api, course, lesson, user }: LessonEditorPageProps) {
  if (!isStaff(user.role)) return <StaffOnly title="Authoring" what="write courses" />;
  return <LessonEditor api={api} course={course} slug={lesson} />;
}

function LessonEditor({
  api,
  course,
  slug,
}: {
  api: LessonEditorApi;
  course: string;
  slug: string;
}) {
  const editor = useDraft(api, course);
  const { resource, draft } = editor;
  const lesson = draft?.lessons.find((l) => l.slug === slug);
  useDocumentTitle(lesson ? `Edit ${lesson.title}` : 'Edit lesson');
  if (resource.state === 'error') {
    return (
      <StaffProblemView
        problem={resource.problem}
        onRetry={resource.reload}
        mfaReason={kMfaReason}
      />
    );
  }
  if (!draft) return <LoadingView label="Loading the lesson…" />;
  const crumbs = [
    { label: 'Authoring', to: paths.authoring() },
    { label: draft.title, to: paths.authoringCourse(course) },
  ];
  if (!lesson) {
    return (
      <>
        <Breadcrumbs items={[...crumbs, { label: slug }]} />
        <div className="problem" role="alert">
          <h1>Not found</h1>
          <p>The draft of this course has no lesson “{slug}”: it may have been deleted.</p>
          <p>
            <Link to={paths.authoringCourse(course)}>Back to the course</Link>
          </p>
        </div>
      </>
    );
  }
  return (
    <>
      <Breadcrumbs items={[...crumbs, { label: lesson.title }]} />
      <h1>Lesson: {lesson.title}</h1>
      {editor.conflict && (
        <ConflictNotice
          conflict={editor.conflict}
          onReload={editor.reload}
          onDismiss={editor.dismissConflict}
        />
      )}
      <LessonForm
        key={editor.loadKey}
        api={api}
        draft={draft}
        lesson={lesson}
        change={editor.change}
      />
    </>
  );
}

/** A block as the editor holds it: a key of its own, since text blocks move and come and go. */
export type EditorBlock =
  { key: number; kind: 'markdown'; text: string } | { key: number; kind: 'exercise'; id: string };

let nextBlockKey = 1;

export function editorBlocks(lesson: DraftLesson): EditorBlock[] {
  const blocks: EditorBlock[] = lesson.blocks.map((block) =>
    'markdown' in block
      ? { key: nextBlockKey++, kind: 'markdown', text: block.markdown }
      : { key: nextBlockKey++, kind: 'exercise', id: block.exercise },
  );
  // A lesson starts with somewhere to write.
  if (!blocks.some((block) => block.kind === 'markdown')) {
    blocks.unshift({ key: nextBlockKey++, kind: 'markdown', text: '' });
  }
  return blocks;
}

/** The body as the API takes it; empty text blocks are left out. */
export function lessonBlocks(blocks: readonly EditorBlock[]): LessonBlock[] {
  return blocks.flatMap((block): LessonBlock[] => {
    if (block.kind === 'exercise') return [{ exercise: block.id }];
    return block.text.trim() === '' ? [] : [{ markdown: block.text }];
  });
}

function sameBody(a: readonly LessonBlock[], b: readonly LessonBlock[]): boolean {
  const normal = (blocks: readonly LessonBlock[]) =>
    JSON.stringify(
      blocks.map((block) => ('markdown' in block ? { markdown: block.markdown.trimEnd() } : block)),
    );
  return normal(a) === normal(b);
}

type Pending = { key: number; control: 'text' | 'up' | 'down' } | 'add' | null;

function LessonForm({
  api,
  draft,
  lesson,
  change,
}: {
  api: LessonEditorApi;
  draft: Draft;
  lesson: DraftLesson;
  change: DraftEditor['change'];
}) {
  const [title, setTitle] = useState(lesson.title);
  const [blocks, setBlocks] = useState(() => editorBlocks(lesson));
  const [saved, setSaved] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const list = useRef<HTMLOListElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const form = useEditAction(() => {
    const paths = new Set(['title', 'blocks']);
    blocks.forEach((_, index) => {
      paths.add(`blocks[${index}]`);
      paths.add(`blocks[${index}].markdown`);
      paths.add(`blocks[${index}].exercise`);
    });
    return paths;
  });
  const body = lessonBlocks(blocks);
  const dirty = title !== lesson.title || !sameBody(body, lesson.blocks);
  useLeaveWarning(dirty);

  const texts = blocks.flatMap((block) => (block.kind === 'markdown' ? [block.text] : []));
  const preview = useMarkdownPreview(api, texts);

  useLayoutEffect(() => {
    if (pending === null) return;
    if (pending === 'add') addButton.current?.focus();
    else {
      const item = list.current?.querySelector(`[data-block="${pending.key}"]`);
      const selector = pending.control === 'text' ? 'textarea' : `[data-move="${pending.control}"]`;
      item?.querySelector<HTMLElement>(selector)?.focus();
    }
    setPending(null);
  }, [pending]);

  // Errors name blocks by their place in the body sent, which leaves out empty text blocks.
  const sentIndex = new Map<number, number>();
  blocks.forEach((block) => {
    if (block.kind === 'exercise' || block.text.trim() !== '')
      sentIndex.set(block.key, sentIndex.size);
  });
  const errorsAt = (path: string) => form.errors.fields[path];
  const blockErrors = (block: EditorBlock) => {
    const index = sentIndex.get(block.key);
    if (index === undefined) return undefined;
    const found = [
      `blocks[${index}]`,
      `blocks[${index}].markdown`,
      `blocks[${index}].exercise`,
    ].flatMap((path) => form.errors.fields[path] ?? []);
    return found.length > 0 ? found : undefined;
  };

  function update(key: number, text: string) {
    setBlocks((current) =>
      current.map((block) =>
        block.key === key && block.kind === 'markdown' ? { ...block, text } : block,
      ),
    );
  }

  function move(index: number, delta: -1 | 1) {
    const to = index + delta;
    const block = blocks[index];
    if (!block || to < 0 || to >= blocks.length) return;
    const next = [...blocks];
    next.splice(index, 1);
    next.splice(to, 0, block);
    setBlocks(next);
    setAnnouncement(
      `${blockNames(blocks)[index]} moved to position ${to + 1} of ${blocks.length}.`,
    );
    setPending({ key: block.key, control: delta < 0 ? 'up' : 'down' });
  }

  function remove(index: number) {
    const block = blocks[index];
    if (!block) return;
    const next = blocks.filter((_, i) => i !== index);
    setBlocks(next);
    setAnnouncement(`${blockNames(blocks)[index]} removed.`);
    const neighbour = next[Math.min(index, next.length - 1)];
    setPending(
      neighbour
        ? { key: neighbour.key, control: neighbour.kind === 'markdown' ? 'text' : 'up' }
        : 'add',
    );
  }

  function add() {
    const block: EditorBlock = { key: nextBlockKey++, kind: 'markdown', text: '' };
    setBlocks([...blocks, block]);
    setPending({ key: block.key, control: 'text' });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved('');
    void form.run(async () => {
      const unsaved = {
        label: 'Lesson text',
        text: [`# ${title}`, ...texts.filter((text) => text.trim() !== '')].join('\n\n'),
      };
      const next = await change(
        (revision) => api.updateLesson(draft.slug, revision, lesson.slug, { title, blocks: body }),
        unsaved,
      );
      if (next) setSaved('Saved.');
    });
  }

  const names = blockNames(blocks);
  return (
    <div className="lesson-editor">
      <form ref={form.formRef} className="lesson-form" onSubmit={submit} noValidate>
        <FormAlert errors={form.errors} />
        <TextInput label="Title" path="title" errors={errorsAt} value={title} onChange={setTitle} />
        <fieldset className="list-editor" aria-describedby="lesson-body-help">
          <legend>Body</legend>
          <p id="lesson-body-help" className="field-help">
            Markdown text between the lesson&apos;s exercises; maths between $…$ (inline) or $$…$$
            (displayed). Raw HTML is not shown. Move a block with its ↑ and ↓ buttons.
          </p>
          {form.errors.fields.blocks && (
            <p className="field-error group-error" tabIndex={-1}>
              {form.errors.fields.blocks.join(' ')}
            </p>
          )}
          <ol className="lesson-blocks" ref={list}>
            {blocks.map((block, index) => {
              const name = names[index] ?? '';
              const type =
                block.kind === 'exercise'
                  ? lesson.exercises.find((e) => e.id === block.id)?.type
                  : undefined;
              return (
                <li
                  key={block.key}
                  data-block={block.key}
                  className={
                    block.kind === 'markdown' ? 'lesson-block' : 'lesson-block lesson-block-row'
                  }
                >
                  {block.kind === 'markdown' ? (
                    <TextArea
                      label={name}
                      path={`block-${block.key}`}
                      errors={() => blockErrors(block)}
                      rows={10}
                      className="markdown-input"
                      value={block.text}
                      onChange={(text) => update(block.key, text)}
                    />
                  ) : (
                    <p className="lesson-block-exercise">
                      <span>
                        Exercise <code>{block.id}</code>
                        {type && <span className="field-help"> · {kTypeNames[type]}</span>}
                      </span>{' '}
                      <Link to={paths.authoringExercise(draft.slug, block.id)}>
                        Edit<span className="visually-hidden"> exercise {block.id}</span>
                      </Link>
                      {blockErrors(block) && (
                        <span className="field-error">{blockErrors(block)?.join(' ')}</span>
                      )}
                    </p>
                  )}
                  <span className="lesson-block-actions">
                    <button
                      type="button"
                      className="icon-button"
                      data-move="up"
                      aria-label={`Move ${lowerFirst(name)} up`}
                      aria-disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      <span aria-hidden="true">↑</span>
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      data-move="down"
                      aria-label={`Move ${lowerFirst(name)} down`}
                      aria-disabled={index === blocks.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <span aria-hidden="true">↓</span>
                    </button>
                    {block.kind === 'markdown' && (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Remove ${lowerFirst(name)}`}
                        onClick={() => remove(index)}
                      >
                        Remove
                      </button>
                    )}
                  </span>
                </li>
              );
            })}
          </ol>
          <button type="button" ref={addButton} className="button button-small" onClick={add}>
            Add a text block
          </button>
        </fieldset>
        <p className="form-actions">
          <button type="submit" className="button button-primary" disabled={form.busy}>
            {form.busy ? 'Saving…' : 'Save the lesson'}
          </button>
          <span role="status" className="form-status">
            {saved || (dirty ? 'Unsaved changes' : '')}
          </span>
        </p>
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
      </form>
      <LessonPreview
        blocks={blocks}
        html={preview.html}
        pending={preview.pending}
        problem={preview.problem}
        lesson={lesson}
      />
    </div>
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Text block 1", "Exercise “mean”", "Text block 2": how each block is labelled and named. */
function blockNames(blocks: readonly EditorBlock[]): string[] {
  let text = 0;
  return blocks.map((block) =>
    block.kind === 'markdown' ? `Text block ${++text}` : `Exercise “${block.id}”`,
  );
}

/** The body as learners will read it: the server's HTML with KaTeX maths; exercises as markers. */
function LessonPreview({
  blocks,
  html,
  pending,
  problem,
  lesson,
}: {
  blocks: readonly EditorBlock[];
  html: readonly (string | null)[];
  pending: boolean;
  problem: string | null;
  lesson: DraftLesson;
}) {
  let text = 0;
  return (
    <section className="lesson-preview" aria-labelledby="preview-title" aria-busy={pending}>
      <h2 id="preview-title">Preview</h2>
      {problem && <p className="field-help">{problem}</p>}
      <div className="lesson-body">
        <p className="preview-title">{lesson.title}</p>
        {blocks.map((block) => {
          if (block.kind === 'exercise') {
            const type = lesson.exercises.find((e) => e.id === block.id)?.type;
            return (
              <p key={block.key} className="preview-exercise">
                Exercise <code>{block.id}</code>
                {type ? ` · ${kTypeNames[type]}` : ''}
              </p>
            );
          }
          const rendered = html[text++];
          return rendered ? <RichHtml key={block.key} html={rendered} /> : null;
        })}
      </div>
    </section>
  );
}
