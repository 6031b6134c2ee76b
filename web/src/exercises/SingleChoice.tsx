import { useState } from 'react';
import { displayOrder } from './answers';
import { ChoiceGroup } from './ChoiceGroup';
import type { ExerciseProps } from './types';

export function SingleChoice({
  exercise,
  promptId,
  onChange,
  parts,
}: ExerciseProps<'single_choice'>) {
  const [options] = useState(() => displayOrder(exercise.options, exercise.shuffle));
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <ChoiceGroup
      kind="radio"
      labelledBy={promptId}
      parts={parts}
      choices={options.map((option) => ({ key: option.id, html: option.text_html }))}
      isChecked={(key) => key === selected}
      onToggle={(key) => {
        setSelected(key);
        onChange(key);
      }}
    />
  );
}
