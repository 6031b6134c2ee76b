import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type {
  AttemptResult,
  Exercise,
  ExerciseProgress,
  LearningApi,
  Session,
} from '../api/client';
import { useSession } from '../auth/useSession';
import { RichHtml } from '../components/RichHtml';
import { ExerciseView } from '../exercises/ExerciseView';
import { PartMark, PartNote } from '../exercises/PartFeedback';
import { partResults, placedParts } from '../exercises/parts';
import { htmlToText } from '../lib/htmlToText';
import { plural } from '../lib/plural';
import { Link, paths, usePathname } from '../router/router';
import { useCheck } from './useCheck';
import { useHints } from './useHints';
import { percent, triesLeft, verdictOf } from './verdict';

export interface ExercisePracticeProps {
  exercise: Exercise;
  /** 1-based position in the lesson, for the heading. */
  number: number;
  total: number;
  client: Pick<LearningApi, 'submitAttempt' | 'takeHint'>;
  session: Session;
  /** "review": one check, then the caller asks for a rating; no "Try again". */
  mode?: 'lesson' | 'review';
  /** The learner's standing on the exercise from before this page. */
  prior?: ExerciseProgress;
  onGraded?: (result: AttemptResult) => void;
  /** The server refused to grade: no tries are left. */
  onExhausted?: () => void;
  /** Shown after the result and the buttons (a review's rating). */
  children?: ReactNode;
}

/**
 * An exercise the learner can answer and have graded: Check, the verdict with the score and the
 * feedback (overall, and beside each part), tries left, hints one at a time, the explanation once
 * it is due, and "Try again" while tries remain. Results are announced through live regions.
 */
