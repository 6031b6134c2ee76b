import { TextAnswer } from './TextAnswer';
import type { ExerciseProps } from './types';

export function ShortTextAnswer({ promptId, onChange, errorId }: ExerciseProps<'short_text'>) {
  return (
    <TextAnswer
      kind="text"
      label="Your answer"
      describedBy={promptId}
      errorId={errorId}
      onText={(text) => onChange(text.trim() === '' ? null : text)}
    />
  );
}
