import { api, type CatalogApi, type CourseSummary, type Page } from '../../api/client';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { plural } from '../../lib/plural';
import { TagList } from '../../components/TagList';
import { LoadMore, useMorePages } from '../../components/LoadMore';
import { useResource } from '../../lib/useResource';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { Link, paths } from '../../router/router';

export function CatalogPage({ client = api }: { client?: CatalogApi }) {
  useDocumentTitle('Courses');
  const firstPage = useResource('catalog', (signal) => client.listCourses({}, signal));

  if (firstPage.state === 'loading') return <LoadingView label="Loading courses…" />;
  if (firstPage.state === 'error') {
    return <ProblemView problem={firstPage.problem} onRetry={firstPage.reload} />;
  }
  return <Catalog client={client} firstPage={firstPage.data} />;
}

function Catalog({ client, firstPage }: { client: CatalogApi; firstPage: Page<CourseSummary> }) {
  const pages = useMorePages(firstPage, (cursor) => client.listCourses({ cursor }));
  return (
    <>
      <h1>Courses</h1>
      <p className="lead">Pick a course and learn by doing: every lesson has exercises to try.</p>
      {pages.items.length === 0 ? (
        <p className="empty">No courses have been published yet.</p>
      ) : (
        <ul className="course-list">
          {pages.items.map((course) => (
            <li key={course.slug}>
              <CourseCard course={course} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={pages} label="Show more courses" />
    </>
  );
}

function CourseCard({ course }: { course: CourseSummary }) {
  return (
    <article className="course-card">
      <h2 className="course-card-title" lang={course.language || undefined}>
        <Link to={paths.course(course.slug)}>{course.title}</Link>
      </h2>
      {course.summary && (
        <p className="course-card-summary" lang={course.language || undefined}>
          {course.summary}
        </p>
      )}
      <p className="course-card-counts">
        {plural(course.lesson_count, 'lesson')} · {plural(course.exercise_count, 'exercise')}
      </p>
      <TagList tags={course.tags} />
    </article>
  );
}
