import { useRef, useState } from 'react';
import {
  ApiError,
  kProblemTypes,
  type Answer,
  type AttemptResult,
  type Exercise,
  type LearningApi,
  type Problem,
} from '../api/client';
import { isCompleteAnswer } from '../exercises/answers';
import { formErrors } from '../forms/problemErrors';
import { toProblem } from '../lib/useResource';
import { randomUuid } from '../lib/uuid';

/** How long to wait before asking again about a submission the server is still processing. */
export const kInFlightRetryMs = 800;
const kInFlightRetries = 3;

export interface Check {
  /** The learner's answer as the exercise's input last reported it. */
  answer: Answer | null;
  setAnswer: (answer: Answer | null) => void;
  /** Whether Check would send something: a complete answer, nothing on show or in flight. */
  ready: boolean;
  busy: boolean;
  /** The graded attempt on show; the inputs are locked while there is one. */
  result: AttemptResult | null;
  /** Why the answer was refused (a 400), for under the input. */
  answerError: string | null;
  /** Why checking failed otherwise (network, session, tries used up). */
  problem: string | null;
  /** Null: unlimited. */
  attemptsLeft: number | null;
  check: () => Promise<void>;
  /** Puts the graded answer away so the learner can change it and check again. */
  tryAgain: () => void;
}

export interface CheckOptions {
  /** Tries left before any attempt here (from the learner's progress); default max_attempts. */
  attemptsLeft?: number | null;
  onGraded?: (result: AttemptResult) => void;
  /** The server says no tries are left (409). */
  onExhausted?: () => void;
}

/**
 * A submission whose outcome the client does not know: sending it again must reuse its key, and
 * its whole body (the time taken too), or the server would see the key reused for another request.
 */
interface Pending {
  key: string;
  answerJson: string;
  timeTakenMs: number;
}

/** The server accepts 0 to 24 hours. */
const kMaxTimeTakenMs = 86_400_000;

function elapsedSince(shownAt: number): number {
  return Math.min(kMaxTimeTakenMs, Math.max(0, Math.round(performance.now() - shownAt)));
}

/**
 * The state of checking one exercise. Each submission carries a fresh Idempotency-Key; when a
 * submission fails without a known outcome (no network, a 5xx, the server still busy with it),
 * checking the same answer again sends the same key, so the server grades it at most once.
 */
export function useCheck(
  client: Pick<LearningApi, 'submitAttempt'>,
  exercise: Exercise,
  options: CheckOptions = {},
): Check {
  const [answer, setAnswerState] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [answerError, setAnswerError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // What the server last said; until then, the caller's figure (which may arrive late).
  const [serverAttemptsLeft, setAttemptsLeft] = useState<number | null | undefined>(undefined);
  const attemptsLeft =
    serverAttemptsLeft !== undefined
      ? serverAttemptsLeft
      : options.attemptsLeft !== undefined
        ? options.attemptsLeft
        : exercise.max_attempts;
  const pending = useRef<Pending | null>(null);
  const running = useRef(false);
  // When the learner started on this answer: the exercise was shown, or they chose to try again.
  const shownAt = useRef(performance.now());

  const exhausted = attemptsLeft !== null && attemptsLeft <= 0;
  const ready = !busy && result === null && !exhausted && isCompleteAnswer(exercise, answer);

  function setAnswer(next: Answer | null) {
    setAnswerState(next);
    setAnswerError(null);
  }

  async function check(): Promise<void> {
    if (running.current || !ready || answer === null) return;
    running.current = true;
    const answerJson = JSON.stringify(answer);
    if (pending.current?.answerJson !== answerJson) {
      pending.current = {
        key: randomUuid(),
        answerJson,
        timeTakenMs: elapsedSince(shownAt.current),
      };
    }
    const { key, timeTakenMs } = pending.current;
    setBusy(true);
    setProblem(null);
    setAnswerError(null);
    try {
      const graded = await submit(client, exercise.ref, answer, key, timeTakenMs);
      pending.current = null;
      setResult(graded);
      setAttemptsLeft(graded.attempts_left);
      options.onGraded?.(graded);
    } catch (error) {
      const failure = toProblem(error);
      if (!outcomeUnknown(failure)) pending.current = null;
      if (failure.type === kProblemTypes.attemptsExhausted) {
        setAttemptsLeft(0);
        options.onExhausted?.();
      }
      if (failure.status === 400) {
        const errors = formErrors(failure, ['answer']);
        setAnswerError(errors.fields.answer?.join(' ') ?? errors.form);
      } else {
        setProblem(
          describe(failure, error instanceof ApiError ? error.retryAfterSeconds : null, exercise),
        );
      }
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  function tryAgain() {
    setResult(null);
    setProblem(null);
    shownAt.current = performance.now();
  }

  return {
    answer,
    setAnswer,
    ready,
    busy,
    result,
    answerError,
    problem,
    attemptsLeft,
    check,
    tryAgain,
  };
}

async function submit(
  client: Pick<LearningApi, 'submitAttempt'>,
  ref: string,
  answer: Answer,
  key: string,
  timeTakenMs: number,
): Promise<AttemptResult> {
  for (let retry = 0; ; retry++) {
    try {
      return await client.submitAttempt(ref, answer, key, timeTakenMs);
    } catch (error) {
      const inFlight =
        error instanceof ApiError && error.problem.type === kProblemTypes.idempotencyKeyInFlight;
      if (!inFlight || retry >= kInFlightRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, kInFlightRetryMs));
    }
  }
}

/** Whether the server may have graded the submission: then a resend must carry the same key. */
function outcomeUnknown(problem: Problem): boolean {
  return (
    problem.status === 0 ||
    problem.status === 429 ||
    problem.status >= 500 ||
    problem.type === kProblemTypes.idempotencyKeyInFlight
  );
}

/** The button that sends an answer, and what the server does with it: essays are only saved. */
function wording(exercise: Exercise): { button: string; done: string } {
  return exercise.type === 'essay'
    ? { button: 'Submit', done: 'saved' }
    : { button: 'Check', done: 'checked' };
}

function describe(problem: Problem, retryAfterSeconds: number | null, exercise: Exercise): string {
  const { button, done } = wording(exercise);
  if (problem.type === kProblemTypes.attemptsExhausted) {
    return 'You have no tries left for this exercise.';
  }
  if (problem.type === kProblemTypes.idempotencyKeyInFlight) {
    return `Your answer is still being ${done}. Press ${button} again in a moment.`;
  }
  if (problem.type === kProblemTypes.idempotencyKeyReused) {
    return `Your answer could not be ${done}. Press ${button} to send it again.`;
  }
  switch (problem.status) {
    case 0:
      return `Your answer could not be sent: the server is out of reach. Check your connection, then press ${button} again.`;
    case 401:
      return 'Your session has ended. Log in again to check your answers.';
    case 404:
      return 'This exercise can no longer be checked. Reload the page to get the current lesson.';
    case 429:
      return formErrors(problem, [], { retryAfterSeconds }).form ?? problem.title;
    default:
      if (problem.status >= 500) {
        return exercise.type === 'essay'
          ? 'The server could not save your answer just now. Press Submit to try again.'
          : 'The server could not check your answer just now. Press Check to try again.';
      }
      return formErrors(problem, []).form ?? problem.title;
  }
}
