import { parseNumber } from './answers';
import { TextAnswer } from './TextAnswer';
import type { ExerciseProps } from './types';

export function NumericAnswer({ promptId, onChange }: ExerciseProps<'numeric'>) {
  return (
    <TextAnswer
      kind="number"
      className="numeric-answer"
      label="Your answer (a number)"
      describedBy={promptId}
      onText={(text) => onChange(parseNumber(text))}
    />
  );
}
