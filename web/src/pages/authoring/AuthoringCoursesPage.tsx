import { useState, type FormEvent } from 'react';
import type { AuthoredCourse, AuthoringApi } from '../../api/authoring';
import type { Page, User } from '../../api/client';
import { FormAlert } from '../../forms/FormAlert';
import { LoadMore, useMorePages } from '../../components/LoadMore';
import { StaffOnly } from '../../components/StaffOnly';
import { StaffProblemView } from '../../components/StaffProblemView';
import { LoadingView } from '../../components/StatusViews';
import { isStaff } from '../../lib/roles';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { Link, navigate, paths } from '../../router/router';
import { TextArea, TextInput } from './controls';
import { slugify, statusText } from './names';
import { useEditAction } from './useEditAction';
import './authoring.css';

export interface AuthoringCoursesPageProps {
  api: Pick<AuthoringApi, 'listCourses' | 'createCourse'>;
  user: User;
}

export const kMfaReason =
  'Instructors and administrators must set it up before they can write courses.';

/** "My courses": the courses the author may write, and a form to start a new one. */
export function AuthoringCoursesPage({ api, user }: AuthoringCoursesPageProps) {
  useDocumentTitle('Authoring');
  if (!isStaff(user.role)) return <StaffOnly title="Authoring" what="write courses" />;
  return <Courses api={api} admin={user.role === 'admin'} />;
}

function Courses({ api, admin }: { api: AuthoringCoursesPageProps['api']; admin: boolean }) {
  const firstPage = useResource('authoring-courses', (signal) =>
    api.listCourses(undefined, signal),
  );
  return (
    <>
      <h1>Authoring</h1>
      <p className="lead">
        {admin
          ? 'Every course on the platform. Open one to change its draft, then publish it.'
          : 'The courses you own. Open one to change its draft, then publish it for learners.'}
      </p>
      <h2 id="my-courses">{admin ? 'Courses' : 'My courses'}</h2>
      {firstPage.state === 'loading' && <LoadingView label="Loading your courses…" />}
      {firstPage.state === 'error' && (
        <StaffProblemView
          problem={firstPage.problem}
          onRetry={firstPage.reload}
          mfaReason={kMfaReason}
        />
      )}
      {firstPage.state === 'ready' && <CourseTable api={api} firstPage={firstPage.data} />}
      <NewCourseForm api={api} />
    </>
  );
}

function CourseTable({
  api,
  firstPage,
}: {
  api: AuthoringCoursesPageProps['api'];
  firstPage: Page<AuthoredCourse>;
}) {
  const pages = useMorePages(firstPage, (cursor) => api.listCourses(cursor));
  if (pages.items.length === 0) {
    return <p className="empty">No courses yet: create your first one below.</p>;
  }
  return (
    <>
      <div className="table-scroll">
        <table className="authoring-courses" aria-labelledby="my-courses">
          <thead>
            <tr>
              <th scope="col">Course</th>
              <th scope="col">Slug</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pages.items.map((course) => (
              <tr key={course.slug}>
                <th scope="row">
                  <Link to={paths.authoringCourse(course.slug)}>{course.title}</Link>
                </th>
                <td>
                  <code>{course.slug}</code>
                </td>
                <td>{statusText(course)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore pages={pages} label="Show more courses" />
    </>
  );
}

const kCourseFields = new Set(['slug', 'title', 'summary', 'language', 'tags']);

/** Slug, title, summary, language and tags: the server checks them, each error beside its field. */
function NewCourseForm({ api }: { api: Pick<AuthoringApi, 'createCourse'> }) {
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [summary, setSummary] = useState('');
  const [language, setLanguage] = useState('en');
  const [tags, setTags] = useState('');
  const form = useEditAction(() => kCourseFields);
  const errorsAt = (path: string) => form.errors.fields[path];
  const shownSlug = slugEdited ? slug : slugify(title);

  function submit(event: FormEvent) {
    event.preventDefault();
    void form.run(async () => {
      const draft = await api.createCourse({
        slug: shownSlug,
        title,
        summary,
        language,
        tags: splitTags(tags),
      });
      navigate(paths.authoringCourse(draft.slug));
    });
  }

  return (
    <section aria-labelledby="new-course">
      <h2 id="new-course">Create a course</h2>
      <form ref={form.formRef} className="form" onSubmit={submit} noValidate>
        <FormAlert errors={form.errors} />
        <TextInput label="Title" path="title" errors={errorsAt} value={title} onChange={setTitle} />
        <TextInput
          label="Slug"
          path="slug"
          errors={errorsAt}
          value={shownSlug}
          onChange={(value) => {
            setSlugEdited(true);
            setSlug(value);
          }}
          hint="In the course's address: a-z, 0-9 and hyphens. It cannot change later."
        />
        <TextArea
          label="Summary"
          path="summary"
          errors={errorsAt}
          value={summary}
          onChange={setSummary}
          hint="One or two sentences for the catalog."
        />
        <TextInput
          label="Language"
          path="language"
          errors={errorsAt}
          value={language}
          onChange={setLanguage}
          hint="A language tag such as en or fr-CA."
        />
        <TextInput
          label="Tags"
          path="tags"
          errors={errorsAt}
          value={tags}
          onChange={setTags}
          hint="Keywords, separated by commas."
        />
        <p className="form-actions">
          <button type="submit" className="button button-primary" disabled={form.busy}>
            {form.busy ? 'Creating…' : 'Create the course'}
          </button>
        </p>
      </form>
    </section>
  );
}

export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}
