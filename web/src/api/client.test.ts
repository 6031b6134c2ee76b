import { describe, expect, it, vi } from 'vitest';
import { ApiError, api, createApiClient } from './client';

function jsonResponse(body: unknown, status = 200, contentType = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

describe('api client', () => {
  it('lists courses from /api/courses, passing limit and cursor as query parameters', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      jsonResponse({ items: [], next_cursor: null }),
    );
    const client = createApiClient({ fetch });

    await expect(client.listCourses()).resolves.toEqual({ items: [], next_cursor: null });
    await client.listCourses({ limit: 10, cursor: 'abc=' });

    expect(fetch.mock.calls.map((call) => String(call[0]))).toEqual([
      '/api/courses',
      '/api/courses?limit=10&cursor=abc%3D',
    ]);
    const init = fetch.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get('Accept')).toBe('application/json');
  });

  it('encodes course and lesson slugs as path segments', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => jsonResponse({}));
    const client = createApiClient({ fetch, baseUrl: 'http://example.test' });

    await client.getCourse('intro-statistics');
    await client.getLesson('a/b', 'c d');

    expect(fetch.mock.calls.map((call) => String(call[0]))).toEqual([
      'http://example.test/api/courses/intro-statistics',
      'http://example.test/api/courses/a%2Fb/lessons/c%20d',
    ]);
  });

  it('turns a problem+json answer into an ApiError carrying the problem', async () => {
    const problem = {
      type: 'https://practica.dev/problems/not-found',
      title: 'Course not found',
      status: 404,
      detail: 'There is no course "nope".',
      request_id: 'req-1',
    };
    const client = createApiClient({
      fetch: async () => jsonResponse(problem, 404, 'application/problem+json'),
    });

    const error = await client.getCourse('nope').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).problem).toEqual(problem);
    expect((error as ApiError).message).toBe('Course not found: There is no course "nope".');
  });

  it('makes up a problem from the status line when the error body is not JSON', async () => {
    const client = createApiClient({
      fetch: async () =>
        new Response('<h1>Bad gateway</h1>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/html' },
        }),
    });

    const error = (await client.listCourses().catch((e: unknown) => e)) as ApiError;

    expect(error.problem).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502 });
  });

  it('reports an unreachable server as a network problem with status 0', async () => {
    const client = createApiClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });

    const error = (await client.listCourses().catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.problem.status).toBe(0);
    expect(error.problem.title).toBe('Network error');
  });

  it('lets an abort through unchanged, so callers can ignore it', async () => {
    const controller = new AbortController();
    const client = createApiClient({
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () =>
            reject(new DOMException('The operation was aborted.', 'AbortError')),
          );
        }),
    });

    const pending = client.getLesson('c', 'l', controller.signal);
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('uses the global fetch by default', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      jsonResponse({ items: [{ slug: 'x' }], next_cursor: null }),
    );
    vi.stubGlobal('fetch', fetch);

    const page = await api.listCourses();

    expect(page.items).toEqual([{ slug: 'x' }]);
    expect(fetch).toHaveBeenCalledOnce();
  });
});

describe('api client: analytics', () => {
  it("asks for a course's report with the range, and the interval where given", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => jsonResponse({ items: [] }));
    const client = createApiClient({ fetch });

    await client.getAnalytics('intro-statistics', 'items', {});
    await client.getAnalytics('a b', 'activity', {
      from: '2026-11-01',
      to: '2026-11-25',
      interval: 'month',
    });

    expect(fetch.mock.calls.map((call) => String(call[0]))).toEqual([
      '/api/analytics/courses/intro-statistics/items',
      '/api/analytics/courses/a%20b/activity?from=2026-11-01&to=2026-11-25&interval=month',
    ]);
  });

  it('passes a refused range on as the problem, its fields named', async () => {
    const problem = {
      type: 'urn:practica:problem:invalid-params',
      title: 'Invalid parameters',
      status: 400,
      errors: [{ field: 'from', message: 'must be on or before to' }],
    };
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      jsonResponse(problem, 400, 'application/problem+json'),
    );
    const client = createApiClient({ fetch });

    const error = await client
      .getAnalytics('c', 'funnel', { from: '2026-11-26', to: '2026-11-25' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem).toEqual(problem);
  });

  it("names a CSV file after the server's Content-Disposition, or the report and range", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(
      async (input) =>
        new Response('start,learners\r\n', {
          headers: String(input).includes('/items')
            ? {
                'Content-Type': 'text/csv',
                'Content-Disposition': 'attachment; filename=items.csv',
              }
            : { 'Content-Type': 'text/csv' },
        }),
    );
    const client = createApiClient({ fetch });

    const items = await client.downloadAnalyticsCsv('c', 'items', {});
    const activity = await client.downloadAnalyticsCsv('c', 'activity', {
      from: '2026-11-01',
      to: '2026-11-25',
      interval: 'week',
    });

    expect(items.filename).toBe('items.csv');
    expect(activity.filename).toBe('c-activity-week-2026-11-01-2026-11-25.csv');
    expect(activity.blob.type).toBe('text/csv');
    expect(String(fetch.mock.calls[1]?.[0])).toBe(
      '/api/analytics/courses/c/activity?format=csv&from=2026-11-01&to=2026-11-25&interval=week',
    );
  });
});
