import type { Answer, Exercise, RichItem } from '../api/client';

/**
 * The answer an exercise holds before the learner touches it: the server's order for ordering,
 * empty gaps for cloze, no pairs for matching, no options for multiple choice, and null (no
 * answer yet) for the rest.
 */
export function initialAnswer(exercise: Exercise): Answer | null {
  switch (exercise.type) {
    case 'ordering':
      return exercise.items.map((item) => item.id);
    case 'cloze':
      return exercise.gaps.map(() => '');
    case 'matching':
      return {};
    case 'multiple_choice':
      return [];
    default:
      return null;
  }
}

/** A shuffled copy (Fisher–Yates); `random` returns a number in [0, 1). */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** The display order of choice options: shuffled when the exercise asks for it. */
export function displayOrder(options: RichItem[], shuffle: boolean): RichItem[] {
  return shuffle ? shuffled(options) : options;
}

/**
 * Moves the item at `index` by `delta` places (−1 up, +1 down). Returns the same array when the
 * move would leave the list.
 */
export function moveItem<T>(items: readonly T[], index: number, delta: number): readonly T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return items;
  const copy = [...items];
  const [moved] = copy.splice(index, 1);
  copy.splice(target, 0, moved as T);
  return copy;
}

/** A matching answer with `left` paired to `right`, or unpaired when `right` is empty. */
export function withMatch(
  answer: Readonly<Record<string, string>>,
  left: string,
  right: string,
): Record<string, string> {
  const next = { ...answer };
  if (right === '') delete next[left];
  else next[left] = right;
  return next;
}

/** A numeric answer from an input's text: null when empty or not a finite number. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Whether `answer` is complete enough to grade: every gap filled, every left-hand item matched,
 * at least one option chosen. Components report null while they cannot form an answer at all.
 */
export function isCompleteAnswer(exercise: Exercise, answer: Answer | null): answer is Answer {
  if (answer === null) return false;
  switch (exercise.type) {
    case 'cloze':
      return (
        Array.isArray(answer) &&
        answer.length === exercise.gaps.length &&
        answer.every((gap) => typeof gap === 'string' && gap.trim() !== '')
      );
    case 'matching':
      return (
        typeof answer === 'object' &&
        !Array.isArray(answer) &&
        exercise.left.every((item) => Boolean((answer as Record<string, string>)[item.id]))
      );
    case 'multiple_choice':
      return Array.isArray(answer) && answer.length > 0;
    default:
      return true;
  }
}
