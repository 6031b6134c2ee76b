import { useState } from 'react';
import { ChoiceGroup } from './ChoiceGroup';
import type { ExerciseProps } from './types';

const kChoices = [
  { key: 'true', html: 'True' },
  { key: 'false', html: 'False' },
];

export function TrueFalse({ promptId, onChange, parts }: ExerciseProps<'true_false'>) {
  const [selected, setSelected] = useState<boolean | null>(null);
  return (
    <ChoiceGroup
      kind="radio"
      labelledBy={promptId}
      parts={parts}
      choices={kChoices}
      isChecked={(key) => selected !== null && String(selected) === key}
      onToggle={(key) => {
        const value = key === 'true';
        setSelected(value);
        onChange(value);
      }}
    />
  );
}
