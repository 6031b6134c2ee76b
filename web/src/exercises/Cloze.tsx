import { useId, useMemo, useState } from 'react';
import type { ClozeGap } from '../api/client';
import { RichHtml } from '../components/RichHtml';
import { markClozeGaps } from './cloze';
import type { ExerciseProps } from './types';

/** The prompt with an input of each gap's kind in place of `{{1}}`, `{{2}}`, … */
export function Cloze({ exercise, promptId, onChange }: ExerciseProps<'cloze'>) {
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
    return (
      <GapInput
        id={`${idBase}-gap-${gap}`}
        label={`Gap ${gap} of ${gaps.length}`}
        gap={spec}
        value={values[gap - 1] ?? ''}
        onValue={(value) => setGap(gap, value)}
      />
    );
  }

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
    </div>
  );
}

interface GapInputProps {
  id: string;
  label: string;
  gap: ClozeGap;
  value: string;
  onValue: (value: string) => void;
}

function GapInput({ id, label, gap, value, onValue }: GapInputProps) {
  if (gap.type === 'choice') {
    return (
      <select
        id={id}
        className="gap gap-choice"
        aria-label={label}
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
      value={value}
      onChange={(event) => onValue(event.target.value)}
    />
  );
}
