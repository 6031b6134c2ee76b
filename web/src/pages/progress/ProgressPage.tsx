import type { LearningApi, ProgressOverview } from '../../api/client';
import { CompletionBar } from '../../components/CompletionBar';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { percent, streakText } from '../../practice/verdict';
import { Link, paths } from '../../router/router';

export interface ProgressPageProps {
  client: Pick<LearningApi, 'getProgress'>;
  /** Whose progress: keys the data, so another user's never shows. */
  userId: string;
}

/** The learner's dashboard: XP, the daily streak, and how far along each course is. */
export function ProgressPage({ client, userId }: ProgressPageProps) {
  const progress = useResource(`progress/${userId}`, (signal) => client.getProgress(signal));
  useDocumentTitle('Your progress');

  if (progress.state === 'loading') return <LoadingView label="Loading your progress…" />;
  if (progress.state === 'error')
    return <ProblemView problem={progress.problem} onRetry={progress.reload} />;
  return <ProgressDashboard progress={progress.data} />;
}

function ProgressDashboard({ progress }: { progress: ProgressOverview }) {
  const streak = streakText(progress.streak);
  return (
    <>
      <h1>Your progress</h1>
      <ul className="stats" aria-label="Totals">
        <li className="stat">
          <span className="stat-value progress-xp">{progress.xp}</span>{' '}
          <span className="stat-label">XP</span>
        </li>
        <li className="stat">
          {streak ? (
            <span className="stat-value progress-streak">{streak}</span>
          ) : (
            <>
              <span className="stat-value progress-streak">No streak yet</span>{' '}
              <span className="stat-label">answer an exercise today to start one</span>
            </>
          )}
        </li>
      </ul>
      <h2>Courses</h2>
      {progress.items.length === 0 ? (
        <p className="empty">
          You have not answered any exercises yet. <Link to={paths.catalog()}>Pick a course</Link>{' '}
          to start.
        </p>
      ) : (
        <ul className="progress-courses">
          {progress.items.map((item) => (
            <li key={item.course} className="progress-course">
              <h3 className="progress-course-title">
                <Link to={paths.course(item.course)}>{item.title}</Link>
              </h3>
              <CompletionBar completion={item.completion} label={item.title} />
              <p className="progress-course-facts">
                Score {percent(item.score)} · {item.xp} XP
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
