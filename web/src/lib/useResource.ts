import { useCallback, useEffect, useState } from 'react';
import { ApiError, isAbort, type Problem } from '../api/client';

export type Resource<T> =
  { state: 'loading' } | { state: 'error'; problem: Problem } | { state: 'ready'; data: T };

/**
 * Loads data for a page. `load` runs again whenever `key` changes (and on `reload`); a load that
 * is overtaken by a newer one, or by unmounting, is aborted and its result ignored. Data loaded
 * for another key is never returned: after a key change the caller sees 'loading' at once.
 */
export function useResource<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): Resource<T> & { reload: () => void } {
  const [loaded, setLoaded] = useState<{ key: string; resource: Resource<T> } | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ key, resource: { state: 'loading' } });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setLoaded({ key, resource: { state: 'ready', data } });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        setLoaded({ key, resource: { state: 'error', problem: toProblem(error) } });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure on every render; `key` says when the data it fetches changes.
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const resource: Resource<T> = loaded?.key === key ? loaded.resource : { state: 'loading' };
  return { ...resource, reload };
}

export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return {
    type: 'about:blank',
    title: 'Something went wrong',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  };
}
