import type { CatalogApi, CourseSummary, Page, User } from '../../api/client';
import { LoadMore, useMorePages } from '../../components/LoadMore';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { plural } from '../../lib/plural';
import { isStaff } from '../../lib/roles';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { Link, paths } from '../../router/router';
import { StaffOnly } from '../../components/StaffOnly';
import './analytics.css';

export interface AnalyticsCoursesPageProps {
  client: Pick<CatalogApi, 'listCourses'>;
  /** The signed-in user. */
  user: User;
}

/** Instructors and admins: every course, each leading to its dashboard. */
export function AnalyticsCoursesPage({ client, user }: AnalyticsCoursesPageProps) {
  useDocumentTitle('Analytics');
  if (!isStaff(user.role)) return <StaffOnly title="Analytics" what="see course analytics" />;
  return <CourseChooser client={client} />;
}

function CourseChooser({ client }: { client: Pick<CatalogApi, 'listCourses'> }) {
  const firstPage = useResource('analytics-courses', (signal) => client.listCourses({}, signal));
  if (firstPage.state === 'loading') return <LoadingView label="Loading courses…" />;
  if (firstPage.state === 'error') {
    return <ProblemView problem={firstPage.problem} onRetry={firstPage.reload} />;
  }
  return <CourseList client={client} firstPage={firstPage.data} />;
}

function CourseList({
  client,
  firstPage,
}: {
  client: Pick<CatalogApi, 'listCourses'>;
  firstPage: Page<CourseSummary>;
}) {
  const pages = useMorePages(firstPage, (cursor) => client.listCourses({ cursor }));
  return (
    <>
      <h1>Analytics</h1>
      <p className="lead">
        Choose a course to see how its learners do: exercise statistics, the lesson funnel,
        activity, completions and retention.
      </p>
      {pages.items.length === 0 ? (
        <p className="empty">No courses have been published yet.</p>
      ) : (
        <ul className="analytics-courses">
          {pages.items.map((course) => (
            <li key={course.slug}>
              <Link to={paths.courseAnalytics(course.slug)} lang={course.language || undefined}>
                {course.title}
              </Link>{' '}
              <span className="field-help">
                {plural(course.lesson_count, 'lesson')} ·{' '}
                {plural(course.exercise_count, 'exercise')}
              </span>
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={pages} label="Show more courses" />
    </>
  );
}
