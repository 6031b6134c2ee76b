import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { kExercises } from '../test/fixtures';
import { Ordering } from './Ordering';

function itemTexts() {
  return screen
    .getAllByRole('listitem')
    .map((item) => item.querySelector('.ordering-text')?.textContent);
}

describe('Ordering', () => {
  it('shows the items in the order the server sent', () => {
    render(<Ordering exercise={kExercises.ordering} promptId="p" onChange={() => {}} />);
    expect(itemTexts()).toEqual(['Clean it', 'Collect data', 'Analyse it']);
  });

  it('moves items with the up and down buttons and answers with the ids in order', () => {
    const onChange = vi.fn();
    render(<Ordering exercise={kExercises.ordering} promptId="p" onChange={onChange} />);

    fireEvent.click(screen.getByRole('button', { name: 'Move “Collect data” up' }));
    expect(onChange).toHaveBeenLastCalledWith(['a', 'b', 'c']);
    expect(itemTexts()).toEqual(['Collect data', 'Clean it', 'Analyse it']);

    fireEvent.click(screen.getByRole('button', { name: 'Move “Collect data” down' }));
    expect(onChange).toHaveBeenLastCalledWith(['b', 'a', 'c']);
    expect(screen.getByRole('status').textContent).toBe('Collect data moved to position 2 of 3.');
  });

  it('keeps focus on the moved item’s button, so the move can be repeated', () => {
    render(<Ordering exercise={kExercises.ordering} promptId="p" onChange={() => {}} />);
    const down = screen.getByRole('button', { name: 'Move “Clean it” down' });
    down.focus();

    fireEvent.click(down);

    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Move “Clean it” down' }),
    );
  });

  it('does nothing for moves off either end', () => {
    const onChange = vi.fn();
    render(<Ordering exercise={kExercises.ordering} promptId="p" onChange={onChange} />);
    const up = screen.getByRole('button', { name: 'Move “Clean it” up' });
    const down = screen.getByRole('button', { name: 'Move “Analyse it” down' });
    expect(up.getAttribute('aria-disabled')).toBe('true');
    expect(down.getAttribute('aria-disabled')).toBe('true');

    fireEvent.click(up);
    fireEvent.click(down);

    expect(onChange).not.toHaveBeenCalled();
  });
});
