import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient, Exercise } from '../api/client';
import { fakeSession, jsonResponse, problemResponse } from '../test/accounts';
import { kExercises } from '../test/fixtures';
import { attemptResult, callsTo, signedInClient } from '../test/learning';
import { ExercisePractice } from './ExercisePractice';

function renderPractice(client: ApiClient, exercise: Exercise) {
  render(
    <ExercisePractice
      exercise={exercise}
      number={1}
      total={1}
      client={client}
      session={client.session}
    />,
  );
  return screen.getByRole('region', { name: 'Exercise 1' });
}

function checkButton() {
  return screen.getByRole('button', { name: /^Check/ });
}

/** The text of the live region that reports results. */
function resultText(): string {
  return document.querySelector('.practice-result')?.textContent ?? '';
}

function noteFor(control: HTMLElement): string {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

const kNumeric = { ...kExercises.numeric, max_attempts: 3 } satisfies Exercise;

describe('ExercisePractice', () => {
  afterEach(() => vi.restoreAllMocks());

  it('enables Check for a complete answer and sends it with an Idempotency-Key', async () => {
    // The exercise is shown at 1 s; Check is pressed at 8.5 s: 7.5 s taken.
    const clock = vi.spyOn(performance, 'now').mockReturnValue(1_000);
    const { client, fetch } = await signedInClient(() =>
      jsonResponse(attemptResult({ attempts_left: 2, feedback_html: '<p>Add them up.</p>' }), 201),
    );
    renderPractice(client, kNumeric);
    expect(checkButton().getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(checkButton());
    expect(callsTo(fetch, '/attempts')).toHaveLength(0);

    const input = screen.getByRole('spinbutton', { name: 'Your answer (a number)' });
    fireEvent.change(input, { target: { value: '4' } });
    expect(checkButton().getAttribute('aria-disabled')).toBe('false');
    clock.mockReturnValue(8_500);
    fireEvent.click(checkButton());

    await waitFor(() => expect(resultText()).toContain('Incorrect — 0 %'));
    expect(resultText()).toContain('Add them up.');
    expect(resultText()).toContain('2 tries left');
    const [call] = callsTo(fetch, '/attempts');
    expect(call?.path).toBe('/api/exercises/intro-statistics.mean-basic/attempts');
    expect(call?.method).toBe('POST');
    expect(call?.body).toEqual({ answer: 4, time_taken_ms: 7_500 });
    expect(call?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(call?.headers.Authorization).toBe('Bearer token-1');
    // The graded answer is locked until "Try again".
    expect(input.matches(':disabled')).toBe(true);
    expect(checkButton().getAttribute('aria-disabled')).toBe('true');
  });

  it('resends the same key after a network failure, and a new key for a new submission', async () => {
    const clock = vi.spyOn(performance, 'now').mockReturnValue(0);
    let attempt = 0;
    const { client, fetch } = await signedInClient(() => {
      attempt++;
      if (attempt === 1) throw new TypeError('Failed to fetch');
      if (attempt === 2) return jsonResponse(attemptResult({ attempts_left: 2 }), 201);
      return jsonResponse(
        attemptResult({
          attempt_number: 2,
          correct: true,
          raw_score: 1,
          score: 0.9,
          attempts_left: 1,
          explanation_html: '<p>The sum is 15; 15 / 3 = 5.</p>',
        }),
        201,
      );
    });
    renderPractice(client, kNumeric);
    const input = screen.getByRole('spinbutton', { name: 'Your answer (a number)' });
    fireEvent.change(input, { target: { value: '4' } });

    clock.mockReturnValue(3_000);
    fireEvent.click(checkButton());
    expect(await screen.findByText(/server is out of reach/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('press Check again');
    expect(input.matches(':disabled')).toBe(false);

    clock.mockReturnValue(9_000);
    fireEvent.click(checkButton());
    await waitFor(() => expect(resultText()).toContain('Incorrect'));
    const [failed, retried] = callsTo(fetch, '/attempts');
    expect(retried?.headers['Idempotency-Key']).toBe(failed?.headers['Idempotency-Key']);
    // The same request again, body and all: the time is the first try's, not the resend's.
    expect(retried?.body).toEqual({ answer: 4, time_taken_ms: 3_000 });
    expect(screen.getByRole('alert').textContent).toBe('');

    clock.mockReturnValue(10_000);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(input.matches(':disabled')).toBe(false);
    expect(document.activeElement).toBe(input);
    expect(resultText()).toBe('');
    fireEvent.change(input, { target: { value: '5' } });
    clock.mockReturnValue(14_250);
    fireEvent.click(checkButton());

    await waitFor(() => expect(resultText()).toContain('Correct — 90 %'));
    const third = callsTo(fetch, '/attempts')[2];
    expect(third?.body).toEqual({ answer: 5, time_taken_ms: 4_250 });
    expect(third?.headers['Idempotency-Key']).not.toBe(failed?.headers['Idempotency-Key']);
    expect(resultText()).toContain('marked down from 100 %');
    const explanation = screen.getByRole('region', { name: 'Explanation' });
    expect(explanation.textContent).toContain('15 / 3 = 5');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.queryByText(/tries? left/)).toBeNull();
  });

  it('uses a new key when the answer changed after a network failure', async () => {
    let attempt = 0;
    const { client, fetch } = await signedInClient(() => {
      attempt++;
      if (attempt === 1) throw new TypeError('Failed to fetch');
      return jsonResponse(attemptResult(), 201);
    });
    renderPractice(client, kNumeric);
    const input = screen.getByRole('spinbutton', { name: 'Your answer (a number)' });
    fireEvent.change(input, { target: { value: '4' } });
    fireEvent.click(checkButton());
    await screen.findByText(/server is out of reach/);

    fireEvent.change(input, { target: { value: '6' } });
    fireEvent.click(checkButton());
    await waitFor(() => expect(resultText()).toContain('Incorrect'));
    const [first, second] = callsTo(fetch, '/attempts');
    expect(second?.headers['Idempotency-Key']).not.toBe(first?.headers['Idempotency-Key']);
  });

  it('shows each part’s result beside it: options, and gaps of a cloze', async () => {
    const { client } = await signedInClient(() =>
      jsonResponse(
        attemptResult({
          raw_score: 2 / 3,
          score: 2 / 3,
          feedback_html: '<p>Nearly there.</p>',
          attempts_left: 2,
          parts: [
            { part: 'a', score: 1, correct: true, feedback_html: '2 is prime.' },
            { part: 'b', score: 0, correct: false, feedback_html: '4 is 2 × 2.' },
            { part: 'c', score: 0, correct: false, feedback_html: '' },
          ],
        }),
        201,
      ),
    );
    const section = renderPractice(client, kExercises.multiple);
    fireEvent.click(within(section).getByRole('checkbox', { name: '2' }));
    fireEvent.click(within(section).getByRole('checkbox', { name: '4' }));
    fireEvent.click(checkButton());

    await waitFor(() => expect(resultText()).toContain('Partly right — 67 %'));
    expect(resultText()).toContain('Nearly there.');
    expect(noteFor(screen.getByRole('checkbox', { name: '2' }))).toBe('Correct. 2 is prime.');
    expect(noteFor(screen.getByRole('checkbox', { name: '4' }))).toBe('Incorrect. 4 is 2 × 2.');
    expect(noteFor(screen.getByRole('checkbox', { name: '5' }))).toBe('Missed. ');
    expect(section.querySelectorAll('.choice-correct .part-mark-correct')).toHaveLength(1);
    expect(section.querySelectorAll('.choice-incorrect .part-mark-incorrect')).toHaveLength(2);
  });

  it('puts gap results beside the gaps and lists notes on them under the text', async () => {
    const { client } = await signedInClient(() =>
      jsonResponse(
        attemptResult({
          raw_score: 1 / 3,
          score: 1 / 3,
          parts: [
            { part: 'gap 1', score: 1, correct: true, feedback_html: '' },
            { part: 'gap 2', score: 0, correct: false, feedback_html: 'Think of the Seine.' },
            { part: 'gap 3', score: 0, correct: false, feedback_html: '' },
            { part: '', score: 0, correct: false, feedback_html: 'Two gaps are wrong.' },
          ],
        }),
        201,
      ),
    );
    renderPractice(client, kExercises.cloze);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Gap 1 of 3' }), {
      target: { value: '2' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Gap 2 of 3' }), {
      target: { value: 'Lyon' },
    });
    expect(checkButton().getAttribute('aria-disabled')).toBe('true');
    fireEvent.change(screen.getByRole('combobox', { name: 'Gap 3 of 3' }), {
      target: { value: 'river' },
    });
    fireEvent.click(checkButton());

    await waitFor(() => expect(resultText()).toContain('Partly right — 33 %'));
    expect(noteFor(screen.getByRole('spinbutton', { name: 'Gap 1 of 3' }))).toBe(
      'Gap 1: Correct. ',
    );
    expect(noteFor(screen.getByRole('textbox', { name: 'Gap 2 of 3' }))).toBe(
      'Gap 2: Incorrect. Think of the Seine.',
    );
    expect(resultText()).toContain('Two gaps are wrong.');
  });

  it('reveals hints one at a time, announcing each, then moves focus to the last', async () => {
    const exercise = { ...kNumeric, hint_count: 2 };
    let hint = 0;
    const { client, fetch } = await signedInClient(() => {
      hint++;
      return jsonResponse({
        hint_html: `<p>${hint === 1 ? 'Add them up.' : 'Divide by 3.'}</p>`,
        hint_number: hint,
        hints_left: 2 - hint,
      });
    });
    renderPractice(client, exercise);
    const button = screen.getByRole('button', { name: 'Show a hint' });
    expect(noteFor(button)).toBe('2 hints left');

    fireEvent.click(button);
    const hints = await screen.findByRole('list', { name: 'Hints' });
    expect(within(hints).getByText('Add them up.')).toBeTruthy();
    const status = screen
      .getAllByRole('status')
      .find((region) => region.textContent?.startsWith('Hint 1'));
    expect(status?.textContent).toBe('Hint 1: Add them up.');
    expect(noteFor(button)).toBe('1 hint left');

    fireEvent.click(button);
    await waitFor(() => expect(within(hints).getAllByRole('listitem')).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'Show a hint' })).toBeNull();
    expect(document.activeElement?.textContent).toBe('Hint 2: Divide by 3.');
    const calls = callsTo(fetch, '/hints');
    expect(calls.map((call) => [call.path, call.method, call.body])).toEqual([
      ['/api/exercises/intro-statistics.mean-basic/hints', 'POST', {}],
      ['/api/exercises/intro-statistics.mean-basic/hints', 'POST', {}],
    ]);
  });

  it('counts tries and hints used on an earlier visit, and says what was solved', async () => {
    const { client } = await signedInClient(() => jsonResponse(attemptResult(), 201));
    render(
      <ExercisePractice
        exercise={{ ...kNumeric, hint_count: 2 }}
        number={1}
        total={1}
        client={client}
        session={client.session}
        prior={{
          exercise_id: 'mean-basic',
          attempts: 3,
          best_score: 0.8,
          solved: true,
          hints_used: 1,
        }}
      />,
    );
    expect(screen.getByText('You have solved this one before (best score 80 %).')).toBeTruthy();
    expect(resultText()).toBe('No tries left');
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '5' } });
    expect(checkButton().getAttribute('aria-disabled')).toBe('true');
    expect(screen.queryByRole('button', { name: 'Show a hint' })).toBeNull();
  });

  it('starts the hint count from the hints used on an earlier visit', async () => {
    const { client } = await signedInClient(() => jsonResponse(attemptResult(), 201));
    render(
      <ExercisePractice
        exercise={{ ...kNumeric, hint_count: 2 }}
        number={1}
        total={1}
        client={client}
        session={client.session}
        prior={{
          exercise_id: 'mean-basic',
          attempts: 1,
          best_score: 0,
          solved: false,
          hints_used: 1,
        }}
      />,
    );
    expect(noteFor(screen.getByRole('button', { name: 'Show a hint' }))).toBe('1 hint left');
    expect(resultText()).toBe('');
  });

  it('shows why a formula was refused next to its field', async () => {
    const { client } = await signedInClient(() =>
      problemResponse({
        title: 'Invalid request',
        status: 400,
        errors: [{ field: 'answer', message: 'Unexpected ")" at column 5' }],
      }),
    );
    renderPractice(client, kExercises.formula);
    const input = screen.getByRole('textbox', { name: 'Your formula' });
    fireEvent.change(input, { target: { value: '(x+1))' } });
    fireEvent.click(checkButton());

    const message = await screen.findByText('Unexpected ")" at column 5.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')?.split(' ')).toContain(message.id);
    expect(input.matches(':disabled')).toBe(false);

    fireEvent.change(input, { target: { value: '(x+1)^2' } });
    expect(screen.queryByText('Unexpected ")" at column 5.')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('submits an essay and says it is saved, with no verdict or score', async () => {
    const { client, fetch } = await signedInClient(() =>
      jsonResponse(
        attemptResult({
          graded: false,
          explanation_html: '<p>The median describes a typical house.</p>',
          progress: { attempts: 1, best_score: 0, solved: true, hints_used: 0, xp: 0, streak: 1 },
        }),
        201,
      ),
    );
    renderPractice(client, kExercises.essay);
    const submit = screen.getByRole('button', { name: 'Submit' });
    expect(submit.getAttribute('aria-disabled')).toBe('true');
    const field = screen.getByRole('textbox', { name: 'Your answer' });
    fireEvent.change(field, { target: { value: 'The median: one mansion pulls the mean.' } });
    fireEvent.click(submit);

    await waitFor(() => expect(resultText()).toContain('Answer saved'));
    expect(resultText()).toContain('an instructor may review it');
    expect(resultText()).not.toContain('Incorrect');
    expect(resultText()).not.toContain('%');
    expect(screen.getByText('The median describes a typical house.')).toBeTruthy();
    expect(callsTo(fetch, '/attempts')[0]?.body).toMatchObject({
      answer: 'The median: one mansion pulls the mean.',
    });
    expect(field.matches(':disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Revise your answer' }));
    expect(field.matches(':disabled')).toBe(false);
    expect(screen.queryByRole('button', { name: /^Check/ })).toBeNull();
  });

  it('stops offering Check once the server says no tries are left', async () => {
    const { client } = await signedInClient(() =>
      problemResponse({
        type: 'urn:practica:problem:attempts-exhausted',
        title: 'No attempts left',
        status: 409,
      }),
    );
    renderPractice(client, kNumeric);
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '1' } });
    fireEvent.click(checkButton());

    expect(await screen.findByText('You have no tries left for this exercise.')).toBeTruthy();
    expect(resultText()).toBe('No tries left');
    expect(checkButton().getAttribute('aria-disabled')).toBe('true');
  });

  it('asks signed-out visitors to sign in instead of offering Check', () => {
    render(
      <ExercisePractice
        exercise={kNumeric}
        number={1}
        total={1}
        client={{ submitAttempt: async () => attemptResult(), takeHint: async () => null as never }}
        session={fakeSession({ status: 'signed-out' }).session}
      />,
    );
    expect(screen.getByRole('link', { name: 'Sign in to check your answers' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Show a hint' })).toBeNull();
  });
});
