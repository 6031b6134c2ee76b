import { useEffect, useState } from 'react';
import type { CourseProgress, LearningApi, Session, SessionState } from '../api/client';
import { useSession } from '../auth/useSession';
import { toProblem } from '../lib/useResource';

/** Progress on a course the learner has not touched (the server may answer 404 for it). */
export function noProgress(course: string): CourseProgress {
  return { course, completion: 0, score: 0, xp: 0, streak: 0, exercises: [] };
}

/** For pages shown without a client: never signed in. */
const kUnknown: SessionState = { status: 'unknown' };
const kNoSession: Session = { get: () => kUnknown, subscribe: () => () => {} };

/**
 * The signed-in learner's progress on `course`, or null while signed out, loading, or when it
 * could not be loaded: progress adorns a page, so failing to get it is no error to show.
 */
export function useCourseProgress(
  client: Pick<LearningApi, 'getCourseProgress'> | undefined,
  session: Session | undefined,
  course: string,
): CourseProgress | null {
  const state = useSession(session ?? kNoSession);
  const userId = client && state.status === 'signed-in' ? state.user.id : null;
  const key = userId === null ? null : `${userId}/${course}`;
  const [loaded, setLoaded] = useState<{ key: string; progress: CourseProgress } | null>(null);

  useEffect(() => {
    if (key === null || !client) return;
    const controller = new AbortController();
    client.getCourseProgress(course, controller.signal).then(
      (progress) => {
        if (!controller.signal.aborted) setLoaded({ key, progress });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (toProblem(error).status === 404) setLoaded({ key, progress: noProgress(course) });
      },
    );
    return () => controller.abort();
    // The client is fixed for the page's life; the key says when the data changes.
  }, [key]);

  return loaded !== null && loaded.key === key ? loaded.progress : null;
}

/** The learner's progress on one exercise of a course, matched by id or by ref. */
export function exerciseProgress(
  progress: CourseProgress | null,
  exercise: { id: string; ref: string },
) {
  return progress?.exercises.find(
    (entry) => entry.exercise_id === exercise.id || entry.exercise_id === exercise.ref,
  );
}
