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
