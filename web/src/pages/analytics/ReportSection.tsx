import { useId, type ReactNode } from 'react';
import type { Resource } from '../../lib/useResource';
import { LoadingView } from '../../components/StatusViews';

export interface ReportSectionProps<T> {
  title: string;
  resource: Resource<T> & { reload: () => void };
  /** Beside the heading: the CSV download. */
  actions?: ReactNode;
  /** Under the heading, shown whatever the state: what the report counts, and its controls. */
  intro?: ReactNode;
  /** Why there is nothing to show (no data in the period), or null when there is. */
  empty: (data: T) => string | null;
  children: (data: T) => ReactNode;
}

/**
 * One report of the dashboard: a headed section that loads on its own, says so, shows its
 * problem with a way to try again, and an empty state instead of empty charts.
 */
export function ReportSection<T>({
  title,
  resource,
  actions,
  intro,
  empty,
  children,
}: ReportSectionProps<T>) {
  const headingId = useId();
  let body: ReactNode;
  if (resource.state === 'loading') {
    body = <LoadingView label={`Loading ${title.toLowerCase()}…`} />;
  } else if (resource.state === 'error') {
    body = (
      <div className="inline-problem" role="alert">
        <p>
          {resource.problem.title}
          {resource.problem.detail ? `: ${resource.problem.detail}` : ''}
        </p>
        <button type="button" className="button button-small" onClick={resource.reload}>
          Try again
        </button>
      </div>
    );
  } else {
    const why = empty(resource.data);
    body = why === null ? children(resource.data) : <p className="empty">{why}</p>;
  }
  return (
    <section className="report" aria-labelledby={headingId}>
      <div className="report-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {intro}
      {body}
    </section>
  );
}

/** A chart with its caption; the chart itself is an image named by a summary. */
export function ChartFigure({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <figure className="chart">
      {children}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** A table folded away under a summary: long series that the chart above already shows. */
export function NumbersTable({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="numbers">
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
