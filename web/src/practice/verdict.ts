import type { AttemptResult, ReviewRating } from '../api/client';
import type { PartTone } from '../exercises/parts';

/** "67 %": a share in [0, 1] as a whole percentage; "<1 %" rather than "0 %" for a little. */
export function percent(share: number): string {
  const value = Math.min(1, Math.max(0, share));
  if (value > 0 && value < 0.005) return '<1 %';
  return `${Math.round(value * 100)} %`;
}

export interface Verdict {
  tone: PartTone;
  /** "Correct", "Partly right" or "Incorrect". */
  title: string;
  /** The score after the retry penalty, "67 %". */
  score: string;
}

/** How an attempt went, in words. Right but marked down for retries still reads "Correct". */
export function verdictOf(result: Pick<AttemptResult, 'correct' | 'raw_score' | 'score'>): Verdict {
  const score = percent(result.score);
  if (result.correct) return { tone: 'correct', title: 'Correct', score };
  if (result.raw_score > 0) return { tone: 'partial', title: 'Partly right', score };
  return { tone: 'incorrect', title: 'Incorrect', score };
}

/** "2 tries left", "1 try left", "No tries left"; null when tries are unlimited. */
export function triesLeft(count: number | null): string | null {
  if (count === null) return null;
  if (count <= 0) return 'No tries left';
  return count === 1 ? '1 try left' : `${count} tries left`;
}

/** The review rating a graded answer suggests: wrong → again, right → good. */
export function suggestedRating(correct: boolean): ReviewRating {
  return correct ? 'good' : 'again';
}

/** "3-day streak"; null without one. */
export function streakText(days: number): string | null {
  return days > 0 ? `${days}-day streak` : null;
}
