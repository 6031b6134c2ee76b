import { useId } from 'react';
import { RichHtml } from '../components/RichHtml';

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
}

/** Radio buttons or checkboxes in a fieldset named by the exercise prompt. */
export function ChoiceGroup({ kind, choices, isChecked, onToggle, labelledBy }: ChoiceGroupProps) {
  const name = useId();
  return (
    <fieldset className="choices" aria-labelledby={labelledBy}>
      {choices.map((choice) => (
        <label key={choice.key} className="choice">
          <input
            type={kind}
            name={name}
            value={choice.key}
            checked={isChecked(choice.key)}
            onChange={(event) => onToggle(choice.key, event.target.checked)}
          />
          <RichHtml as="span" className="choice-text" html={choice.html} />
        </label>
      ))}
    </fieldset>
  );
}
