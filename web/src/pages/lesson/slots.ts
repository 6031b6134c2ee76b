/** Where the server puts an exercise in a lesson's HTML. */
export const kExerciseSlotSelector = 'div.exercise-slot[data-exercise-id]';

/** The exercise ids that have a slot in the lesson HTML, in document order. */
export function exerciseSlotIds(html: string): string[] {
  const template = document.createElement('template');
  template.innerHTML = html;
  return Array.from(template.content.querySelectorAll<HTMLElement>(kExerciseSlotSelector)).map(
    (slot) => slot.dataset.exerciseId ?? '',
  );
}
