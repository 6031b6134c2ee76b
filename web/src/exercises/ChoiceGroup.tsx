import { useId } from 'react';
import { RichHtml } from '../components/RichHtml';
import { PartMark, PartNote } from './PartFeedback';
import { partVerdict } from './parts';
import type { PartResults } from './types';

export interface Choice {
  key: string;
  html: string;
}

export interface ChoiceGroupProps {
  kind: 'radio' | 'checkbox';
  choices: Choice[];
  isChecked: (key: string) => boolean;
  onToggle: (key: string, checked: boolean) => void;
  labelledBy: string;
  /** A graded attempt's results, keyed by choice key: shown under each choice. */
  parts?: PartResults;
}

/** Radio buttons or checkboxes in a fieldset named by the exercise prompt. */
export function ChoiceGroup({
  kind,
  choices,
  isChecked,
  onToggle,
  labelledBy,
  parts,
}: ChoiceGroupProps) {
  const name = useId();
  return (
    <fieldset className="choices" aria-labelledby={labelledBy}>
      {choices.map((choice, index) => {
        const checked = isChecked(choice.key);
        const part = parts?.get(choice.key);
        const verdict = part ? partVerdict(part, checked) : null;
        const noteId = `${name}-note-${index}`;
        const hasNote = part !== undefined && (verdict !== null || part.feedback_html !== '');
        return (
          <div
            key={choice.key}
            className={verdict ? `choice-item choice-${verdict.tone}` : 'choice-item'}
          >
            <label className="choice">
              <input
                type={kind}
                name={name}
                value={choice.key}
                checked={checked}
                aria-describedby={hasNote ? noteId : undefined}
                onChange={(event) => onToggle(choice.key, event.target.checked)}
              />
              <RichHtml as="span" className="choice-text" html={choice.html} />
              {verdict && <PartMark tone={verdict.tone} />}
            </label>
            {part && <PartNote id={noteId} part={part} chosen={checked} />}
          </div>
        );
      })}
    </fieldset>
  );
}
