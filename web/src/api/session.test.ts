import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  authResult,
  jsonResponse,
  kLearner,
  problemResponse,
  unauthorized,
} from '../test/accounts';
import { ApiError, createApiClient, kProblemTypes } from './client';

type Handler = (request: Request) => Response | Promise<Response>;

/** A fetch stub that routes "METHOD /path" to handlers and records every request it sees. */
function fakeServer(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const request = new Request(new URL(String(input), 'http://app.test'), init);
    requests.push(request);
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler) return problemResponse({ title: 'Not Found', status: 404 });
    return handler(request);
  });
  const calls = (route: string) =>
    requests.filter((r) => `${r.method} ${new URL(r.url).pathname}` === route);
  return { fetch, requests, calls };
}

function bearer(request: Request): string | null {
  return request.headers.get('Authorization');
}

describe('api client sessions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('signs in with JSON and sends the access token, and never a token to /api/auth/*', async () => {
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T1')),
      'GET /api/me': () => jsonResponse(kLearner),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });

    await client.login({ email: kLearner.email, password: 'correct horse' });
    await client.getMe();

    const [login, me] = server.requests;
    expect(login?.headers.get('Content-Type')).toBe('application/json');
    expect(await login?.json()).toEqual({ email: kLearner.email, password: 'correct horse' });
    expect(login && bearer(login)).toBeNull();
    expect(login?.credentials).toBe('same-origin');
    expect(me && bearer(me)).toBe('Bearer T1');
    expect(me?.headers.get('Content-Type')).toBeNull();
    expect(client.session.get()).toEqual({ status: 'signed-in', user: kLearner });
  });

  it('refreshes a minute before the access token expires, and again after each refresh', async () => {
    let issued = 0;
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T0', 900)),
      'POST /api/auth/refresh': () => jsonResponse(authResult(kLearner, `R${++issued}`, 900)),
      'GET /api/me': () => jsonResponse(kLearner),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    await vi.advanceTimersByTimeAsync(839_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
    const [refresh] = server.calls('POST /api/auth/refresh');
    expect(refresh?.headers.get('Content-Type')).toBe('application/json');
    expect(await refresh?.text()).toBe('{}');

    await client.getMe();
    expect(bearer(server.requests.at(-1)!)).toBe('Bearer R1');

    await vi.advanceTimersByTimeAsync(840_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(2);
  });

  it('refreshes at half-life when the token lives less than two minutes', async () => {
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T0', 60)),
      'POST /api/auth/refresh': () => jsonResponse(authResult(kLearner, 'T1', 60)),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    await vi.advanceTimersByTimeAsync(29_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
  });

  it('restores the session once however often it is asked, and stays signed out on a 401', async () => {
    const server = fakeServer({ 'POST /api/auth/refresh': () => unauthorized('No session.') });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    const seen: string[] = [];
    client.session.subscribe(() => seen.push(client.session.get().status));

    expect(client.session.get()).toEqual({ status: 'unknown' });
    await Promise.all([client.restoreSession(), client.restoreSession()]);
    await client.restoreSession();

    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(client.session.get()).toEqual({ status: 'signed-out' });
    expect(seen).toEqual(['signed-out']);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
  });

  it('restores a session from the refresh cookie', async () => {
    const server = fakeServer({
      'POST /api/auth/refresh': () => jsonResponse(authResult(kLearner, 'R1')),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });

    await client.restoreSession();

    expect(client.session.get()).toEqual({ status: 'signed-in', user: kLearner });
  });

  it('after a 401, refreshes once for all calls in flight and retries each of them once', async () => {
    let release!: () => void;
    const refreshAnswered = new Promise<void>((resolve) => (release = resolve));
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'OLD')),
      'POST /api/auth/refresh': async () => {
        await refreshAnswered;
        return jsonResponse(authResult(kLearner, 'NEW'));
      },
      'GET /api/me': (request) =>
        bearer(request) === 'Bearer NEW' ? jsonResponse(kLearner) : unauthorized(),
      'GET /api/admin/users': (request) =>
        bearer(request) === 'Bearer NEW'
          ? jsonResponse({ items: [], next_cursor: null })
          : unauthorized(),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    const me = client.getMe();
    const users = client.listUsers({ q: 'ada' });
    await vi.advanceTimersByTimeAsync(0);
    release();

    await expect(me).resolves.toEqual(kLearner);
    await expect(users).resolves.toEqual({ items: [], next_cursor: null });
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(server.calls('GET /api/me').map(bearer)).toEqual(['Bearer OLD', 'Bearer NEW']);
  });

  it('gives up after one retry, and signs out when the refresh is refused', async () => {
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T1')),
      'POST /api/auth/refresh': () => unauthorized('The session was revoked.'),
      'GET /api/me': () => unauthorized(),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    const error = await client.getMe().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(server.calls('GET /api/me')).toHaveLength(1);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(client.session.get()).toEqual({ status: 'signed-out', reason: 'expired' });
  });

  it('retries with a newer token without refreshing again when one arrived meanwhile', async () => {
    let refreshes = 0;
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T0', 900)),
      'POST /api/auth/refresh': () => jsonResponse(authResult(kLearner, `R${++refreshes}`, 900)),
      'GET /api/me': async (request) => {
        // The scheduled refresh runs while this request is on its way.
        if (bearer(request) === 'Bearer T0') {
          await vi.advanceTimersByTimeAsync(840_000);
          return unauthorized();
        }
        return jsonResponse(kLearner);
      },
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    await client.getMe();

    expect(refreshes).toBe(1);
    expect(server.calls('GET /api/me').map(bearer)).toEqual(['Bearer T0', 'Bearer R1']);
  });

  it('keeps the session when a refresh fails for want of a server, and tries again soon', async () => {
    let failures = 1;
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T0', 900)),
      'POST /api/auth/refresh': () =>
        failures-- > 0
          ? problemResponse({ title: 'Service Unavailable', status: 503 })
          : jsonResponse(authResult(kLearner, 'R1', 900)),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    await vi.advanceTimersByTimeAsync(840_000);
    expect(client.session.get().status).toBe('signed-in');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(2);
    expect(client.session.get().status).toBe('signed-in');
  });

  it('holds the cross-tab lock while it refreshes', async () => {
    const held: string[] = [];
    const locks = {
      request: vi.fn(async (name: string, callback: () => Promise<unknown>) => {
        held.push(`acquire ${name}`);
        try {
          return await callback();
        } finally {
          held.push(`release ${name}`);
        }
      }),
    } as unknown as Pick<LockManager, 'request'>;
    const server = fakeServer({
      'POST /api/auth/refresh': () => {
        held.push('refresh');
        return jsonResponse(authResult(kLearner, 'R1'));
      },
    });
    const client = createApiClient({ fetch: server.fetch, locks });

    await client.restoreSession();

    expect(held).toEqual(['acquire practica-refresh', 'refresh', 'release practica-refresh']);
    expect(client.session.get().status).toBe('signed-in');
  });

  it('ignores a restore that a log-in overtook', async () => {
    let answer!: (response: Response) => void;
    const server = fakeServer({
      'POST /api/auth/refresh': () => new Promise<Response>((resolve) => (answer = resolve)),
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T1')),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });

    const restoring = client.restoreSession();
    await client.login({ email: kLearner.email, password: 'pw' });
    answer(unauthorized());
    await restoring;

    expect(client.session.get().status).toBe('signed-in');
  });

  it('reports a second factor being needed as a problem type, staying signed out', async () => {
    const server = fakeServer({
      'POST /api/auth/refresh': () => unauthorized(),
      'POST /api/auth/login': () =>
        problemResponse({
          type: kProblemTypes.mfaRequired,
          title: 'Second factor required',
          status: 401,
        }),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.restoreSession();

    const error = (await client
      .login({ email: kLearner.email, password: 'pw' })
      .catch((e: unknown) => e)) as ApiError;

    expect(error.problem.type).toBe(kProblemTypes.mfaRequired);
    expect(server.calls('POST /api/auth/refresh')).toHaveLength(1);
    expect(client.session.get()).toEqual({ status: 'signed-out' });
  });

  it("reads a 429's Retry-After", async () => {
    const server = fakeServer({
      'POST /api/auth/signup': () =>
        problemResponse({ title: 'Too Many Requests', status: 429 }, { 'Retry-After': '42' }),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });

    const error = (await client
      .signup({ email: 'a@b.test', password: 'pw', display_name: 'A' })
      .catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('uses the token from confirming two-factor set-up, and marks the user', async () => {
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T1')),
      'POST /api/me/mfa/totp/confirm': () =>
        jsonResponse({ recovery_codes: ['aaaa-bbbb-cccc'], access_token: 'MFA', expires_in: 900 }),
      'GET /api/me': () => jsonResponse({ ...kLearner, mfa_enabled: true }),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });
    await client.login({ email: kLearner.email, password: 'pw' });

    await expect(client.confirmTotp('123456')).resolves.toEqual(['aaaa-bbbb-cccc']);
    await client.getMe();

    expect(await server.calls('POST /api/me/mfa/totp/confirm')[0]?.json()).toEqual({
      code: '123456',
    });
    expect(bearer(server.requests.at(-1)!)).toBe('Bearer MFA');
    const state = client.session.get();
    expect(state.status === 'signed-in' && state.user.mfa_enabled).toBe(true);
  });

  it('signs out after logging out (even offline) and after deleting the account', async () => {
    const server = fakeServer({
      'POST /api/auth/login': () => jsonResponse(authResult(kLearner, 'T1')),
      'DELETE /api/me': () => new Response(null, { status: 204 }),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });

    await client.login({ email: kLearner.email, password: 'pw' });
    await client.deleteMe('pw');
    expect(await server.calls('DELETE /api/me')[0]?.json()).toEqual({ password: 'pw' });
    expect(client.session.get()).toEqual({ status: 'signed-out', reason: 'deleted' });

    await client.login({ email: kLearner.email, password: 'pw' });
    server.fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(client.logout()).rejects.toBeInstanceOf(ApiError);
    expect(client.session.get()).toEqual({ status: 'signed-out', reason: 'logged-out' });
  });

  it('builds the admin list query from the options that are set', async () => {
    const server = fakeServer({
      'GET /api/admin/users': () => jsonResponse({ items: [], next_cursor: null }),
      'PATCH /api/admin/users/usr_1': () => jsonResponse({ ...kLearner, role: 'instructor' }),
    });
    const client = createApiClient({ fetch: server.fetch, locks: null });

    await client.listUsers({ q: 'ada l', limit: 20, cursor: undefined });
    await client.listUsers({ q: '' });
    await client.updateUser('usr_1', { role: 'instructor' });

    expect(server.requests.map((r) => r.url)).toEqual([
      'http://app.test/api/admin/users?q=ada+l&limit=20',
      'http://app.test/api/admin/users',
      'http://app.test/api/admin/users/usr_1',
    ]);
    expect(server.requests[2]?.method).toBe('PATCH');
  });
});
