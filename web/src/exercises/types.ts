import type { AnswerByType, Exercise, ExerciseType } from '../api/client';

export type ExerciseOf<T extends ExerciseType> = Extract<Exercise, { type: T }>;

/**
 * What every exercise component takes. `onChange` receives the learner's current answer in the
 * exact shape `POST /api/exercises/{id}/attempts` expects, or null while the input cannot form
 * one (an empty number field, no option chosen).
 */
export interface ExerciseProps<T extends ExerciseType> {
  exercise: ExerciseOf<T>;
  /** Id of the element holding the prompt, to label or describe the inputs with. */
  promptId: string;
  onChange: (answer: AnswerByType[T] | null) => void;
}
