import { TextAnswer } from './TextAnswer';
import type { ExerciseProps } from './types';

export function FormulaAnswer({ exercise, promptId, onChange, errorId }: ExerciseProps<'formula'>) {
  const { variables } = exercise;
  const example = `2*(${variables[0] ?? 'x'}+1)^2`;
  return (
    <TextAnswer
      kind="text"
      className="formula-answer"
      label="Your formula"
      describedBy={promptId}
      errorId={errorId}
      onText={(text) => onChange(text.trim() === '' ? null : text)}
      help={
        <>
          {variables.length > 0 && (
            <>
              {variables.length === 1 ? 'Variable: ' : 'Variables: '}
              {variables.map((name, index) => (
                <span key={name}>
                  {index > 0 && ', '}
                  <code>{name}</code>
                </span>
              ))}
              .{' '}
            </>
          )}
          Use <code>+ - * / ^</code>, brackets and functions such as <code>sqrt( )</code>, for
          example <code>{example}</code>.
        </>
      }
    />
  );
}
