import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { kExercises } from '../test/fixtures';
import { Cloze } from './Cloze';

describe('Cloze', () => {
  it('puts an input of each gap kind where its marker was, inside the prompt text', () => {
    render(<Cloze exercise={kExercises.cloze} promptId="prompt" onChange={() => {}} />);

    const prompt = document.getElementById('prompt');
    expect(prompt?.textContent).toBe(
      'The mean of 1 and 3 is ; the capital of France is , a Choose…cityriver.',
    );
    const numeric = screen.getByRole('spinbutton', { name: 'Gap 1 of 3' });
    const text = screen.getByRole('textbox', { name: 'Gap 2 of 3' });
    const choice = screen.getByRole('combobox', { name: 'Gap 3 of 3' });
    expect(prompt?.querySelector('p')?.contains(numeric)).toBe(true);
    expect(prompt?.querySelector('p')?.contains(choice)).toBe(true);
    expect(text.compareDocumentPosition(numeric) & Node.DOCUMENT_POSITION_PRECEDING).toBeTruthy();
    expect(Array.from((choice as HTMLSelectElement).options).map((o) => o.value)).toEqual([
      '',
      'city',
      'river',
    ]);
  });

  it('answers with one string per gap, in gap order', () => {
    const onChange = vi.fn();
    render(<Cloze exercise={kExercises.cloze} promptId="prompt" onChange={onChange} />);

    fireEvent.change(screen.getByRole('combobox', { name: 'Gap 3 of 3' }), {
      target: { value: 'city' },
    });
    expect(onChange).toHaveBeenLastCalledWith(['', '', 'city']);

    fireEvent.change(screen.getByRole('spinbutton', { name: 'Gap 1 of 3' }), {
      target: { value: '2' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Gap 2 of 3' }), {
      target: { value: 'Paris' },
    });
    expect(onChange).toHaveBeenLastCalledWith(['2', 'Paris', 'city']);
  });

  it('still offers an input for a gap the prompt forgot to mark', () => {
    const exercise = { ...kExercises.cloze, prompt_html: '<p>Only {{1}} here.</p>' };
    render(<Cloze exercise={exercise} promptId="prompt" onChange={() => {}} />);

    expect(screen.getByRole('spinbutton', { name: 'Gap 1 of 3' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Gap 2 of 3' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Gap 3 of 3' })).toBeTruthy();
  });
});
