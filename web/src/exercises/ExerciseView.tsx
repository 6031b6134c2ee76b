import { useId } from 'react';
import type { Answer, Exercise, ExerciseType } from '../api/client';
import { RichHtml } from '../components/RichHtml';
import { Cloze } from './Cloze';
import { FormulaAnswer } from './FormulaAnswer';
import { Matching } from './Matching';
import { MultipleChoice } from './MultipleChoice';
import { NumericAnswer } from './NumericAnswer';
import { Ordering } from './Ordering';
import { ShortTextAnswer } from './ShortTextAnswer';
import { SingleChoice } from './SingleChoice';
import { TrueFalse } from './TrueFalse';

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
};

export interface ExerciseViewProps {
  exercise: Exercise;
  /** 1-based position in the lesson, for the heading. */
  number: number;
  total: number;
  /** Called with the learner's current answer (see ExerciseProps) whenever it changes. */
  onAnswerChange?: (exerciseId: string, answer: Answer | null) => void;
}

/** One exercise of a lesson: heading, instructions, prompt and the input for its type. */
export function ExerciseView({ exercise, number, total, onAnswerChange }: ExerciseViewProps) {
  const id = useId();
  const headingId = `${id}-heading`;
  const promptId = `${id}-prompt`;
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
      <ExerciseInput exercise={exercise} promptId={promptId} onChange={onChange} />
      {exercise.max_attempts !== null && (
        <p className="exercise-meta">
          {exercise.max_attempts === 1
            ? 'You have one attempt.'
            : `You have up to ${exercise.max_attempts} attempts.`}
        </p>
      )}
    </section>
  );
}

interface ExerciseInputProps {
  exercise: Exercise;
  promptId: string;
  onChange: (answer: Answer | null) => void;
}

function ExerciseInput({ exercise, promptId, onChange }: ExerciseInputProps) {
  switch (exercise.type) {
    case 'single_choice':
      return <SingleChoice exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'multiple_choice':
      return <MultipleChoice exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'true_false':
      return <TrueFalse exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'numeric':
      return <NumericAnswer exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'short_text':
      return <ShortTextAnswer exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'cloze':
      return <Cloze exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'ordering':
      return <Ordering exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'matching':
      return <Matching exercise={exercise} promptId={promptId} onChange={onChange} />;
    case 'formula':
      return <FormulaAnswer exercise={exercise} promptId={promptId} onChange={onChange} />;
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
