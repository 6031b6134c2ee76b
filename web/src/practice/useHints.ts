import { useRef, useState } from 'react';
import { ApiError, type Exercise, type Hint, type LearningApi } from '../api/client';
import { formErrors } from '../forms/problemErrors';
import { toProblem } from '../lib/useResource';

export interface Hints {
  /** The hints revealed here, in order. */
  shown: Hint[];
  /** As far as the client knows: the exercise's hint count until the server says otherwise. */
  left: number;
  busy: boolean;
  problem: string | null;
  reveal: () => Promise<Hint | null>;
}

/**
 * Reveals an exercise's hints one at a time (the server counts each one used). `usedBefore`:
 * hints revealed on an earlier visit, from the learner's progress (which may arrive late).
 */
export function useHints(
  client: Pick<LearningApi, 'takeHint'>,
  exercise: Exercise,
  usedBefore = 0,
): Hints {
  const [shown, setShown] = useState<Hint[]>([]);
  // What the server last said; until then, the count from the lesson and the progress.
  const [serverLeft, setLeft] = useState<number | null>(null);
  const left = serverLeft ?? Math.max(0, exercise.hint_count - usedBefore);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const running = useRef(false);

  async function reveal(): Promise<Hint | null> {
    if (running.current || left <= 0) return null;
    running.current = true;
    setBusy(true);
    setProblem(null);
    try {
      const hint = await client.takeHint(exercise.ref);
      setShown((before) => [...before.filter((h) => h.hint_number !== hint.hint_number), hint]);
      setLeft(hint.hints_left);
      return hint;
    } catch (error) {
      const failure = toProblem(error);
      if (failure.status === 409) {
        setLeft(0);
        setProblem('There are no more hints for this exercise.');
      } else if (failure.status === 0) {
        setProblem('The hint could not be fetched: the server is out of reach. Try again.');
      } else {
        const retryAfterSeconds = error instanceof ApiError ? error.retryAfterSeconds : null;
        setProblem(formErrors(failure, [], { retryAfterSeconds }).form ?? failure.title);
      }
      return null;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return { shown, left, busy, problem, reveal };
}
