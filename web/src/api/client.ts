// The typed client for Practica's HTTP API (see the contract in docs/ARCHITECTURE.md).
// Every network call of the web app goes through this module; pages never call fetch directly.

/** An RFC 9457 problem document, as every API error carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  request_id?: string;
  errors?: { field: string; message: string }[];
}

/** A page of a list endpoint: `next_cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface CourseSummary {
  slug: string;
  title: string;
  summary: string;
  language: string;
  tags: string[];
  lesson_count: number;
  exercise_count: number;
}

export interface LessonOutline {
  slug: string;
  title: string;
  exercise_count: number;
}

export interface Course {
  slug: string;
  title: string;
  summary: string;
  language: string;
  tags: string[];
  lessons: LessonOutline[];
}

export interface LessonLink {
  slug: string;
  title: string;
}

export interface Lesson {
  course: string;
  slug: string;
  title: string;
  /** Server-rendered HTML; each exercise sits at `<div class="exercise-slot" data-exercise-id="ID">`. */
  html: string;
  exercises: Exercise[];
  previous: LessonLink | null;
  next: LessonLink | null;
}

/** Text with inline HTML rendered by the server (options, items, matching sides). */
export interface RichItem {
  id: string;
  text_html: string;
}

interface ExerciseBase {
  id: string;
  prompt_html: string;
  hint_count: number;
  max_attempts: number | null;
}

export interface SingleChoiceExercise extends ExerciseBase {
  type: 'single_choice';
  options: RichItem[];
  shuffle: boolean;
}

export interface MultipleChoiceExercise extends ExerciseBase {
  type: 'multiple_choice';
  options: RichItem[];
  shuffle: boolean;
}

export interface TrueFalseExercise extends ExerciseBase {
  type: 'true_false';
}

export interface NumericExercise extends ExerciseBase {
  type: 'numeric';
}

export interface ShortTextExercise extends ExerciseBase {
  type: 'short_text';
}

export type ClozeGap =
  { type: 'numeric' } | { type: 'short_text' } | { type: 'choice'; options: string[] };

export interface ClozeExercise extends ExerciseBase {
  type: 'cloze';
  /** One entry per gap; the prompt marks gap n (1-based) as `{{n}}`. */
  gaps: ClozeGap[];
}

export interface OrderingExercise extends ExerciseBase {
  type: 'ordering';
  /** Already shuffled by the server. */
  items: RichItem[];
}

export interface MatchingExercise extends ExerciseBase {
  type: 'matching';
  left: RichItem[];
  right: RichItem[];
}

export interface FormulaExercise extends ExerciseBase {
  type: 'formula';
  variables: string[];
}

export type Exercise =
  | SingleChoiceExercise
  | MultipleChoiceExercise
  | TrueFalseExercise
  | NumericExercise
  | ShortTextExercise
  | ClozeExercise
  | OrderingExercise
  | MatchingExercise
  | FormulaExercise;

export type ExerciseType = Exercise['type'];

/** The shape of `answer` in `POST /api/exercises/{id}/attempts`, per exercise type. */
export interface AnswerByType {
  single_choice: string;
  multiple_choice: string[];
  true_false: boolean;
  numeric: number;
  short_text: string;
  cloze: string[];
  ordering: string[];
  matching: Record<string, string>;
  formula: string;
}

export type Answer = AnswerByType[ExerciseType];

/** Thrown for every failed call; `problem` is the server's problem document or one made up here. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

export interface ListCoursesOptions {
  limit?: number;
  cursor?: string;
}

export interface ApiClient {
  listCourses(options?: ListCoursesOptions, signal?: AbortSignal): Promise<Page<CourseSummary>>;
  getCourse(course: string, signal?: AbortSignal): Promise<Course>;
  getLesson(course: string, lesson: string, signal?: AbortSignal): Promise<Lesson>;
}

export interface ApiClientOptions {
  /** Prefix of every path, default '' (same origin as the page). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  // Looked up per call (not captured once) so tests can stub the global fetch after import.
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(baseUrl + path, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal,
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError({
        type: 'about:blank',
        title: 'Network error',
        status: 0,
        detail: 'The server could not be reached. Check your connection and try again.',
      });
    }
    if (!response.ok) throw new ApiError(await readProblem(response));
    try {
      return (await response.json()) as T;
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError({
        type: 'about:blank',
        title: 'Unreadable response',
        status: response.status,
        detail: 'The server answered with something that is not JSON.',
      });
    }
  }

  return {
    listCourses({ limit, cursor } = {}, signal) {
      const query = new URLSearchParams();
      if (limit !== undefined) query.set('limit', String(limit));
      if (cursor !== undefined) query.set('cursor', cursor);
      const qs = query.toString();
      return getJson<Page<CourseSummary>>(`/api/courses${qs ? `?${qs}` : ''}`, signal);
    },
    getCourse(course, signal) {
      return getJson<Course>(`/api/courses/${segment(course)}`, signal);
    },
    getLesson(course, lesson, signal) {
      return getJson<Lesson>(`/api/courses/${segment(course)}/lessons/${segment(lesson)}`, signal);
    },
  };
}

/** The client the app uses: same origin as the page. */
export const api: ApiClient = createApiClient();

function segment(value: string): string {
  return encodeURIComponent(value);
}

export function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}

/** Reads a problem+json body; any other body becomes a problem built from the status line. */
async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `Request failed (${response.status})`,
    status: response.status,
  };
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!/json/i.test(contentType)) return fallback;
  try {
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null) return fallback;
    const candidate = body as Partial<Problem>;
    return {
      ...fallback,
      ...candidate,
      title:
        typeof candidate.title === 'string' && candidate.title ? candidate.title : fallback.title,
      status: typeof candidate.status === 'number' ? candidate.status : fallback.status,
    };
  } catch {
    return fallback;
  }
}
