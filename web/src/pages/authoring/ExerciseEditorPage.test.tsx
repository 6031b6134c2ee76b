import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SingleChoiceExercise } from '../../api/client';
import { fakeSession, kInstructor } from '../../test/accounts';
import { draft, exerciseForm, fakeAuthoringApi, invalid, tryResult } from '../../test/authoring';
import { ExerciseEditorPage } from './ExerciseEditorPage';

const { session } = fakeSession({ status: 'signed-in', user: kInstructor });

const kView: SingleChoiceExercise = {
  id: 'p1',
  ref: 'algebra.p1',
  type: 'single_choice',
  prompt_html: '<p>Question p1?</p>',
  hint_count: 1,
  max_attempts: null,
  options: [
    { id: 'a', text_html: 'Yes' },
    { id: 'b', text_html: 'No' },
  ],
  shuffle: false,
};

describe('ExerciseEditorPage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it("puts the server's errors beside the options and the option they concern", async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      addExercise: async () => {
        throw invalid('The exercise is not valid.', [
          { field: 'exercise.options[1].text', message: "'options[1].text' must not be empty" },
          {
            field: 'exercise.options',
            message: "'options' must have exactly one option with correct: true, found 2",
          },
        ]);
      },
    });
    render(
      <ExerciseEditorPage
        api={api}
        session={session}
        user={kInstructor}
        course="algebra"
        lesson="powers"
      />,
    );
    fireEvent.change(await screen.findByLabelText('Id'), { target: { value: 'square' } });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'What is $3^2$?' } });
    fireEvent.change(screen.getByLabelText('Option 1 text'), { target: { value: '9' } });
    fireEvent.click(screen.getByLabelText('Option 1 is correct'));
    fireEvent.click(screen.getByLabelText('Option 2 is correct'));
    fireEvent.click(screen.getByRole('button', { name: 'Add the exercise' }));

    const options = screen.getByRole('group', { name: 'Options' });
    const groupError = await within(options).findByText(
      'This must have exactly one option with correct: true, found 2.',
    );
    expect(options.getAttribute('aria-describedby')).toContain(groupError.id);
    expect(document.activeElement).toBe(groupError);
    const second = screen.getByLabelText('Option 2 text');
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(second.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('This must not be empty.');
    expect(screen.getByRole('alert').textContent).toContain('The exercise is not valid.');
    expect(api.addExercise).toHaveBeenCalledWith('algebra', 7, 'powers', {
      id: 'square',
      type: 'single_choice',
      prompt: 'What is $3^2$?',
      options: [
        { id: 'a', text: '9', correct: true },
        { id: 'b', text: '', correct: true },
      ],
    });
  });

  it('tries the saved exercise as learners see it, graded by the server', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () =>
        draft({
          lessons: [
            {
              ...draft().lessons[0]!,
              exercises: [exerciseForm('p1', { hints: ['Think *yes*.'] }), exerciseForm('p2')],
            },
          ],
        }),
      getExercise: async () => ({
        lesson: 'powers',
        exercise: exerciseForm('p1'),
        view: kView,
        fingerprint: '0123456789abcdef',
      }),
      tryExercise: async () =>
        tryResult({ parts: [{ part: 'a', score: 1, correct: true, feedback_html: '' }] }),
      preview: async (markdown) => `<p>${markdown}</p>`,
    });
    render(
      <ExerciseEditorPage
        api={api}
        session={session}
        user={kInstructor}
        course="algebra"
        exercise="p1"
      />,
    );
    const tryIt = await screen.findByRole('region', { name: 'Try it' });
    // The hints are the draft's, rendered as the server renders Markdown.
    fireEvent.click(await within(tryIt).findByRole('button', { name: 'Show a hint' }));
    await within(tryIt).findByText('Think *yes*.');
    expect(api.preview).toHaveBeenCalledWith('Think *yes*.');

    fireEvent.click(within(tryIt).getByRole('radio', { name: 'Yes' }));
    fireEvent.click(within(tryIt).getByRole('button', { name: 'Check' }));
    await within(tryIt).findByText('Correct');
    expect(tryIt.textContent).toContain('Correct — 100 %');
    expect(api.tryExercise).toHaveBeenCalledWith('algebra', 'p1', 'a');

    // Start again: a fresh round, focus in its first input.
    fireEvent.click(within(tryIt).getByRole('button', { name: 'Start again' }));
    expect(tryIt.textContent).not.toContain('Correct — 100 %');
    expect(document.activeElement).toBe(within(tryIt).getByRole('radio', { name: 'Yes' }));

    // An unsaved change: the panel says it tries the saved exercise.
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'Changed?' } });
    expect(within(tryIt).getByText(/You have unsaved changes/)).toBeTruthy();
  });

  it('edits every field as JSON, and saves what it says', async () => {
    const saved = draft();
    const api = fakeAuthoringApi({
      getDraft: async () => saved,
      getExercise: async () => ({
        lesson: 'powers',
        exercise: exerciseForm('p1'),
        view: kView,
        fingerprint: 'f',
      }),
      updateExercise: async () => saved,
    });
    render(
      <ExerciseEditorPage
        api={api}
        session={session}
        user={kInstructor}
        course="algebra"
        exercise="p1"
      />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Edit as JSON' }));
    const json = screen.getByLabelText(/The exercise as JSON/) as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toEqual(exerciseForm('p1'));
    fireEvent.change(json, { target: { value: '{ "id": "p1", ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the exercise' }));
    expect(await screen.findByText(/This is not valid JSON/)).toBeTruthy();
    expect(api.updateExercise).not.toHaveBeenCalled();

    const edited = { ...exerciseForm('p1'), shuffle: false, tags: ['powers'] };
    fireEvent.change(json, { target: { value: JSON.stringify(edited) } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the exercise' }));
    await waitFor(() => expect(api.updateExercise).toHaveBeenCalledWith('algebra', 7, edited));
  });
});
