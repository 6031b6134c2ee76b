import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ProgressOverview } from '../../api/client';
import { ProgressPage } from './ProgressPage';

function client(overview: ProgressOverview) {
  return { getProgress: async () => overview };
}

describe('ProgressPage', () => {
  it('shows XP, the streak, and each course with a completion bar and its score', async () => {
    render(
      <ProgressPage
        userId="usr_learner1"
        client={client({
          xp: 120,
          streak: 3,
          items: [
            {
              course: 'intro-statistics',
              title: 'Introduction to Statistics',
              completion: 0.4,
              score: 0.75,
              xp: 90,
            },
            { course: 'algebra', title: 'Algebra', completion: 0.001, score: 0.5, xp: 30 },
          ],
        })}
      />,
    );

    expect(await screen.findByRole('heading', { level: 1, name: 'Your progress' })).toBeTruthy();
    expect(document.title).toBe('Your progress · Practica');
    const totals = screen.getByRole('list', { name: 'Totals' });
    expect(
      within(totals)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['120 XP', '3-day streak']);
    const bar = screen.getByRole('progressbar', { name: 'Introduction to Statistics: completion' });
    expect((bar as HTMLProgressElement).value).toBe(0.4);
    const course = bar.closest('li') as HTMLElement;
    expect(within(course).getByRole('link', { name: 'Introduction to Statistics' })).toBeTruthy();
    expect(course.textContent).toContain('40 % complete');
    expect(course.textContent).toContain('Score 75 % · 90 XP');
    expect(screen.getByText('<1 % complete')).toBeTruthy();
  });

  it('says how to start when nothing has been answered yet', async () => {
    render(<ProgressPage userId="usr_learner1" client={client({ xp: 0, streak: 0, items: [] })} />);

    expect(await screen.findByText(/You have not answered any exercises yet/)).toBeTruthy();
    expect(screen.getByText('No streak yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Pick a course' }).getAttribute('href')).toBe('/');
  });
});
