import { useState } from 'react';
import { displayOrder } from './answers';
import { ChoiceGroup } from './ChoiceGroup';
import type { ExerciseProps } from './types';

export function MultipleChoice({
  exercise,
  promptId,
  onChange,
  parts,
}: ExerciseProps<'multiple_choice'>) {
  const [options] = useState(() => displayOrder(exercise.options, exercise.shuffle));
  const [selected, setSelected] = useState<readonly string[]>([]);

  function toggle(key: string, checked: boolean) {
    // Keep the answer in the exercise's own option order, whatever the display order.
    const next = exercise.options
      .map((option) => option.id)
      .filter((id) => (id === key ? checked : selected.includes(id)));
    setSelected(next);
    onChange(next);
  }

  return (
    <ChoiceGroup
      kind="checkbox"
      labelledBy={promptId}
      parts={parts}
      choices={options.map((option) => ({ key: option.id, html: option.text_html }))}
      isChecked={(key) => selected.includes(key)}
      onToggle={toggle}
    />
  );
}
