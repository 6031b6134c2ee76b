import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Answer, Exercise } from '../api/client';
import { kExercises } from '../test/fixtures';
import { ExerciseView } from './ExerciseView';

function renderExercise(exercise: Exercise) {
  const onAnswerChange = vi.fn<(id: string, answer: Answer | null) => void>();
  render(<ExerciseView exercise={exercise} number={1} total={1} onAnswerChange={onAnswerChange} />);
  const lastAnswer = () => onAnswerChange.mock.lastCall?.[1];
  return { onAnswerChange, lastAnswer };
}

describe('ExerciseView', () => {
  it('shows a heading, the instructions and the prompt', () => {
    renderExercise(kExercises.numeric);
    const section = screen.getByRole('region', { name: 'Exercise 1' });
    expect(within(section).getByText('Enter a number.')).toBeTruthy();
    expect(within(section).getByText('What is the mean of 2, 4 and 9?')).toBeTruthy();
  });

  it('single choice: a radio group named by the prompt; the answer is the option id', () => {
    const { onAnswerChange } = renderExercise(kExercises.single);
    const group = screen.getByRole('group', {
      name: 'Which average is the sum divided by the count?',
    });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((radio) => (radio as HTMLInputElement).value)).toEqual(['a', 'b', 'c']);

    fireEvent.click(screen.getByRole('radio', { name: 'Median' }));

    expect(onAnswerChange).toHaveBeenLastCalledWith('pick-mean', 'b');
  });

  it('multiple choice: checkboxes; the answer lists the checked ids in option order', () => {
    const { lastAnswer } = renderExercise(kExercises.multiple);
    expect(screen.getAllByRole('checkbox')).toHaveLength(3);

    fireEvent.click(screen.getByRole('checkbox', { name: '5' }));
    fireEvent.click(screen.getByRole('checkbox', { name: '2' }));
    expect(lastAnswer()).toEqual(['a', 'c']);

    fireEvent.click(screen.getByRole('checkbox', { name: '5' }));
    expect(lastAnswer()).toEqual(['a']);
    expect(screen.getByText('You have up to 3 attempts.')).toBeTruthy();
  });

  it('true/false: two radios; the answer is a boolean', () => {
    const { lastAnswer } = renderExercise(kExercises.trueFalse);
    fireEvent.click(screen.getByRole('radio', { name: 'False' }));
    expect(lastAnswer()).toBe(false);
    fireEvent.click(screen.getByRole('radio', { name: 'True' }));
    expect(lastAnswer()).toBe(true);
  });

  it('numeric: a number field; the answer is a number, or null when empty', () => {
    const { lastAnswer } = renderExercise(kExercises.numeric);
    const input = screen.getByRole('spinbutton', { name: 'Your answer (a number)' });
    expect(input.getAttribute('aria-describedby')).toBeTruthy();

    fireEvent.change(input, { target: { value: '5.5' } });
    expect(lastAnswer()).toBe(5.5);
    fireEvent.change(input, { target: { value: '' } });
    expect(lastAnswer()).toBeNull();
  });

  it('short text: a text field; the answer is the text', () => {
    const { lastAnswer } = renderExercise(kExercises.shortText);
    fireEvent.change(screen.getByRole('textbox', { name: 'Your answer' }), {
      target: { value: 'Paris' },
    });
    expect(lastAnswer()).toBe('Paris');
  });

  it('essay: a multi-line field that says it is saved, not marked; the answer is the text', () => {
    const { lastAnswer } = renderExercise(kExercises.essay);
    expect(screen.getByText('Write your answer in your own words.')).toBeTruthy();
    const field = screen.getByRole('textbox', { name: 'Your answer' });
    expect(field.tagName).toBe('TEXTAREA');
    const described = (field.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(described).toContain('Which average would you report');
    expect(described).toContain('an instructor may review it');

    fireEvent.change(field, { target: { value: 'The median.\nThe mansion pulls the mean up.' } });
    expect(lastAnswer()).toBe('The median.\nThe mansion pulls the mean up.');
    fireEvent.change(field, { target: { value: '  \n ' } });
    expect(lastAnswer()).toBeNull();
  });

  it('essay: an answer longer than the server keeps is not sent, and says by how much', () => {
    const { lastAnswer } = renderExercise(kExercises.essay);
    const field = screen.getByRole('textbox', { name: 'Your answer' });
    fireEvent.change(field, { target: { value: 'é'.repeat(5_001) } }); // 10,002 bytes
    expect(lastAnswer()).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('shorten it by about 2 characters');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(field, { target: { value: 'é'.repeat(5_000) } });
    expect(lastAnswer()).toBe('é'.repeat(5_000));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('formula: a text field that lists the variables; the answer is the expression', () => {
    const { lastAnswer } = renderExercise(kExercises.formula);
    const input = screen.getByRole('textbox', { name: 'Your formula' });
    const helpId = input.getAttribute('aria-describedby')?.split(' ')[1] ?? '';
    expect(document.getElementById(helpId)?.textContent).toContain('Variable: x.');

    fireEvent.change(input, { target: { value: '(x+1)^2' } });
    expect(lastAnswer()).toBe('(x+1)^2');
  });

  it('says so, instead of failing, for a type it does not know', () => {
    renderExercise({ ...kExercises.numeric, type: 'drawing' } as unknown as Exercise);
    expect(screen.getByText(/type “drawing”/)).toBeTruthy();
  });
});
