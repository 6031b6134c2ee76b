import { useState, type FormEvent } from 'react';
import type { AuthoringApi, Draft } from '../../api/authoring';
import type { User } from '../../api/client';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { StaffOnly } from '../../components/StaffOnly';
import { StaffProblemView } from '../../components/StaffProblemView';
import { LoadingView } from '../../components/StatusViews';
import { FormAlert } from '../../forms/FormAlert';
import { isStaff } from '../../lib/roles';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { paths } from '../../router/router';
import { kMfaReason, splitTags } from './AuthoringCoursesPage';
import { BundlePanel } from './BundlePanel';
import { ConflictNotice } from './ConflictNotice';
import { TextArea, TextInput } from './controls';
import { CourseOutline, type OutlineApi } from './CourseOutline';
import { GiftPanel } from './GiftPanel';
import { PublishPanel, type PublishPanelProps } from './PublishPanel';
import { useDraft, type DraftEditor } from './useDraft';
import { useEditAction } from './useEditAction';
import './authoring.css';

export type CourseEditorApi = Pick<AuthoringApi, 'getDraft' | 'updateCourse'> &
  OutlineApi &
  PublishPanelProps['api'] &
  Pick<AuthoringApi, 'downloadBundle' | 'uploadBundle' | 'downloadGift' | 'uploadGift'>;

export interface CourseEditorPageProps {
  api: CourseEditorApi;
  course: string;
  user: User;
}

/**
 * One course's draft: its fields, its outline, publishing and versions, its bundle and its GIFT
 * question bank.
 */
export function CourseEditorPage({ api, course, user }: CourseEditorPageProps) {
  if (!isStaff(user.role)) return <StaffOnly title="Authoring" what="write courses" />;
  return <CourseEditor api={api} course={course} />;
}

function CourseEditor({ api, course }: { api: CourseEditorApi; course: string }) {
  const editor = useDraft(api, course);
  const { resource, draft } = editor;
  useDocumentTitle(draft ? `Edit ${draft.title}` : 'Edit course');
  if (resource.state === 'error') {
    return (
      <StaffProblemView
        problem={resource.problem}
        onRetry={resource.reload}
        mfaReason={kMfaReason}
      />
    );
  }
  if (!draft) return <LoadingView label="Loading the course…" />;
  return (
    <>
      <Breadcrumbs
        items={[{ label: 'Authoring', to: paths.authoring() }, { label: draft.title }]}
      />
      <h1>{draft.title}</h1>
      {editor.conflict && (
        <ConflictNotice
          conflict={editor.conflict}
          onReload={editor.reload}
          onDismiss={editor.dismissConflict}
        />
      )}
      <div className="editor-columns">
        <div>
          <CourseOutline api={api} draft={draft} change={editor.change} />
          <CourseFieldsForm
            // A reload (after a conflict) shows the course's fields as they are now.
            key={editor.loadKey}
            api={api}
            draft={draft}
            change={editor.change}
          />
        </div>
        <div>
          <PublishPanel api={api} draft={draft} editor={editor} />
          <BundlePanel api={api} draft={draft} change={editor.change} />
          <GiftPanel api={api} draft={draft} change={editor.change} />
        </div>
      </div>
    </>
  );
}

const kCourseFields = new Set(['title', 'summary', 'language', 'tags']);

function CourseFieldsForm({
  api,
  draft,
  change,
}: {
  api: Pick<AuthoringApi, 'updateCourse'>;
  draft: Draft;
  change: DraftEditor['change'];
}) {
  const [title, setTitle] = useState(draft.title);
  const [summary, setSummary] = useState(draft.summary);
  const [language, setLanguage] = useState(draft.language);
  const [tags, setTags] = useState(draft.tags.join(', '));
  const [saved, setSaved] = useState('');
  const form = useEditAction(() => kCourseFields);
  const errorsAt = (path: string) => form.errors.fields[path];

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved('');
    void form.run(async () => {
      const unsaved = {
        label: 'Course details',
        text: `Title: ${title}\nSummary: ${summary}\nLanguage: ${language}\nTags: ${tags}`,
      };
      const next = await change(
        (revision) =>
          api.updateCourse(draft.slug, revision, {
            title,
            summary,
            language,
            tags: splitTags(tags),
          }),
        unsaved,
      );
      if (next) setSaved('Saved.');
    });
  }

  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">Course details</h2>
      <form ref={form.formRef} className="form" onSubmit={submit} noValidate>
        <FormAlert errors={form.errors} />
        <p className="field-help">
          Slug: <code>{draft.slug}</code> (it cannot change).
        </p>
        <TextInput label="Title" path="title" errors={errorsAt} value={title} onChange={setTitle} />
        <TextArea
          label="Summary"
          path="summary"
          errors={errorsAt}
          value={summary}
          onChange={setSummary}
        />
        <TextInput
          label="Language"
          path="language"
          errors={errorsAt}
          value={language}
          onChange={setLanguage}
        />
        <TextInput
          label="Tags"
          path="tags"
          errors={errorsAt}
          value={tags}
          onChange={setTags}
          hint="Separated by commas."
        />
        <p className="form-actions">
          <button type="submit" className="button" disabled={form.busy}>
            {form.busy ? 'Saving…' : 'Save the details'}
          </button>
          <span role="status" className="form-status">
            {saved}
          </span>
        </p>
      </form>
    </section>
  );
}
