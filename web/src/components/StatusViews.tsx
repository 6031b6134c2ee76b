import type { Problem } from '../api/client';
import { Link, paths } from '../router/router';

export function LoadingView({ label }: { label: string }) {
  return (
    <p className="status status-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export interface ProblemViewProps {
  problem: Problem;
  onRetry?: () => void;
}

/** An API problem as the learner sees it: its title and detail, and a way on. */
export function ProblemView({ problem, onRetry }: ProblemViewProps) {
  const notFound = problem.status === 404;
  // Errors that a second try may cure: the network, the server, rate limits.
  const retryable = problem.status === 0 || problem.status === 429 || problem.status >= 500;
  return (
    <div className="problem" role="alert">
      <h1>{notFound ? 'Not found' : problem.title}</h1>
      {notFound && problem.title !== 'Not Found' && <p>{problem.title}</p>}
      {problem.detail && <p>{problem.detail}</p>}
      <p className="problem-actions">
        {onRetry && retryable && (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        )}
        <Link to={paths.catalog()}>Back to the course catalog</Link>
      </p>
      {problem.request_id && (
        <p className="problem-reference">
          Reference: <code>{problem.request_id}</code>
        </p>
      )}
    </div>
  );
}
