import { useState } from 'react';
import type { Page, Problem } from '../api/client';
import { toProblem } from '../lib/useResource';

export interface MorePages<T> {
  /** The items of every page loaded so far. */
  items: T[];
  hasMore: boolean;
  loading: boolean;
  /** Why the last "more" failed, until the next try. */
  problem: Problem | null;
  loadMore: () => Promise<void>;
}

/** A list that starts with its first page and appends the next on request (cursor paging). */
export function useMorePages<T>(
  firstPage: Page<T>,
  loadPage: (cursor: string) => Promise<Page<T>>,
): MorePages<T> {
  const [items, setItems] = useState(firstPage.items);
  const [cursor, setCursor] = useState(firstPage.next_cursor);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function loadMore() {
    if (cursor === null) return;
    setLoading(true);
    setProblem(null);
    try {
      const page = await loadPage(cursor);
      setItems((shown) => [...shown, ...page.items]);
      setCursor(page.next_cursor);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setLoading(false);
    }
  }

  return { items, hasMore: cursor !== null, loading, problem, loadMore };
}

/** The "Show more …" button under a list, and why the last try failed. */
export function LoadMore<T>({ pages, label }: { pages: MorePages<T>; label: string }) {
  return (
    <>
      {pages.hasMore && (
        <p className="load-more">
          <button
            type="button"
            className="button"
            onClick={pages.loadMore}
            disabled={pages.loading}
          >
            {pages.loading ? 'Loading…' : label}
          </button>
        </p>
      )}
      {pages.problem && (
        <p className="inline-problem" role="alert">
          {pages.problem.title}
          {pages.problem.detail ? `: ${pages.problem.detail}` : ''}
        </p>
      )}
    </>
  );
}
