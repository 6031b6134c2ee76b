import { vi } from 'vitest';
import { createApiClient, type AttemptResult, type ReviewCard } from '../api/client';
import { authResult, jsonResponse, kLearner } from './accounts';
import { kExercises } from './fixtures';

/** A graded attempt as the API returns it; a wrong answer unless overridden. */
export function attemptResult(overrides: Partial<AttemptResult> = {}): AttemptResult {
  return {
    attempt_id: 'att_1',
    attempt_number: 1,
    score: 0,
    raw_score: 0,
    correct: false,
    graded: true,
    feedback_html: '',
    parts: [],
    attempts_left: null,
    progress: { attempts: 1, best_score: 0, solved: false, hints_used: 0, xp: 0, streak: 1 },
    ...overrides,
  };
}

export const kReviewCards: ReviewCard[] = [
  {
    ref: kExercises.numeric.ref,
    course: 'intro-statistics',
    lesson: 'averages',
    due: '2026-03-05T08:00:00Z',
    exercise: kExercises.numeric,
  },
  {
    ref: kExercises.trueFalse.ref,
    course: 'intro-statistics',
    lesson: 'averages',
    due: '2026-03-05T09:00:00Z',
    exercise: kExercises.trueFalse,
  },
];

type Route = (path: string, init: RequestInit | undefined) => Response | Promise<Response>;

/**
 * A real client over a stubbed fetch, signed in as kLearner (the refresh answers); every other
 * request goes to `route`.
 */
export async function signedInClient(route: Route) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const path = String(input);
    if (path === '/api/auth/refresh') return jsonResponse(authResult(kLearner));
    return route(path, init);
  });
  const client = createApiClient({ fetch, locks: null });
  await client.restoreSession();
  return { client, fetch };
}

/** The calls `fetch` got for paths containing `part`, with their headers and parsed bodies. */
export function callsTo(fetch: ReturnType<typeof vi.fn<typeof globalThis.fetch>>, part: string) {
  return fetch.mock.calls
    .filter(([input]) => String(input).includes(part))
    .map(([input, init]) => ({
      path: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined,
    }));
}
