import { api, type AuthApi, type CatalogApi, type LearningApi } from '../../api/client';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { LessonPlayer } from './LessonPlayer';

export interface LessonPageProps {
  course: string;
  lesson: string;
  client?: CatalogApi &
    Pick<AuthApi, 'session'> &
    Pick<LearningApi, 'submitAttempt' | 'takeHint' | 'getCourseProgress'>;
}

export function LessonPage({ course, lesson, client = api }: LessonPageProps) {
  const key = `lesson/${course}/${lesson}`;
  // The course outline gives the breadcrumb, the lesson's position and the content language.
  const loaded = useResource(key, (signal) =>
    Promise.all([client.getCourse(course, signal), client.getLesson(course, lesson, signal)]),
  );
  useDocumentTitle(
    loaded.state === 'ready'
      ? loaded.data[1].title
      : loaded.state === 'error'
        ? loaded.problem.title
        : null,
  );

  if (loaded.state === 'loading') return <LoadingView label="Loading lesson…" />;
  if (loaded.state === 'error')
    return <ProblemView problem={loaded.problem} onRetry={loaded.reload} />;
  const [courseData, lessonData] = loaded.data;
  // Keyed by the lesson so that moving to another lesson starts its exercises afresh.
  return (
    <LessonPlayer
      key={key}
      course={courseData}
      lesson={lessonData}
      practice={{ client, session: client.session }}
    />
  );
}
