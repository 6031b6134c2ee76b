import { useId, type ReactNode, type Ref } from 'react';
import type { Answer, Exercise, ExerciseType } from '../api/client';
import { RichHtml } from '../components/RichHtml';
import { Cloze } from './Cloze';
import { EssayAnswer } from './EssayAnswer';
import { FormulaAnswer } from './FormulaAnswer';
import { Matching } from './Matching';
import { MultipleChoice } from './MultipleChoice';
import { NumericAnswer } from './NumericAnswer';
import { Ordering } from './Ordering';
import { ShortTextAnswer } from './ShortTextAnswer';
import { SingleChoice } from './SingleChoice';
import { TrueFalse } from './TrueFalse';
import type { PartResults } from './types';

/** What the learner is asked to do, per exercise type. */
export const kInstructions: Record<ExerciseType, string> = {
  single_choice: 'Choose one answer.',
  multiple_choice: 'Choose every answer that applies.',
  true_false: 'Is the statement true or false?',
  numeric: 'Enter a number.',
  short_text: 'Type a short answer.',
  cloze: 'Fill in the gaps.',
  ordering: 'Put the items in the right order.',
  matching: 'Match each item with one of the choices.',
  formula: 'Enter a formula.',
  essay: 'Write your answer in your own words.',
};

export interface ExerciseViewProps {
  exercise: Exercise;
  /** 1-based position in the lesson, for the heading. */
  number: number;
  total: number;
  /** Called with the learner's current answer (see ExerciseProps) whenever it changes. */
  onAnswerChange?: (exerciseId: string, answer: Answer | null) => void;
  /** After a graded attempt: each part's result, shown beside that part. */
  parts?: PartResults;
  /** True while a graded answer is on show: the inputs cannot change. */
  locked?: boolean;
  /** Why the server refused the answer (a 400), shown under the input. */
  answerError?: string | null;
  /** The fieldset holding the input, for moving focus into it. */
  answerRef?: Ref<HTMLFieldSetElement>;
  /** What follows the input: checking, hints, the result. */
  children?: ReactNode;
}

/** One exercise of a lesson: heading, instructions, prompt and the input for its type. */
export function ExerciseView({
  exercise,
  number,
  total,
  onAnswerChange,
  parts,
  locked = false,
  answerError,
  answerRef,
  children,
}: ExerciseViewProps) {
  const id = useId();
  const headingId = `${id}-heading`;
  const promptId = `${id}-prompt`;
  const errorId = answerError ? `${id}-error` : undefined;
  const onChange = (answer: Answer | null) => onAnswerChange?.(exercise.id, answer);

  return (
    <section
      className={`exercise exercise-${exercise.type.replaceAll('_', '-')}`}
      aria-labelledby={headingId}
      data-exercise-id={exercise.id}
      data-exercise-type={exercise.type}
    >
      <header className="exercise-header">
        <h2 id={headingId} className="exercise-title">
          Exercise {number}
          {total > 1 && <span className="visually-hidden"> of {total}</span>}
        </h2>
        <p className="exercise-instructions">{kInstructions[exercise.type]}</p>
      </header>
      {exercise.type !== 'cloze' && (
        <RichHtml id={promptId} className="exercise-prompt" html={exercise.prompt_html} />
      )}
      {/* A disabled fieldset locks every control inside it, those in portals included. */}
      <fieldset ref={answerRef} className="exercise-answer" disabled={locked}>
        <ExerciseInput
          exercise={exercise}
          promptId={promptId}
          onChange={onChange}
          parts={parts}
          errorId={errorId}
        />
      </fieldset>
      {answerError && (
        <p id={errorId} className="field-error answer-error" role="alert">
          {answerError}
        </p>
      )}
      {exercise.max_attempts !== null && (
        <p className="exercise-meta">
          {exercise.max_attempts === 1
            ? 'You have one attempt.'
            : `You have up to ${exercise.max_attempts} attempts.`}
        </p>
      )}
      {children}
    </section>
  );
}

interface ExerciseInputProps {
  exercise: Exercise;
  promptId: string;
  onChange: (answer: Answer | null) => void;
  parts?: PartResults;
  errorId?: string;
}

function ExerciseInput({ exercise, promptId, onChange, parts, errorId }: ExerciseInputProps) {
  const common = { promptId, onChange, parts, errorId };
  switch (exercise.type) {
    case 'single_choice':
      return <SingleChoice exercise={exercise} {...common} />;
    case 'multiple_choice':
      return <MultipleChoice exercise={exercise} {...common} />;
    case 'true_false':
      return <TrueFalse exercise={exercise} {...common} />;
    case 'numeric':
      return <NumericAnswer exercise={exercise} {...common} />;
    case 'short_text':
      return <ShortTextAnswer exercise={exercise} {...common} />;
    case 'cloze':
      return <Cloze exercise={exercise} {...common} />;
    case 'ordering':
      return <Ordering exercise={exercise} {...common} />;
    case 'matching':
      return <Matching exercise={exercise} {...common} />;
    case 'formula':
      return <FormulaAnswer exercise={exercise} {...common} />;
    case 'essay':
      return <EssayAnswer exercise={exercise} {...common} />;
    default:
      return <UnsupportedExercise type={(exercise as { type: string }).type} />;
  }
}

/** A type this version of the app does not know yet (a newer server): say so, don't crash. */
function UnsupportedExercise({ type }: { type: string }) {
  return (
    <p className="exercise-unsupported">
      This exercise (type “{type}”) cannot be shown by this version of the app. Reload the page to
      get the latest version.
    </p>
  );
}
