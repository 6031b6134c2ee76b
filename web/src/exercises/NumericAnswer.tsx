import { parseNumber } from './answers';
import { TextAnswer } from './TextAnswer';
import type { ExerciseProps } from './types';

export function NumericAnswer({ promptId, onChange, errorId }: ExerciseProps<'numeric'>) {
  return (
    <TextAnswer
      kind="number"
      className="numeric-answer"
      label="Your answer (a number)"
      describedBy={promptId}
      errorId={errorId}
      onText={(text) => onChange(parseNumber(text))}
    />
  );
}
