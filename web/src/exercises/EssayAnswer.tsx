import { useId, useState } from 'react';
import type { ExerciseProps } from './types';

/** The most the server keeps of one answer: 10,000 bytes of UTF-8. */
export const kEssayMaxBytes = 10_000;

const kEncoder = new TextEncoder();

/**
 * An essay: a multi-line field for the learner's own words. Nothing marks it; the answer is saved
 * with the learner's progress, for an instructor to read. The answer is the text, or null while
 * it is blank or longer than the server keeps.
 */
export function EssayAnswer({ promptId, onChange, errorId }: ExerciseProps<'essay'>) {
  const id = useId();
  const noteId = `${id}-note`;
  const limitId = `${id}-limit`;
  const [overBy, setOverBy] = useState(0);

  function update(text: string) {
    const bytes = kEncoder.encode(text).length;
    setOverBy(Math.max(0, bytes - kEssayMaxBytes));
    onChange(text.trim() === '' || bytes > kEssayMaxBytes ? null : text);
  }

  return (
    <div className="essay-answer">
      <label htmlFor={id}>Your answer</label>
      <textarea
        id={id}
        rows={8}
        aria-invalid={errorId || overBy > 0 ? true : undefined}
        aria-describedby={[errorId, overBy > 0 ? limitId : undefined, promptId, noteId]
          .filter(Boolean)
          .join(' ')}
        onChange={(event) => update(event.target.value)}
      />
      {overBy > 0 && (
        <p id={limitId} className="field-error" role="alert">
          Your answer is too long to save: shorten it by about {overBy}{' '}
          {overBy === 1 ? 'character' : 'characters'}.
        </p>
      )}
      <p id={noteId} className="field-help">
        Your answer is saved; an instructor may review it. It is not marked automatically.
      </p>
    </div>
  );
}
