import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type AuthApi } from '../../api/client';
import { fakeSession, kLearner } from '../../test/accounts';
import { SignupPage } from './SignupPage';

function client(signup: AuthApi['signup']): AuthApi {
  return {
    session: fakeSession({ status: 'signed-out' }).session,
    restoreSession: async () => {},
    signup,
    login: vi.fn(),
    logout: vi.fn(),
  };
}

function fillIn() {
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' Ada Lovelace ' } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ada@example.test' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('SignupPage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('signs up with the browser time zone and goes where `next` says', async () => {
    window.history.replaceState(null, '', '/signup?next=%2Faccount');
    const signup = vi.fn<AuthApi['signup']>(async () => kLearner);
    render(<SignupPage client={client(signup)} />);

    fillIn();

    await waitFor(() => expect(window.location.pathname).toBe('/account'));
    expect(signup).toHaveBeenCalledWith({
      display_name: 'Ada Lovelace',
      email: 'ada@example.test',
      password: 'password',
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  });

  it("shows the server's field errors beside their fields, and focuses the first", async () => {
    const signup = vi.fn<AuthApi['signup']>(async () => {
      throw new ApiError({
        type: 'about:blank',
        title: 'Invalid request',
        status: 400,
        errors: [{ field: 'password', message: 'This password is too common.' }],
      });
    });
    render(<SignupPage client={client(signup)} />);

    fillIn();

    const message = await screen.findByText('This password is too common.');
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(password.getAttribute('aria-describedby')?.split(' ')).toContain(message.id);
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('Check the fields marked below.');
    expect(document.activeElement).toBe(password);
    expect(window.location.pathname).toBe('/');
  });

  it('puts a taken email on the email field, and says how long to wait when rate-limited', async () => {
    const signup = vi
      .fn<AuthApi['signup']>()
      .mockRejectedValueOnce(
        new ApiError({
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail: 'An account with this email already exists.',
        }),
      )
      .mockRejectedValueOnce(
        new ApiError({ type: 'about:blank', title: 'Too many sign-ups', status: 429 }, 120),
      );
    render(<SignupPage client={client(signup)} />);

    fillIn();
    const taken = await screen.findByText('An account with this email already exists.');
    expect(screen.getByLabelText('Email').getAttribute('aria-describedby')).toContain(taken.id);

    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Too many sign-ups. Try again in 2 minutes.',
      ),
    );
    expect(screen.queryByText('An account with this email already exists.')).toBeNull();
  });

  it("signs up without a time zone when the server does not know the browser's", async () => {
    const signup = vi
      .fn<AuthApi['signup']>()
      .mockRejectedValueOnce(
        new ApiError({
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          errors: [{ field: 'time_zone', message: 'is not a known IANA time zone' }],
        }),
      )
      .mockResolvedValueOnce(kLearner);
    render(<SignupPage client={client(signup)} />);

    fillIn();

    await waitFor(() => expect(signup).toHaveBeenCalledTimes(2));
    expect(signup.mock.calls[1]?.[0].time_zone).toBeUndefined();
    expect(signup.mock.calls[1]?.[0].email).toBe('ada@example.test');
  });
});
