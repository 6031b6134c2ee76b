import { useCallback, useRef, useState } from 'react';
import { isStaleDraft, type AuthoringApi, type Draft, type Revision } from '../../api/authoring';
import { toProblem, useResource, type Resource } from '../../lib/useResource';

/** What an author had typed when a save was refused: shown to copy, since a reload replaces it. */
export interface UnsavedText {
  /** What it is, such as "Lesson text" or "Exercise (JSON)". */
  label: string;
  text: string;
}

/** The draft moved on since this page read it: someone else (or another tab) changed the course. */
export interface Conflict {
  unsaved: UnsavedText | null;
  /** The author has read the draft again since. */
  reloaded?: boolean;
}

export interface DraftEditor {
  resource: Resource<Draft> & { reload: () => void };
  /**
   * The draft as the server last answered it; null until first loaded. While it is read again,
   * the one before stays, so the page (and what is typed in it) stays until the new one comes.
   */
  draft: Draft | null;
  /** Changes when a load (the first, or a reload) brings the server's draft: forms start afresh
   * from it then, and keep what is typed through the page's own changes. */
  loadKey: number | null;
  /**
   * Sends a change made on the current revision (its If-Match), and takes the draft the server
   * answers. A stale revision resolves null and raises `conflict` (with `unsaved`, to keep it in
   * view); other failures reject, for the form to show.
   */
  change: (
    send: (revision: Revision) => Promise<Draft>,
    unsaved?: UnsavedText,
  ) => Promise<Draft | null>;
  /**
   * Sends a request on the current revision that answers something else than the draft
   * (publishing, a rollback): a stale revision resolves null and raises `conflict` as `change`
   * does.
   */
  guard: <T>(send: (revision: Revision) => Promise<T>) => Promise<T | null>;
  /** Takes a newer head of the course (after publishing): same content, new status. */
  update: (changes: Partial<Draft>) => void;
  conflict: Conflict | null;
  /** Reads the draft again; a conflict notice stays until dismissed, so its text stays too. */
  reload: () => void;
  dismissConflict: () => void;
}

/** One course's draft on an authoring page, and the optimistic concurrency of changing it. */
export function useDraft(api: Pick<AuthoringApi, 'getDraft'>, course: string): DraftEditor {
  const resource = useResource(`draft\n${course}`, (signal) => api.getDraft(course, signal));
  // Changes made here since the last load: kept with the load they apply to, so that a reload
  // (a new object) shows the server's draft again.
  const [local, setLocal] = useState<{ base: Draft; draft: Draft } | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const lastLoad = useRef<Draft | null>(null);
  if (resource.state === 'ready') lastLoad.current = resource.data;
  const loaded =
    resource.state !== 'error' && lastLoad.current?.slug === course ? lastLoad.current : null;
  const draft = loaded && local?.base === loaded ? local.draft : loaded;
  // The newest draft for changes sent before a re-render (two quick moves in a row).
  const latest = useRef<{ base: Draft | null; draft: Draft | null }>({ base: null, draft: null });
  if (latest.current.base !== loaded) latest.current = { base: loaded, draft };
  const loadKey = useLoadKey(loaded);

  const change = useCallback(
    async (send: (revision: Revision) => Promise<Draft>, unsaved?: UnsavedText) => {
      const { base, draft: current } = latest.current;
      if (!base || !current) return null;
      try {
        const next = await send(current.revision);
        if (latest.current.base === base) {
          latest.current = { base, draft: next };
          setLocal({ base, draft: next });
        }
        return next;
      } catch (error) {
        if (!isStaleDraft(toProblem(error))) throw error;
        setConflict({ unsaved: unsaved ?? null });
        return null;
      }
    },
    [],
  );

  const guard = useCallback(async <T>(send: (revision: Revision) => Promise<T>) => {
    const current = latest.current.draft;
    if (!current) return null;
    try {
      return await send(current.revision);
    } catch (error) {
      if (!isStaleDraft(toProblem(error))) throw error;
      setConflict({ unsaved: null });
      return null;
    }
  }, []);

  const update = useCallback((changes: Partial<Draft>) => {
    const { base, draft: current } = latest.current;
    if (!base || !current) return;
    const next = { ...current, ...changes };
    latest.current = { base, draft: next };
    setLocal({ base, draft: next });
  }, []);

  const { reload: readAgain } = resource;
  const reload = useCallback(() => {
    setConflict((current) => (current ? { ...current, reloaded: true } : current));
    readAgain();
  }, [readAgain]);

  return {
    resource,
    draft,
    loadKey,
    change,
    guard,
    update,
    conflict,
    reload,
    dismissConflict: () => setConflict(null),
  };
}

/** A number that changes with each new `loaded` object. */
function useLoadKey(loaded: Draft | null): number | null {
  const seen = useRef<{ draft: Draft | null; key: number }>({ draft: null, key: 0 });
  if (seen.current.draft !== loaded) seen.current = { draft: loaded, key: seen.current.key + 1 };
  return loaded ? seen.current.key : null;
}
