import { useState } from 'react';
import {
  api,
  type CatalogApi,
  type CourseSummary,
  type Page,
  type Problem,
} from '../../api/client';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { plural } from '../../lib/plural';
import { TagList } from '../../components/TagList';
import { toProblem, useResource } from '../../lib/useResource';
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
  const [courses, setCourses] = useState(firstPage.items);
  const [cursor, setCursor] = useState(firstPage.next_cursor);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreProblem, setMoreProblem] = useState<Problem | null>(null);

  async function loadMore() {
    if (cursor === null) return;
    setLoadingMore(true);
    setMoreProblem(null);
    try {
      const page = await client.listCourses({ cursor });
      setCourses((shown) => [...shown, ...page.items]);
      setCursor(page.next_cursor);
    } catch (error) {
      setMoreProblem(toProblem(error));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <h1>Courses</h1>
      <p className="lead">Pick a course and learn by doing: every lesson has exercises to try.</p>
      {courses.length === 0 ? (
        <p className="empty">No courses have been published yet.</p>
      ) : (
        <ul className="course-list">
          {courses.map((course) => (
            <li key={course.slug}>
              <CourseCard course={course} />
            </li>
          ))}
        </ul>
      )}
      {cursor !== null && (
        <p className="load-more">
          <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Show more courses'}
          </button>
        </p>
      )}
      {moreProblem && (
        <p className="inline-problem" role="alert">
          {moreProblem.title}
          {moreProblem.detail ? `: ${moreProblem.detail}` : ''}
        </p>
      )}
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
