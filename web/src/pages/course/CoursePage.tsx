import { api, type CatalogApi, type Course } from '../../api/client';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { plural } from '../../lib/plural';
import { TagList } from '../../components/TagList';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { Link, paths } from '../../router/router';

export interface CoursePageProps {
  course: string;
  client?: CatalogApi;
}

export function CoursePage({ course: slug, client = api }: CoursePageProps) {
  const course = useResource(`course/${slug}`, (signal) => client.getCourse(slug, signal));
  useDocumentTitle(
    course.state === 'ready'
      ? course.data.title
      : course.state === 'error'
        ? course.problem.title
        : null,
  );

  if (course.state === 'loading') return <LoadingView label="Loading course…" />;
  if (course.state === 'error')
    return <ProblemView problem={course.problem} onRetry={course.reload} />;
  return <CourseOutline course={course.data} />;
}

function CourseOutline({ course }: { course: Course }) {
  const first = course.lessons[0];
  return (
    <>
      <Breadcrumbs items={[{ label: 'Courses', to: paths.catalog() }, { label: course.title }]} />
      <div className="course-intro" lang={course.language || undefined}>
        <h1>{course.title}</h1>
        {course.summary && <p className="lead">{course.summary}</p>}
      </div>
      <TagList tags={course.tags} />
      {first && (
        <p>
          <Link className="button button-primary" to={paths.lesson(course.slug, first.slug)}>
            Start the course
          </Link>
        </p>
      )}
      <h2>Lessons</h2>
      {course.lessons.length === 0 ? (
        <p className="empty">This course has no lessons yet.</p>
      ) : (
        <ol className="lesson-list">
          {course.lessons.map((lesson) => (
            <li key={lesson.slug} className="lesson-list-item">
              <Link to={paths.lesson(course.slug, lesson.slug)} lang={course.language || undefined}>
                {lesson.title}
              </Link>
              <span className="lesson-list-count">{plural(lesson.exercise_count, 'exercise')}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
