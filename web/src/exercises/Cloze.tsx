import { useId, useMemo, useState } from 'react';
import type { ClozeGap } from '../api/client';
import { RichHtml } from '../components/RichHtml';
import { markClozeGaps } from './cloze';
import { PartMark, PartNote } from './PartFeedback';
import { gapPart, partVerdict } from './parts';
import type { ExerciseProps } from './types';

/** The prompt with an input of each gap's kind in place of `{{1}}`, `{{2}}`, … */
export function Cloze({ exercise, promptId, onChange, parts }: ExerciseProps<'cloze'>) {
  const { gaps } = exercise;
  const marked = useMemo(
    () => markClozeGaps(exercise.prompt_html, gaps.length),
    [exercise.prompt_html, gaps.length],
  );
  const [values, setValues] = useState<readonly string[]>(() => gaps.map(() => ''));
  const idBase = useId();

  function setGap(gap: number, value: string) {
    const next = values.map((old, index) => (index === gap - 1 ? value : old));
    setValues(next);
    onChange(next);
  }

  function renderGap(gap: number) {
    const spec = gaps[gap - 1];
    if (!spec) return null;
    const part = parts?.get(gapPart(gap));
    const verdict = part ? partVerdict(part) : null;
    return (
      <>
        <GapInput
          id={`${idBase}-gap-${gap}`}
          label={`Gap ${gap} of ${gaps.length}`}
          gap={spec}
          value={values[gap - 1] ?? ''}
          onValue={(value) => setGap(gap, value)}
          noteId={part ? `${idBase}-note-${gap}` : undefined}
        />
        {verdict && <PartMark tone={verdict.tone} />}
      </>
    );
  }

  // Gap feedback may be long, so it follows the text rather than breaking into it.
  const notes = gaps.flatMap((_, index) => {
    const gap = index + 1;
    const part = parts?.get(gapPart(gap));
    return part ? [{ gap, part }] : [];
  });

  return (
    <div className="cloze">
      <RichHtml
        id={promptId}
        className="exercise-prompt cloze-text"
        html={marked.html}
        slots={{
          selector: 'span.cloze-gap[data-gap]',
          render: (placeholder) => {
            const gap = Number(placeholder.dataset.gap);
            const node = renderGap(gap);
            return node ? { key: `gap-${gap}`, node } : null;
          },
        }}
      />
      {marked.missing.length > 0 && (
        <ul className="cloze-extra-gaps">
          {marked.missing.map((gap) => (
            <li key={gap}>
              <label htmlFor={`${idBase}-gap-${gap}`}>Gap {gap}</label> {renderGap(gap)}
            </li>
          ))}
        </ul>
      )}
      {notes.length > 0 && (
        <ul className="part-notes">
          {notes.map(({ gap, part }) => (
            <li key={gap}>
              <PartNote id={`${idBase}-note-${gap}`} part={part} name={`Gap ${gap}`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface GapInputProps {
  id: string;
  label: string;
  gap: ClozeGap;
  value: string;
  onValue: (value: string) => void;
  /** The gap's feedback after grading. */
  noteId?: string;
}

function GapInput({ id, label, gap, value, onValue, noteId }: GapInputProps) {
  if (gap.type === 'choice') {
    return (
      <select
        id={id}
        className="gap gap-choice"
        aria-label={label}
        aria-describedby={noteId}
        value={value}
        onChange={(event) => onValue(event.target.value)}
      >
        <option value="">Choose…</option>
        {gap.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  const numeric = gap.type === 'numeric';
  return (
    <input
      id={id}
      className={`gap gap-${gap.type}`}
      type={numeric ? 'number' : 'text'}
      step={numeric ? 'any' : undefined}
      inputMode={numeric ? 'decimal' : undefined}
      autoComplete="off"
      autoCapitalize="off"
      spellCheck={false}
      aria-label={label}
      aria-describedby={noteId}
      value={value}
      onChange={(event) => onValue(event.target.value)}
    />
  );
}
