import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Page, ReviewCard, SessionState } from '../api/client';
import { fakeSession, kAdmin, kLearner } from '../test/accounts';
import { kReviewCards } from '../test/learning';
import { SiteNav, type SiteNavProps } from './SiteNav';

function clientIn(initial: SessionState, due: Page<ReviewCard> = { items: [], next_cursor: null }) {
  const { session, set } = fakeSession(initial);
  return {
    session,
    restoreSession: async () => {},
    signup: vi.fn(),
    login: vi.fn(),
    logout: vi.fn(async () => set({ status: 'signed-out', reason: 'logged-out' })),
    listReviews: vi.fn(async () => due),
  } satisfies SiteNavProps['client'];
}

function navLabels(): string[] {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('listitem')
    .map((item) => item.textContent ?? '');
}

describe('SiteNav', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('shows log-in and sign-up links when signed out', () => {
    render(<SiteNav client={clientIn({ status: 'signed-out' })} />);
    expect(navLabels()).toEqual(['Catalog', 'Log in', 'Sign up']);
    expect(screen.getByRole('link', { name: 'Catalog' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByText(/Signed in as/)).toBeNull();
  });

  it("shows a learner's name and account, and an admin's authoring, analytics and users pages", () => {
    const { unmount } = render(
      <SiteNav client={clientIn({ status: 'signed-in', user: kLearner })} />,
    );
    expect(navLabels()).toEqual(['Catalog', 'Progress', 'Reviews', 'Account', 'Log out']);
    expect(screen.getByText(kLearner.display_name)).toBeTruthy();
    unmount();

    window.history.replaceState(null, '', '/admin/users');
    render(<SiteNav client={clientIn({ status: 'signed-in', user: kAdmin })} />);
    expect(navLabels()).toEqual([
      'Catalog',
      'Progress',
      'Reviews',
      'Account',
      'Authoring',
      'Analytics',
      'Users',
      'Log out',
    ]);
    expect(screen.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
  });

  it('badges Reviews with the number of cards due, except on the review page', async () => {
    const client = clientIn(
      { status: 'signed-in', user: kLearner },
      { items: kReviewCards, next_cursor: null },
    );
    const { unmount } = render(<SiteNav client={client} />);
    const link = await screen.findByRole('link', { name: 'Reviews 2 due' });
    expect(link.getAttribute('href')).toBe('/reviews');
    unmount();

    window.history.replaceState(null, '', '/reviews');
    render(<SiteNav client={client} />);
    expect(screen.getByRole('link', { name: 'Reviews' }).textContent).toBe('Reviews');
    expect(client.listReviews).toHaveBeenCalledOnce();
  });

  it('logs out with its button', async () => {
    const client = clientIn({ status: 'signed-in', user: kLearner });
    render(<SiteNav client={client} />);

    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));

    await waitFor(() => expect(navLabels()).toEqual(['Catalog', 'Log in', 'Sign up']));
    expect(client.logout).toHaveBeenCalledOnce();
  });
});
