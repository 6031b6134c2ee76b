import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { createApiClient, type User } from './api/client';
import {
  authResult,
  jsonResponse,
  kAdmin,
  kInstructor,
  kLearner,
  unauthorized,
} from './test/accounts';
import { kCourse } from './test/fixtures';

/** Renders the app with its own client, so no session state leaks from test to test. */
function renderApp() {
  return render(<App client={createApiClient({ locks: null })} />);
}

function stubApi(user: User | null = null) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const path = String(input);
    if (path === '/api/auth/refresh' && init?.method === 'POST') {
      return user ? jsonResponse(authResult(user)) : unauthorized('No session.');
    }
    if (path === '/api/auth/logout') return new Response(null, { status: 204 });
    if (path.startsWith('/api/admin/users')) {
      return jsonResponse({ items: [kLearner, kAdmin], next_cursor: null });
    }
    if (path === '/api/me/progress') {
      return jsonResponse({
        items: [
          { course: kCourse.slug, title: kCourse.title, completion: 0.5, score: 0.8, xp: 40 },
        ],
        xp: 40,
        streak: 2,
      });
    }
    if (path === '/api/me/reviews') return jsonResponse({ items: [], next_cursor: null });
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
    renderApp();
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
    renderApp();

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
    renderApp();
    fireEvent.click(await screen.findByRole('link', { name: kCourse.title }));
    await screen.findByRole('heading', { level: 1, name: kCourse.title });

    window.history.back();

    expect(await screen.findByRole('heading', { level: 1, name: 'Courses' })).toBeTruthy();
  });

  it('shows a not-found page for unknown paths and unknown courses', async () => {
    stubApi();
    window.history.replaceState(null, '', '/no/such/page');
    const { unmount } = renderApp();
    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    unmount();

    window.history.replaceState(null, '', '/courses/unknown');
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Not found' })).toBeTruthy();
    expect(screen.getByText('Course not found')).toBeTruthy();
  });

  it('restores the session on start and shows who is signed in', async () => {
    const fetch = stubApi(kLearner);
    renderApp();

    expect(await screen.findByText(kLearner.display_name)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.textContent).toContain('Log out');
    const refresh = fetch.mock.calls.find((call) => String(call[0]) === '/api/auth/refresh');
    expect(refresh?.[1]?.credentials).toBe('same-origin');
    await screen.findByRole('heading', { level: 1, name: 'Courses' });
    const catalog = fetch.mock.calls.filter((call) => String(call[0]) === '/api/courses');
    expect(catalog.length).toBeGreaterThan(0);
  });

  it('sends a signed-out visitor of the account page to log in, and back after', async () => {
    stubApi(null);
    window.history.replaceState(null, '', '/account');
    renderApp();

    expect(await screen.findByRole('heading', { level: 1, name: 'Log in' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Faccount');
  });

  it('loads the account page for a signed-in user', async () => {
    stubApi(kLearner);
    window.history.replaceState(null, '', '/account');
    renderApp();

    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeTruthy();
    expect(screen.getByText(kLearner.email)).toBeTruthy();
    expect((screen.getByLabelText('Time zone') as HTMLSelectElement).value).toBe(
      kLearner.time_zone,
    );
    expect(
      screen.getByRole('heading', { level: 2, name: 'Two-factor authentication' }),
    ).toBeTruthy();
    expect(screen.queryByText(/Set up two-factor authentication\./)).toBeNull();
  });

  it('leaves the account page for the catalog on logging out', async () => {
    stubApi(kLearner);
    window.history.replaceState(null, '', '/account');
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Account' });

    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Courses' })).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('link', { name: 'Log in' })).toBeTruthy();
  });

  it('tells instructors and admins without a second factor to set one up', async () => {
    stubApi(kInstructor);
    renderApp();

    const banner = await screen.findByText('Set up two-factor authentication.');
    const link = screen.getByRole('link', { name: 'Set it up on your account page' });
    expect(banner.closest('main')).toBeTruthy();
    expect(link.getAttribute('href')).toBe('/account#two-factor');
  });

  it('loads the progress and review pages for a signed-in learner from the nav', async () => {
    stubApi(kLearner);
    renderApp();
    fireEvent.click(await screen.findByRole('link', { name: 'Progress' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Your progress' })).toBeTruthy();
    expect(screen.getByText('2-day streak')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: `${kCourse.title}: completion` })).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Reviews' }));
    expect(await screen.findByText('No reviews due — come back tomorrow.')).toBeTruthy();
  });

  it('sends a signed-out visitor of the progress page to log in', async () => {
    stubApi(null);
    window.history.replaceState(null, '', '/progress');
    renderApp();

    expect(await screen.findByRole('heading', { level: 1, name: 'Log in' })).toBeTruthy();
    expect(window.location.search).toBe('?next=%2Fprogress');
  });

  it('shows admins the users page', async () => {
    stubApi(kAdmin);
    window.history.replaceState(null, '', '/admin/users');
    renderApp();

    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeTruthy();
    expect(await screen.findByRole('cell', { name: kLearner.email })).toBeTruthy();
  });
});
