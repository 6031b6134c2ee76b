import { useId, useMemo, useState } from 'react';
import { RichHtml } from '../components/RichHtml';
import { htmlToText } from '../lib/htmlToText';
import { withMatch } from './answers';
import { PartMark, PartNote } from './PartFeedback';
import { partVerdict } from './parts';
import type { ExerciseProps } from './types';

/** "A", "B", … "Z", "AA", … : how right-hand items are referred to in the selects. */
export function choiceLetter(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}

/**
 * One select per left-hand item listing the right-hand items. The right-hand items are also
 * shown as a lettered list, since an option element cannot show their formatting or maths.
 */
export function Matching({ exercise, promptId, onChange, parts }: ExerciseProps<'matching'>) {
  const [answer, setAnswer] = useState<Readonly<Record<string, string>>>({});
  const idBase = useId();
  const rightLabels = useMemo(
    () =>
      exercise.right.map((item, index) => `${choiceLetter(index)}. ${htmlToText(item.text_html)}`),
    [exercise.right],
  );

  function choose(left: string, right: string) {
    const next = withMatch(answer, left, right);
    setAnswer(next);
    onChange(next);
  }

  return (
    <div className="matching">
      <div className="matching-choices">
        <p id={`${idBase}-choices`} className="matching-choices-title">
          Choices
        </p>
        <ol className="matching-right" aria-labelledby={`${idBase}-choices`}>
          {exercise.right.map((item, index) => (
            <li key={item.id}>
              <span className="matching-letter" aria-hidden="true">
                {choiceLetter(index)}.
              </span>{' '}
              <RichHtml as="span" html={item.text_html} />
            </li>
          ))}
        </ol>
      </div>
      <ul className="matching-pairs" aria-labelledby={promptId}>
        {exercise.left.map((item, index) => {
          const selectId = `${idBase}-${index}`;
          const part = parts?.get(item.id);
          const verdict = part ? partVerdict(part) : null;
          const noteId = `${selectId}-note`;
          return (
            <li
              key={item.id}
              className={verdict ? `matching-pair choice-${verdict.tone}` : 'matching-pair'}
            >
              <label htmlFor={selectId} className="matching-left">
                <RichHtml as="span" html={item.text_html} />
              </label>
              <select
                id={selectId}
                aria-describedby={part ? noteId : undefined}
                value={answer[item.id] ?? ''}
                onChange={(event) => choose(item.id, event.target.value)}
              >
                <option value="">Choose…</option>
                {exercise.right.map((right, rightIndex) => (
                  <option key={right.id} value={right.id}>
                    {rightLabels[rightIndex]}
                  </option>
                ))}
              </select>
              {verdict && <PartMark tone={verdict.tone} />}
              {part && <PartNote id={noteId} part={part} />}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
