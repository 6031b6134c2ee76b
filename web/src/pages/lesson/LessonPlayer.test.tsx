import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ComponentProps } from 'react';
import { fakeSession } from '../../test/accounts';
import { kCourse, kExercises, kLesson } from '../../test/fixtures';
import { LessonPage } from './LessonPage';
import { LessonPlayer } from './LessonPlayer';

describe('LessonPlayer', () => {
  it('renders each exercise inside its slot, even one nested in a list', () => {
    render(<LessonPlayer course={kCourse} lesson={kLesson} />);

    const numericSlot = document.querySelector('[data-exercise-id="mean-basic"].exercise-slot');
    const textSlot = document.querySelector('li [data-exercise-id="capital"].exercise-slot');
    expect(within(numericSlot as HTMLElement).getByRole('spinbutton')).toBeTruthy();
    expect(within(textSlot as HTMLElement).getByRole('textbox')).toBeTruthy();
    // The text before the first slot stays before it.
    const text = screen.getByText(/is its sum divided by its length/);
    expect(
      text.compareDocumentPosition(numericSlot as Node) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('appends exercises that have no slot, and ignores slots with no exercise', () => {
    render(<LessonPlayer course={kCourse} lesson={kLesson} />);

    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['Exercise 1 of 3', 'Exercise 2 of 3', 'Exercise 3 of 3']);
    const last = screen.getByRole('region', { name: 'Exercise 3 of 3' });
    expect(within(last).getByRole('radio', { name: 'True' })).toBeTruthy();
    expect(document.querySelector('[data-exercise-id="no-such-exercise"]')?.childElementCount).toBe(
      0,
    );
  });

  it('shows the title, its place in the course and links to the neighbouring lessons', () => {
    render(<LessonPlayer course={kCourse} lesson={kLesson} />);

    expect(screen.getByRole('heading', { level: 1, name: 'Averages' })).toBeTruthy();
    expect(screen.getByText('Lesson 1 of 2')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Lessons' });
    expect(
      within(nav)
        .getByRole('link', { name: /Next lesson\s*Spread/ })
        .getAttribute('href'),
    ).toBe('/courses/intro-statistics/lessons/spread');
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(crumbs).getByRole('link', { name: kCourse.title }).getAttribute('href')).toBe(
      '/courses/intro-statistics',
    );
  });

  it('typesets maths in the lesson text with KaTeX', async () => {
    const lesson = { ...kLesson, html: '<p>Area: $\\pi r^2$.</p>', exercises: [] };
    render(<LessonPlayer course={kCourse} lesson={lesson} />);

    await waitFor(() => expect(document.querySelector('.lesson-body .katex')).not.toBeNull());
    expect(document.querySelector('.lesson-body')?.textContent).not.toContain('$');
  });
});

describe('LessonPage', () => {
  type Client = NonNullable<ComponentProps<typeof LessonPage>['client']>;
  function client(overrides: Partial<Client>): Client {
    return {
      listCourses: async () => ({ items: [], next_cursor: null }),
      getCourse: async () => kCourse,
      getLesson: async () => ({ ...kLesson, exercises: [kExercises.numeric] }),
      session: fakeSession({ status: 'signed-out' }).session,
      submitAttempt: async () => {
        throw new Error('not signed in');
      },
      takeHint: async () => {
        throw new Error('not signed in');
      },
      getCourseProgress: async () => {
        throw new Error('not signed in');
      },
      ...overrides,
    };
  }

  it('shows a loading state, then the lesson', async () => {
    window.history.replaceState(null, '', '/courses/intro-statistics/lessons/averages');
    render(<LessonPage course="intro-statistics" lesson="averages" client={client({})} />);

    expect(screen.getByRole('status').textContent).toBe('Loading lesson…');
    expect(await screen.findByRole('heading', { level: 1, name: 'Averages' })).toBeTruthy();
    expect(document.title).toBe('Averages · Practica');
    expect(
      screen.getByRole('link', { name: 'Sign in to check your answers' }).getAttribute('href'),
    ).toBe('/login?next=%2Fcourses%2Fintro-statistics%2Flessons%2Faverages');
    window.history.replaceState(null, '', '/');
  });

  it('shows the problem title and detail when the lesson cannot be loaded', async () => {
    const { ApiError } = await import('../../api/client');
    const failing = client({
      getLesson: async () => {
        throw new ApiError({
          type: 'about:blank',
          title: 'Lesson not found',
          status: 404,
          detail: 'The course has no lesson "nope".',
        });
      },
    });
    render(<LessonPage course="intro-statistics" lesson="nope" client={failing} />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Not found' })).toBeTruthy();
    expect(alert.textContent).toContain('Lesson not found');
    expect(alert.textContent).toContain('The course has no lesson "nope".');
    expect(within(alert).queryByRole('button', { name: 'Try again' })).toBeNull();
  });
});
