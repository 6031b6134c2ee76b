import type { AttemptPart, Exercise } from '../api/client';
import type { PartResults } from './types';

export type PartTone = 'correct' | 'partial' | 'incorrect';

/** A graded attempt's parts, keyed by part name. */
export function partResults(parts: readonly AttemptPart[]): PartResults {
  return new Map(parts.map((part) => [part.part, part]));
}

/** The name a cloze gap's part has (1-based). */
export function gapPart(gap: number): string {
  return `gap ${gap}`;
}

/** The part names an exercise shows beside its own inputs; others go with the overall feedback. */
export function placedParts(exercise: Exercise): Set<string> {
  switch (exercise.type) {
    case 'single_choice':
    case 'multiple_choice':
      return new Set(exercise.options.map((option) => option.id));
    case 'true_false':
      return new Set(['true', 'false']);
    case 'cloze':
      return new Set(exercise.gaps.map((_, index) => gapPart(index + 1)));
    case 'ordering':
      return new Set(exercise.items.map((item) => item.id));
    case 'matching':
      return new Set(exercise.left.map((item) => item.id));
    default:
      return new Set();
  }
}

/**
 * How one part did, in words. `chosen` is false for a choice the learner left unticked: wrong
 * there means it should have been ticked, and right needs no mark at all (null).
 */
export function partVerdict(
  part: AttemptPart,
  chosen?: boolean,
): { tone: PartTone; label: string } | null {
  if (chosen === false) return part.correct ? null : { tone: 'incorrect', label: 'Missed' };
  if (part.correct) return { tone: 'correct', label: 'Correct' };
  if (part.score > 0) return { tone: 'partial', label: 'Partly right' };
  return { tone: 'incorrect', label: 'Incorrect' };
}
