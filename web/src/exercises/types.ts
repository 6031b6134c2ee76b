import type { AnswerByType, AttemptPart, Exercise, ExerciseType } from '../api/client';

export type ExerciseOf<T extends ExerciseType> = Extract<Exercise, { type: T }>;

/** The parts of a graded attempt by part name (an option id, "gap 2", a left id, an item id). */
export type PartResults = ReadonlyMap<string, AttemptPart>;

/**
 * What every exercise component takes. `onChange` receives the learner's current answer in the
 * exact shape `POST /api/exercises/{ref}/attempts` expects, or null while the input cannot form
 * one (an empty number field, no option chosen).
 */
export interface ExerciseProps<T extends ExerciseType> {
  exercise: ExerciseOf<T>;
  /** Id of the element holding the prompt, to label or describe the inputs with. */
  promptId: string;
  onChange: (answer: AnswerByType[T] | null) => void;
  /** After a graded attempt: each part's result, shown beside that part. */
  parts?: PartResults;
  /** Id of the message saying why the server refused the answer, for the input to point at. */
  errorId?: string;
}
