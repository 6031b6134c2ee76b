import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, kProblemTypes, type AuthApi } from '../../api/client';
import { fakeSession, kLearner } from '../../test/accounts';
import { LoginPage } from './LoginPage';

function client(login: AuthApi['login']): AuthApi {
  return {
    session: fakeSession({ status: 'signed-out' }).session,
    restoreSession: async () => {},
    signup: vi.fn(),
    login,
    logout: vi.fn(),
  };
}

const kMfaRequired = new ApiError({
  type: kProblemTypes.mfaRequired,
  title: 'Second factor required',
  status: 401,
});

function logIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('LoginPage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('logs in and goes to the catalog', async () => {
    window.history.replaceState(null, '', '/login');
    const login = vi.fn<AuthApi['login']>(async () => kLearner);
    render(<LoginPage client={client(login)} />);

    logIn(' ada@example.test ', 'pw');

    await waitFor(() => expect(window.location.pathname).toBe('/'));
    expect(login).toHaveBeenCalledWith({ email: 'ada@example.test', password: 'pw' });
  });

  it('says when the credentials are wrong', async () => {
    const login = vi.fn<AuthApi['login']>(async () => {
      throw new ApiError({ type: 'about:blank', title: 'Unauthorized', status: 401 });
    });
    render(<LoginPage client={client(login)} />);

    logIn('ada@example.test', 'wrong');

    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('The email or password is not right.'),
    );
  });

  it('asks for the code when the account has two-factor authentication, then sends it', async () => {
    window.history.replaceState(null, '', '/login?next=%2Faccount');
    const login = vi
      .fn<AuthApi['login']>()
      .mockRejectedValueOnce(kMfaRequired)
      .mockRejectedValueOnce(
        new ApiError({
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'The code is not valid.',
        }),
      )
      .mockResolvedValueOnce(kLearner);
    render(<LoginPage client={client(login)} />);

    logIn('ada@example.test', 'pw');
    const code = await screen.findByLabelText('Authentication code');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Two-factor authentication');
    expect(document.activeElement).toBe(code);
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');

    fireEvent.change(code, { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('The code is not valid.'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    const recovery = screen.getByLabelText('Recovery code');
    expect(recovery.getAttribute('inputmode')).toBe('text');
    fireEvent.change(recovery, { target: { value: 'k3x9-m2p7-q8r4 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

    await waitFor(() => expect(window.location.pathname).toBe('/account'));
    expect(login.mock.calls.map((call) => call[0])).toEqual([
      { email: 'ada@example.test', password: 'pw' },
      { email: 'ada@example.test', password: 'pw', otp: '000000' },
      { email: 'ada@example.test', password: 'pw', otp: 'k3x9-m2p7-q8r4' },
    ]);
  });
});
