// The course outline's moves as requests to the authoring API. Dragging and the keyboard's Move up
// and Move down both end here, so the same move sends the same request whichever way it was made.

/** What the outline needs of a draft: lessons in order, each with its exercise ids in order. */
export interface OutlineLesson {
  slug: string;
  exercises: readonly string[];
}

export type Outline = readonly OutlineLesson[];

export type OutlineRequest =
  | { kind: 'lesson-order'; lessons: string[] }
  /** `position`: the exercise's index in `lesson` once moved (the API's "before the exercise at
   * position", counted without the moved exercise). */
  | { kind: 'move-exercise'; exercise: string; lesson: string; position: number };

/** What is being dragged, or moved with the keyboard. */
export type OutlineItem = { kind: 'lesson'; slug: string } | { kind: 'exercise'; id: string };

/**
 * Where a dragged item is dropped: before or after a lesson or an exercise, or into a lesson's
 * exercise list when it has none (`lesson-end`: after its last exercise).
 */
export type DropTarget =
  | { kind: 'lesson'; slug: string; after: boolean }
  | { kind: 'exercise'; id: string; after: boolean }
  | { kind: 'lesson-end'; slug: string };

function lessonIndex(outline: Outline, slug: string): number {
  return outline.findIndex((lesson) => lesson.slug === slug);
}

/** Where an exercise is: its lesson's index and its own index in that lesson. */
export function exercisePlace(
  outline: Outline,
  id: string,
): { lesson: number; index: number } | null {
  for (let lesson = 0; lesson < outline.length; lesson++) {
    const index = outline[lesson]?.exercises.indexOf(id) ?? -1;
    if (index >= 0) return { lesson, index };
  }
  return null;
}

/** The lesson `slug` moved to index `to` of the lessons (clamped); null when nothing changes. */
export function moveLesson(outline: Outline, slug: string, to: number): OutlineRequest | null {
  const from = lessonIndex(outline, slug);
  if (from < 0) return null;
  const target = Math.max(0, Math.min(outline.length - 1, to));
  if (target === from) return null;
  const lessons = outline.map((lesson) => lesson.slug).filter((other) => other !== slug);
  lessons.splice(target, 0, slug);
  return { kind: 'lesson-order', lessons };
}

/**
 * The exercise `id` moved into lesson `slug` at index `to` among that lesson's exercises once it
 * is there (clamped); null when nothing changes.
 */
export function moveExercise(
  outline: Outline,
  id: string,
  slug: string,
  to: number,
): OutlineRequest | null {
  const from = exercisePlace(outline, id);
  const lesson = lessonIndex(outline, slug);
  if (!from || lesson < 0) return null;
  const others = (outline[lesson]?.exercises ?? []).filter((other) => other !== id);
  const position = Math.max(0, Math.min(others.length, to));
  if (from.lesson === lesson && from.index === position) return null;
  return { kind: 'move-exercise', exercise: id, lesson: slug, position };
}

/**
 * Move up (-1) or down (+1), as the keyboard does it. An exercise at the top of its lesson goes
 * to the end of the lesson before, and one at the bottom to the start of the lesson after.
 */
export function step(outline: Outline, item: OutlineItem, delta: -1 | 1): OutlineRequest | null {
  if (item.kind === 'lesson') {
    return moveLesson(outline, item.slug, lessonIndex(outline, item.slug) + delta);
  }
  const place = exercisePlace(outline, item.id);
  const lesson = place ? outline[place.lesson] : undefined;
  if (!place || !lesson) return null;
  const to = place.index + delta;
  if (to >= 0 && to < lesson.exercises.length) {
    return moveExercise(outline, item.id, lesson.slug, to);
  }
  const neighbour = outline[place.lesson + delta];
  if (!neighbour) return null;
  return moveExercise(outline, item.id, neighbour.slug, delta < 0 ? neighbour.exercises.length : 0);
}

/** The move a drop makes; null for a drop that changes nothing or mixes lessons and exercises. */
export function drop(
  outline: Outline,
  item: OutlineItem,
  target: DropTarget,
): OutlineRequest | null {
  if (item.kind === 'lesson') {
    if (target.kind !== 'lesson') return null;
    const from = lessonIndex(outline, item.slug);
    const over = lessonIndex(outline, target.slug);
    if (from < 0 || over < 0 || from === over) return null;
    // Indexes once the dragged lesson is out of the list.
    const base = over > from ? over - 1 : over;
    return moveLesson(outline, item.slug, base + (target.after ? 1 : 0));
  }
  if (target.kind === 'lesson') return null;
  if (target.kind === 'lesson-end') {
    const lesson = outline[lessonIndex(outline, target.slug)];
    return lesson ? moveExercise(outline, item.id, lesson.slug, lesson.exercises.length) : null;
  }
  const from = exercisePlace(outline, item.id);
  const over = exercisePlace(outline, target.id);
  const lesson = over ? outline[over.lesson] : undefined;
  if (!from || !over || !lesson || item.id === target.id) return null;
  const sameLesson = from.lesson === over.lesson;
  const base = sameLesson && over.index > from.index ? over.index - 1 : over.index;
  return moveExercise(outline, item.id, lesson.slug, base + (target.after ? 1 : 0));
}

/** The outline once `request` is applied (what the server's answer will show). */
export function applyRequest(outline: Outline, request: OutlineRequest): OutlineLesson[] {
  if (request.kind === 'lesson-order') {
    return request.lessons
      .map((slug) => outline.find((lesson) => lesson.slug === slug))
      .filter((lesson): lesson is OutlineLesson => lesson !== undefined);
  }
  const without = outline.map((lesson) => ({
    slug: lesson.slug,
    exercises: lesson.exercises.filter((id) => id !== request.exercise),
  }));
  const target = without.find((lesson) => lesson.slug === request.lesson);
  if (target) {
    const exercises = [...target.exercises];
    exercises.splice(request.position, 0, request.exercise);
    target.exercises = exercises;
  }
  return without;
}
