import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthApi, SessionState } from '../api/client';
import { fakeSession, kAdmin, kLearner } from '../test/accounts';
import { SiteNav } from './SiteNav';

function clientIn(initial: SessionState): AuthApi {
  const { session, set } = fakeSession(initial);
  return {
    session,
    restoreSession: async () => {},
    signup: vi.fn(),
    login: vi.fn(),
    logout: vi.fn(async () => set({ status: 'signed-out', reason: 'logged-out' })),
  };
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

  it("shows a learner's name and account, and an admin's users page", () => {
    const { unmount } = render(
      <SiteNav client={clientIn({ status: 'signed-in', user: kLearner })} />,
    );
    expect(navLabels()).toEqual(['Catalog', 'Account', 'Log out']);
    expect(screen.getByText(kLearner.display_name)).toBeTruthy();
    unmount();

    window.history.replaceState(null, '', '/admin/users');
    render(<SiteNav client={clientIn({ status: 'signed-in', user: kAdmin })} />);
    expect(navLabels()).toEqual(['Catalog', 'Account', 'Users', 'Log out']);
    expect(screen.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
  });

  it('logs out with its button', async () => {
    const client = clientIn({ status: 'signed-in', user: kLearner });
    render(<SiteNav client={client} />);

    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));

    await waitFor(() => expect(navLabels()).toEqual(['Catalog', 'Log in', 'Sign up']));
    expect(client.logout).toHaveBeenCalledOnce();
  });
});
