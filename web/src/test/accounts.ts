import type { AuthResult, Problem, Session, SessionState, User } from '../api/client';

/** Users as the API returns them, one per role. */
export const kLearner: User = {
  id: 'usr_learner1',
  email: 'ada@example.test',
  display_name: 'Ada Lovelace',
  role: 'learner',
  time_zone: 'Europe/London',
  created_at: '2026-01-02T10:00:00Z',
  last_login_at: '2026-03-04T09:30:00Z',
  mfa_enabled: false,
};

export const kInstructor: User = {
  ...kLearner,
  id: 'usr_instructor1',
  email: 'grace@example.test',
  display_name: 'Grace Hopper',
  role: 'instructor',
};

export const kAdmin: User = {
  ...kLearner,
  id: 'usr_admin1',
  email: 'root@example.test',
  display_name: 'Alan Turing',
  role: 'admin',
  mfa_enabled: true,
};

export function authResult(user: User, token = 'token-1', expiresIn = 900): AuthResult {
  return { user, access_token: token, expires_in: expiresIn };
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function problemResponse(
  problem: Omit<Problem, 'type'> & { type?: string },
  headers: Record<string, string> = {},
) {
  return new Response(JSON.stringify({ type: 'about:blank', ...problem }), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

/** A 401 as the API sends it for a missing, expired or revoked credential. */
export function unauthorized(detail = 'The access token has expired.') {
  return problemResponse({ title: 'Unauthorized', status: 401, detail });
}

/** A session that tests set by hand, for components that only read it. */
export function fakeSession(initial: SessionState) {
  let state = initial;
  const listeners = new Set<() => void>();
  const session: Session = {
    get: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    session,
    set(next: SessionState) {
      state = next;
      listeners.forEach((listener) => listener());
    },
  };
}
