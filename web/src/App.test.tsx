import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { kCourse } from './test/fixtures';

function stubApi() {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input) => {
    const path = String(input);
    const body =
      path === '/api/courses'
        ? {
            items: [{ ...kCourse, lessons: undefined, lesson_count: 2, exercise_count: 3 }],
            next_cursor: null,
          }
        : path === `/api/courses/${kCourse.slug}`
          ? kCourse
          : null;
    if (body === null) {
      return new Response(
        JSON.stringify({ type: 'about:blank', title: 'Course not found', status: 404 }),
        {
          status: 404,
          headers: { 'Content-Type': 'application/problem+json' },
        },
      );
    }
    return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('App', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('has the page landmarks and a skip link to the main content', async () => {
    stubApi();
    render(<App />);
    expect(screen.getByRole('banner')).toBeTruthy();
    expect(screen.getByRole('main').id).toBe('main');
    expect(screen.getByRole('contentinfo')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Skip to content' }).getAttribute('href')).toBe(
      '#main',
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Courses' })).toBeTruthy();
  });

  it('follows a link without reloading, and moves focus to the new page', async () => {
    stubApi();
    render(<App />);

    fireEvent.click(await screen.findByRole('link', { name: kCourse.title }));

    expect(window.location.pathname).toBe(`/courses/${kCourse.slug}`);
    expect(await screen.findByRole('heading', { level: 1, name: kCourse.title })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('main'));
    expect(screen.getByRole('link', { name: 'Averages' }).getAttribute('href')).toBe(
      `/courses/${kCourse.slug}/lessons/averages`,
    );
  });

  it('goes back with the browser history', async () => {
    stubApi();
    render(<App />);
    fireEvent.click(await screen.findByRole('link', { name: kCourse.title }));
    await screen.findByRole('heading', { level: 1, name: kCourse.title });

    window.history.back();

    expect(await screen.findByRole('heading', { level: 1, name: 'Courses' })).toBeTruthy();
  });

  it('shows a not-found page for unknown paths and unknown courses', async () => {
    stubApi();
    window.history.replaceState(null, '', '/no/such/page');
    const { unmount } = render(<App />);
    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    unmount();

    window.history.replaceState(null, '', '/courses/unknown');
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Not found' })).toBeTruthy();
    expect(screen.getByText('Course not found')).toBeTruthy();
  });
});
