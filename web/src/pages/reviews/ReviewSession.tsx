import { useEffect, useId, useRef, useState } from 'react';
import type { LearningApi, Page, ReviewCard, ReviewRating, Session } from '../../api/client';
import { formErrors } from '../../forms/problemErrors';
import { plural } from '../../lib/plural';
import { toProblem } from '../../lib/useResource';
import { ExercisePractice } from '../../practice/ExercisePractice';
import { suggestedRating } from '../../practice/verdict';
import { Link, paths } from '../../router/router';

const kRatings: { rating: ReviewRating; label: string }[] = [
  { rating: 'again', label: 'Again' },
  { rating: 'hard', label: 'Hard' },
  { rating: 'good', label: 'Good' },
  { rating: 'easy', label: 'Easy' },
];

export interface ReviewSessionProps {
  /** The first page of due cards. */
  first: Page<ReviewCard>;
  client: Pick<LearningApi, 'listReviews' | 'rateReview' | 'submitAttempt' | 'takeHint'>;
  session: Session;
}

/** What the learner's answer suggests; null when it could not be graded. */
type Graded = { suggestion: ReviewRating | null };

/**
 * Due cards one at a time: the exercise with Check, then Again / Hard / Good / Easy with the
 * answer's suggestion preselected (focused and highlighted), and on to the next card.
 */
export function ReviewSession({ first, client, session }: ReviewSessionProps) {
  const [queue, setQueue] = useState<readonly ReviewCard[]>(first.items);
  const [cursor, setCursor] = useState(first.next_cursor);
  const [index, setIndex] = useState(0);
  const [reviewed, setReviewed] = useState(0);
  const [graded, setGraded] = useState<Graded | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // After a rating, focus moves to the next card (or the end): a keyboard user carries on there.
  const nextRef = useRef<HTMLElement | null>(null);
  const setNext = (element: HTMLElement | null) => {
    nextRef.current = element;
  };
  const [advanced, setAdvanced] = useState(0);
  useEffect(() => {
    if (advanced > 0) nextRef.current?.focus();
  }, [advanced]);

  const card = queue[index];

  async function rate(rating: ReviewRating) {
    if (!card || saving) return;
    setSaving(true);
    setProblem(null);
    try {
      const outcome = await client.rateReview(card.ref, rating);
      setAnnouncement(`Saved. Next review ${inDays(outcome.interval_days)}.`);
      setReviewed((count) => count + 1);
      setGraded(null);
      if (index + 1 < queue.length) {
        setIndex(index + 1);
      } else if (cursor !== null) {
        // Rated cards are no longer due, so the first page now holds the ones still waiting.
        const page = await client.listReviews();
        setQueue(page.items);
        setCursor(page.next_cursor);
        setIndex(0);
      } else {
        setIndex(queue.length);
      }
      setAdvanced((count) => count + 1);
    } catch (error) {
      const failure = toProblem(error);
      setProblem(
        failure.status === 0
          ? 'Your rating could not be saved: the server is out of reach. Try again.'
          : (formErrors(failure, []).form ?? failure.title),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <h1>Reviews</h1>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {card ? (
        <>
          <p className="review-position" tabIndex={-1} ref={setNext}>
            Card {index + 1} of {queue.length}
            <span className="review-source">
              {' '}
              · from <Link to={paths.lesson(card.course, card.lesson)}>its lesson</Link>
            </span>
          </p>
          <ExercisePractice
            key={`${reviewed}-${card.ref}`}
            exercise={card.exercise}
            number={index + 1}
            total={queue.length}
            client={client}
            session={session}
            mode="review"
            onGraded={(result) => setGraded({ suggestion: suggestedRating(result.correct) })}
            onExhausted={() => setGraded({ suggestion: null })}
          >
            {graded && <RatingButtons suggestion={graded.suggestion} busy={saving} onRate={rate} />}
            <div className="practice-alert" role="alert">
              {problem && <p className="form-error">{problem}</p>}
            </div>
          </ExercisePractice>
        </>
      ) : (
        <div className="review-done" tabIndex={-1} ref={setNext}>
          {reviewed === 0 ? (
            <p className="empty">No reviews due — come back tomorrow.</p>
          ) : (
            <p>
              All done: you reviewed {plural(reviewed, 'card')}. Come back tomorrow for the next
              ones.
            </p>
          )}
          <p>
            <Link to={paths.progress()}>See your progress</Link> or{' '}
            <Link to={paths.catalog()}>carry on with a course</Link>.
          </p>
        </div>
      )}
    </>
  );
}

interface RatingButtonsProps {
  suggestion: ReviewRating | null;
  busy: boolean;
  onRate: (rating: ReviewRating) => void;
}

function RatingButtons({ suggestion, busy, onRate }: RatingButtonsProps) {
  const id = useId();
  const preselected = useRef<HTMLButtonElement>(null);
  useEffect(() => preselected.current?.focus(), []);
  const focusTarget = suggestion ?? 'again';
  const suggestedLabel = kRatings.find((entry) => entry.rating === suggestion)?.label;
  return (
    <div className="rating" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="rating-title">
        How well did you remember it?
      </p>
      <div className="rating-buttons">
        {kRatings.map(({ rating, label }) => {
          const suggested = rating === suggestion;
          return (
            <button
              key={rating}
              type="button"
              ref={rating === focusTarget ? preselected : undefined}
              className={suggested ? 'button button-primary' : 'button'}
              aria-disabled={busy}
              aria-describedby={suggested ? `${id}-suggested` : undefined}
              onClick={() => {
                if (!busy) onRate(rating);
              }}
            >
              {label}
            </button>
          );
        })}
      </div>
      {suggestedLabel && (
        <p id={`${id}-suggested`} className="field-help">
          Suggested from your answer: {suggestedLabel}.
        </p>
      )}
    </div>
  );
}

function inDays(days: number): string {
  if (days <= 0) return 'later today';
  return days === 1 ? 'tomorrow' : `in ${days} days`;
}
