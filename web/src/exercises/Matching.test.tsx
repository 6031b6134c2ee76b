import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { kExercises } from '../test/fixtures';
import { Matching, choiceLetter } from './Matching';

describe('Matching', () => {
  it('offers every right-hand item, lettered, in a select per left-hand item', () => {
    render(<Matching exercise={kExercises.matching} promptId="p" onChange={() => {}} />);

    const mean = screen.getByRole('combobox', { name: 'Mean' }) as HTMLSelectElement;
    expect(screen.getByRole('combobox', { name: 'Median' })).toBeTruthy();
    expect(Array.from(mean.options).map((option) => option.textContent)).toEqual([
      'Choose…',
      'A. Middle value',
      'B. Most frequent value',
      'C. Sum divided by count',
    ]);
  });

  it('builds an object from left ids to right ids, dropping cleared pairs', () => {
    const onChange = vi.fn();
    render(<Matching exercise={kExercises.matching} promptId="p" onChange={onChange} />);
    const mean = screen.getByRole('combobox', { name: 'Mean' });
    const median = screen.getByRole('combobox', { name: 'Median' });

    fireEvent.change(mean, { target: { value: 'r1' } });
    expect(onChange).toHaveBeenLastCalledWith({ l1: 'r1' });
    fireEvent.change(median, { target: { value: 'r2' } });
    expect(onChange).toHaveBeenLastCalledWith({ l1: 'r1', l2: 'r2' });
    fireEvent.change(mean, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ l2: 'r2' });
  });

  it('letters items past Z like spreadsheet columns', () => {
    expect([0, 25, 26, 27, 52].map(choiceLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'BA']);
  });
});
