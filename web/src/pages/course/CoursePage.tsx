import {
  api,
  type AuthApi,
  type CatalogApi,
  type Course,
  type CourseProgress,
  type LearningApi,
} from '../../api/client';
import { Breadcrumbs } from '../../components/Breadcrumbs';
import { CompletionBar } from '../../components/CompletionBar';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { plural } from '../../lib/plural';
import { TagList } from '../../components/TagList';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { useCourseProgress } from '../../practice/useCourseProgress';
import { percent } from '../../practice/verdict';
import { Link, paths } from '../../router/router';

export interface CoursePageProps {
  course: string;
  client?: CatalogApi & Pick<AuthApi, 'session'> & Pick<LearningApi, 'getCourseProgress'>;
}

export function CoursePage({ course: slug, client = api }: CoursePageProps) {
  const course = useResource(`course/${slug}`, (signal) => client.getCourse(slug, signal));
  const progress = useCourseProgress(client, client.session, slug);
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
  return <CourseOutline course={course.data} progress={progress} />;
}

/**
 * Solved exercises per lesson slug, when the progress says which lesson each exercise is in;
 * null otherwise (the outline does not list a lesson's exercises).
 */
function solvedByLesson(progress: CourseProgress): Map<string, number> | null {
  const counts = new Map<string, number>();
  for (const entry of progress.exercises) {
    if (typeof entry.lesson !== 'string') return null;
    if (entry.solved) counts.set(entry.lesson, (counts.get(entry.lesson) ?? 0) + 1);
  }
  return counts;
}

interface CourseOutlineProps {
  course: Course;
  /** The signed-in learner's progress, or null. */
  progress: CourseProgress | null;
}

function CourseOutline({ course, progress }: CourseOutlineProps) {
  const first = course.lessons[0];
  const perLesson = progress ? solvedByLesson(progress) : null;
  const total = course.lessons.reduce((sum, lesson) => sum + lesson.exercise_count, 0);
  const solved = progress?.exercises.filter((entry) => entry.solved).length ?? 0;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Courses', to: paths.catalog() }, { label: course.title }]} />
      <div className="course-intro" lang={course.language || undefined}>
        <h1>{course.title}</h1>
        {course.summary && <p className="lead">{course.summary}</p>}
      </div>
      <TagList tags={course.tags} />
      {progress && (
        <section className="course-progress" aria-labelledby="course-progress-title">
          <h2 id="course-progress-title">Your progress</h2>
          <CompletionBar completion={progress.completion} label={course.title} />
          <p className="course-progress-facts">
            {solved} of {plural(total, 'exercise')} solved · score {percent(progress.score)} ·{' '}
            {progress.xp} XP
          </p>
        </section>
      )}
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
              {perLesson && (perLesson.get(lesson.slug) ?? 0) > 0 && (
                <span className="lesson-list-solved">
                  <span aria-hidden="true">✓ </span>
                  {perLesson.get(lesson.slug)} of {lesson.exercise_count} solved
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
