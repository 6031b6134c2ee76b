import { vi } from 'vitest';
import type { AuthoringApi, Draft, DraftLesson, ExerciseForm, TryResult } from '../api/authoring';
import { ApiError, type Problem } from '../api/client';

/** An exercise of the draft, as the authoring API answers it. */
export function exerciseForm(id: string, overrides: Partial<ExerciseForm> = {}): ExerciseForm {
  return {
    id,
    type: 'single_choice',
    prompt: `Question ${id}?`,
    options: [
      { id: 'a', text: 'Yes', correct: true },
      { id: 'b', text: 'No' },
    ],
    ...overrides,
  };
}

export function draftLesson(slug: string, title: string, exercises: string[] = []): DraftLesson {
  return {
    slug,
    title,
    blocks: [{ markdown: `Text of ${title}.\n` }, ...exercises.map((exercise) => ({ exercise }))],
    exercises: exercises.map((id) => exerciseForm(id)),
  };
}

/** A draft of course "algebra": lessons "powers" (p1, p2) and "roots" (r1) by default. */
export function draft(overrides: Partial<Draft> = {}): Draft {
  return {
    slug: 'algebra',
    title: 'Algebra',
    owners: ['usr_instructor1'],
    revision: 7,
    latest_version: null,
    live_version: null,
    status: 'draft',
    unpublished_changes: true,
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-02T10:00:00Z',
    summary: 'Letters for numbers.',
    language: 'en',
    tags: ['maths'],
    lessons: [draftLesson('powers', 'Powers', ['p1', 'p2']), draftLesson('roots', 'Roots', ['r1'])],
    ...overrides,
  };
}

export function tryResult(overrides: Partial<TryResult> = {}): TryResult {
  return {
    exercise: 'p1',
    score: 1,
    correct: true,
    graded: true,
    feedback_html: '',
    parts: [],
    explanation_html: '',
    ...overrides,
  };
}

/** The API's refusal of a change made on an old revision. */
export function staleDraft(): ApiError {
  return new ApiError({
    type: 'urn:practica:problem:stale-revision',
    title: 'Precondition Failed',
    status: 412,
    detail: 'The draft changed since you read it.',
  });
}

export function invalid(detail: string, errors: Problem['errors']): ApiError {
  return new ApiError({
    type: 'urn:practica:problem:bad-request',
    title: 'Bad Request',
    status: 400,
    detail,
    errors,
  });
}

/** Every method of the authoring API as a mock that fails unless a test gives it an answer. */
export function fakeAuthoringApi(overrides: Partial<AuthoringApi> = {}) {
  const unexpected = (name: string) =>
    vi.fn(async () => {
      throw new Error(`unexpected call to ${name}`);
    });
  const names: (keyof AuthoringApi)[] = [
    'listCourses',
    'createCourse',
    'getDraft',
    'updateCourse',
    'addLesson',
    'updateLesson',
    'deleteLesson',
    'reorderLessons',
    'addExercise',
    'getExercise',
    'updateExercise',
    'deleteExercise',
    'moveExercise',
    'tryExercise',
    'publish',
    'unpublish',
    'listVersions',
    'rollback',
    'preview',
    'downloadBundle',
    'uploadBundle',
    'downloadGift',
    'uploadGift',
  ];
  const api = Object.fromEntries(names.map((name) => [name, unexpected(name)])) as unknown as {
    [K in keyof AuthoringApi]: ReturnType<typeof vi.fn<AuthoringApi[K]>>;
  };
  for (const [name, implementation] of Object.entries(overrides)) {
    (api as Record<string, unknown>)[name] = vi.fn(implementation as never);
  }
  return api;
}
