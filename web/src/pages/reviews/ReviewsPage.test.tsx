import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../api/client';
import { jsonResponse, problemResponse } from '../../test/accounts';
import { attemptResult, callsTo, kReviewCards, signedInClient } from '../../test/learning';
import { ReviewsPage } from './ReviewsPage';

function renderPage(client: ApiClient) {
  render(<ReviewsPage client={client} session={client.session} userId="usr_learner1" />);
}

describe('ReviewsPage', () => {
  it('shows due cards one at a time and posts the rating, the suggestion preselected', async () => {
    const { client, fetch } = await signedInClient((path, init) => {
      if (path === '/api/me/reviews')
        return jsonResponse({ items: kReviewCards, next_cursor: null });
      if (path.startsWith('/api/me/reviews/')) {
        return jsonResponse({ due: '2026-03-09T08:00:00Z', interval_days: 4 });
      }
      const { answer } = JSON.parse(String(init?.body)) as { answer: unknown };
      return jsonResponse(attemptResult({ correct: answer === true, raw_score: 1, score: 1 }), 201);
    });
    renderPage(client);

    expect(await screen.findByText(/Card 1 of 2/)).toBeTruthy();
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    // Wrong: "Again" is preselected (focused and highlighted).
    const again = await screen.findByRole('button', { name: 'Again' });
    expect(document.activeElement).toBe(again);
    expect(again.className).toContain('button-primary');
    expect(screen.getByText('Suggested from your answer: Again.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check' })).toBeNull();
    expect(screen.getByRole('group', { name: 'How well did you remember it?' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Hard' }));
    expect(await screen.findByText(/Card 2 of 2/)).toBeTruthy();
    expect(document.activeElement?.textContent).toContain('Card 2 of 2');
    expect(screen.getByText('Saved. Next review in 4 days.')).toBeTruthy();

    fireEvent.click(screen.getByRole('radio', { name: 'True' }));
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    const good = await screen.findByRole('button', { name: 'Good' });
    expect(document.activeElement).toBe(good);
    fireEvent.click(good);

    expect(
      await screen.findByText(
        'All done: you reviewed 2 cards. Come back tomorrow for the next ones.',
      ),
    ).toBeTruthy();
    const ratings = callsTo(fetch, '/api/me/reviews/').map((call) => [call.path, call.body]);
    expect(ratings).toEqual([
      ['/api/me/reviews/intro-statistics.mean-basic', { rating: 'hard' }],
      ['/api/me/reviews/intro-statistics.median-robust', { rating: 'good' }],
    ]);
    await waitFor(() => expect(callsTo(fetch, '/attempts')).toHaveLength(2));
  });

  it('offers the rating without a suggestion when the exercise has no tries left', async () => {
    const { client, fetch } = await signedInClient((path) => {
      if (path === '/api/me/reviews') {
        return jsonResponse({ items: kReviewCards.slice(0, 1), next_cursor: null });
      }
      if (path.startsWith('/api/me/reviews/')) {
        return jsonResponse({ due: '2026-03-06T08:00:00Z', interval_days: 1 });
      }
      return problemResponse({
        type: 'urn:practica:problem:attempts-exhausted',
        title: 'Conflict',
        status: 409,
        detail: 'No tries are left for this exercise.',
      });
    });
    renderPage(client);
    fireEvent.change(await screen.findByRole('spinbutton'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));

    expect(await screen.findByText(/cannot be checked again/)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Again' }));
    expect(screen.queryByText(/Suggested from your answer/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Good' }));
    expect(await screen.findByText(/you reviewed 1 card\./)).toBeTruthy();
    expect(callsTo(fetch, '/api/me/reviews/')[0]?.body).toEqual({ rating: 'good' });
  });

  it('says so when nothing is due', async () => {
    const { client } = await signedInClient(() => jsonResponse({ items: [], next_cursor: null }));
    renderPage(client);

    expect(await screen.findByText('No reviews due — come back tomorrow.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Reviews' })).toBeTruthy();
  });
});