export function ExercisePractice({
  exercise,
  number,
  total,
  client,
  session,
  mode = 'lesson',
  prior,
  onGraded,
  onExhausted,
  children,
}: ExercisePracticeProps) {
  const state = useSession(session);
  const pathname = usePathname();
  const id = useId();
  const check = useCheck(client, exercise, {
    attemptsLeft:
      exercise.max_attempts === null || !prior
        ? undefined
        : Math.max(0, exercise.max_attempts - prior.attempts),
    onGraded,
    onExhausted,
  });
  const hints = useHints(client, exercise, prior?.hints_used);
  const { result } = check;
  const parts = useMemo(() => (result ? partResults(result.parts) : undefined), [result]);

  // Buttons that go away once pressed must not drop focus: after "Try again" it moves into the
  // answer, and after the last hint (whose button goes) to that hint.
  const answerRef = useRef<HTMLFieldSetElement>(null);
  const hintListRef = useRef<HTMLOListElement>(null);
  const [focusTarget, setFocusTarget] = useState<'answer' | 'last-hint' | null>(null);
  const [hintAnnouncement, setHintAnnouncement] = useState('');
  useEffect(() => {
    if (focusTarget === 'answer') {
      const fieldset = answerRef.current;
      const control =
        fieldset?.querySelector<HTMLElement>('input:checked') ??
        fieldset?.querySelector<HTMLElement>('input, select, textarea, button');
      control?.focus();
    } else if (focusTarget === 'last-hint') {
      hintListRef.current?.querySelector<HTMLElement>('li:last-child')?.focus();
    }
    if (focusTarget) setFocusTarget(null);
  }, [focusTarget]);

  // Essays are saved, not checked: nothing marks them (the server says graded: false).
  const essay = exercise.type === 'essay';
  const solved = result?.correct === true;
  const outOfTries = check.attemptsLeft !== null && check.attemptsLeft <= 0;
  const canTryAgain = mode === 'lesson' && result !== null && !solved && !outOfTries;
  const canHint = hints.left > 0 && !solved && !outOfTries;

  function tryAgain() {
    check.tryAgain();
    setFocusTarget('answer');
  }

  async function revealHint() {
    const hint = await hints.reveal();
    if (!hint) return;
    if (hint.hints_left > 0) {
      setHintAnnouncement(`Hint ${hint.hint_number}: ${htmlToText(hint.hint_html)}`);
    } else {
      setFocusTarget('last-hint');
    }
  }

  const signedIn = state.status === 'signed-in';
  const hintCountId = `${id}-hint-count`;
  return (
    <ExerciseView
      exercise={exercise}
      number={number}
      total={total}
      onAnswerChange={(_, answer) => check.setAnswer(answer)}
      parts={parts}
      locked={result !== null || check.busy}
      answerError={check.answerError}
      answerRef={answerRef}
    >
      {prior?.solved && !result && (
        <p className="exercise-meta">
          {essay
            ? 'You have answered this one before.'
            : `You have solved this one before (best score ${percent(prior.best_score)}).`}
        </p>
      )}
      {hints.shown.length > 0 && (
        <ol className="hint-list" aria-label="Hints" ref={hintListRef}>
          {hints.shown.map((hint) => (
            <li key={hint.hint_number} tabIndex={-1}>
              <span className="hint-label">Hint {hint.hint_number}:</span>{' '}
              <RichHtml className="hint-text" html={hint.hint_html} />
            </li>
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status">
        {hintAnnouncement}
      </p>
      <div className="practice-result" role="status">
        {check.busy && (
          <p className="practice-checking">
            {essay ? 'Saving your answer…' : 'Checking your answer…'}
          </p>
        )}
        {result && <AttemptSummary exercise={exercise} result={result} />}
        {!result && outOfTries && signedIn && <p className="result-tries">No tries left</p>}
      </div>
      <div className="practice-alert" role="alert">
        {check.problem && (
          <p className="form-error">
            {mode === 'review' && outOfTries
              ? 'Your tries on this exercise are used up, so it cannot be checked again. Rate how well you remembered the answer.'
              : check.problem}
          </p>
        )}
        {hints.problem && <p className="form-error">{hints.problem}</p>}
      </div>
      {result?.explanation_html && (
        <section className="explanation" aria-labelledby={`${id}-explanation`}>
          <h3 id={`${id}-explanation`}>Explanation</h3>
          <RichHtml html={result.explanation_html} />
        </section>
      )}
      {signedIn ? (
        <div className="practice-actions">
          {/* Kept (aria-disabled) once graded, so that focus stays put; in a review, focus
              moves on to the rating instead. */}
          {!(mode === 'review' && result) && (
            <button
              type="button"
              className="button button-primary"
              aria-disabled={!check.ready}
              onClick={() => void check.check()}
            >
              {essay ? (check.busy ? 'Saving…' : 'Submit') : check.busy ? 'Checking…' : 'Check'}
            </button>
          )}
          {canTryAgain && (
            <button type="button" className="button" onClick={tryAgain}>
              {essay ? 'Revise your answer' : 'Try again'}
            </button>
          )}
          {canHint && (
            <span className="hint-action">
              <button
                type="button"
                className="button"
                aria-disabled={hints.busy}
                aria-describedby={hintCountId}
                onClick={() => void revealHint()}
              >
                Show a hint
              </button>
              <span id={hintCountId} className="hint-count">
                {plural(hints.left, 'hint')} left
              </span>
            </span>
          )}
        </div>
      ) : state.status === 'signed-out' ? (
        <p className="practice-signin">
          <Link to={paths.login(pathname)}>Sign in to check your answers</Link>
        </p>
      ) : null}
      {children}
    </ExerciseView>
  );
}

/** The verdict, the overall feedback, feedback on parts not shown beside an input, tries left. */
function AttemptSummary({ exercise, result }: { exercise: Exercise; result: AttemptResult }) {
  if (result.graded === false) return <SavedSummary result={result} />;
  const verdict = verdictOf(result);
  const placed = placedParts(exercise);
  const others = result.parts.filter(
    (part) =>
      !placed.has(part.part) &&
      (part.part !== '' ||
        (part.feedback_html !== '' && part.feedback_html !== result.feedback_html)),
  );
  const tries = result.correct ? null : triesLeft(result.attempts_left);
  return (
    <div className={`result result-${verdict.tone}`}>
      <p className="result-verdict">
        <PartMark tone={verdict.tone} /> <strong>{verdict.title}</strong> —{' '}
        <span className="nowrap">{verdict.score}</span>
        {result.score < result.raw_score && (
          <span className="result-penalty">
            {' '}
            (marked down from {percent(result.raw_score)} for the earlier tries)
          </span>
        )}
      </p>
      {result.feedback_html && <RichHtml className="result-feedback" html={result.feedback_html} />}
      {others.length > 0 && (
        <ul className="part-notes">
          {others.map((part, index) => (
            <li key={`${index}-${part.part}`}>
              <PartNote
                id={`${result.attempt_id}-${index}`}
                part={part}
                name={part.part || undefined}
              />
            </li>
          ))}
        </ul>
      )}
      {tries && <p className="result-tries">{tries}</p>}
    </div>
  );
}

/** An answer kept without marking (an essay): no verdict and no score, only that it is saved. */
function SavedSummary({ result }: { result: AttemptResult }) {
  const tries = triesLeft(result.attempts_left);
  return (
    <div className="result result-saved">
      <p className="result-verdict">
        <strong>Answer saved</strong>
      </p>
      <p className="result-note">It is not marked automatically; an instructor may review it.</p>
      {tries && <p className="result-tries">{tries}</p>}
    </div>
  );
}
