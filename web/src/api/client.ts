// The typed client for Practica's HTTP API (see the contract in docs/ARCHITECTURE.md).
// Every network call of the web app goes through this module; pages never call fetch directly.

import type {
  AnalyticsApi,
  AnalyticsQuery,
  AnalyticsReportName,
  AnalyticsReports,
} from './analytics';

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
  /** Names the exercise across the platform ("everyday-data.mean-basic"): the attempt, hint and
   * review routes take it. */
  ref: string;
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

/** An open answer in the learner's own words: stored, never marked by the platform. */
export interface EssayExercise extends ExerciseBase {
  type: 'essay';
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
  | FormulaExercise
  | EssayExercise;

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
  essay: string;
}

export type Answer = AnswerByType[ExerciseType];

// ---- Grading, progress and reviews ----------------------------------------------------------------

/** What the learner learns about one part of an answer. */
export interface AttemptPart {
  /** An option id ("a"), a gap ("gap 1"), a matching left id, an ordering item id, or "". */
  part: string;
  /** In [0, 1]. */
  score: number;
  correct: boolean;
  feedback_html: string;
}

/** The learner's standing on one exercise after an attempt, and their totals. */
export interface AttemptProgress {
  attempts: number;
  best_score: number;
  solved: boolean;
  hints_used: number;
  /** The learner's total XP. */
  xp: number;
  /** Days in a row with activity. */
  streak: number;
}

/** The answer to `POST /api/exercises/{ref}/attempts` (201). */
export interface AttemptResult {
  attempt_id: string;
  /** 1-based. */
  attempt_number: number;
  /** In [0, 1], after the retry penalty. */
  score: number;
  /** In [0, 1], before the retry penalty. */
  raw_score: number;
  correct: boolean;
  /** False for an answer kept without marking (an essay): score 0, not correct, counted as done. */
  graded: boolean;
  feedback_html: string;
  parts: AttemptPart[];
  /** Only once due: after a correct answer, the last allowed try, or an essay. */
  explanation_html?: string;
  /** Null when the exercise allows any number of tries. */
  attempts_left: number | null;
  progress: AttemptProgress;
}

/** The answer to `POST /api/exercises/{ref}/hints`. */
export interface Hint {
  hint_html: string;
  /** 1-based. */
  hint_number: number;
  hints_left: number;
}

/** One course in `GET /api/me/progress`. */
export interface CourseProgressSummary {
  course: string;
  title: string;
  /** In [0, 1]: the share of the course's exercises solved. */
  completion: number;
  /** In [0, 1]. */
  score: number;
  xp: number;
}

export interface ProgressOverview {
  items: CourseProgressSummary[];
  xp: number;
  streak: number;
}

export interface ExerciseProgress {
  exercise_id: string;
  /** The lesson slug, when the server says (per-lesson counts need it). */
  lesson?: string;
  attempts: number;
  best_score: number;
  solved: boolean;
  /** Hints revealed so far, when the server says. */
  hints_used?: number;
}

/** `GET /api/me/progress/{course}`. */
export interface CourseProgress {
  course: string;
  completion: number;
  score: number;
  xp: number;
  streak: number;
  exercises: ExerciseProgress[];
}

/** A due review card: an exercise seen before, shown again. */
export interface ReviewCard {
  ref: string;
  course: string;
  lesson: string;
  /** ISO 8601. */
  due: string;
  exercise: Exercise;
}

export type ReviewRating = 'again' | 'hard' | 'good' | 'easy';

export interface ReviewOutcome {
  /** ISO 8601: when the card is due next. */
  due: string;
  interval_days: number;
}

// ---- Accounts -----------------------------------------------------------------------------------

export type Role = 'learner' | 'instructor' | 'admin';

export interface User {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  /** An IANA time zone name, such as "Europe/Paris". */
  time_zone: string;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601, or null before the first log-in. */
  last_login_at: string | null;
  mfa_enabled: boolean;
  /** Present in the admin's user lists. */
  disabled?: boolean;
}

/** What sign-up, log-in and refresh answer; the refresh token itself comes only as a cookie. */
export interface AuthResult {
  user: User;
  access_token: string;
  /** Seconds until the access token expires. */
  expires_in: number;
}

export interface SignupRequest {
  email: string;
  password: string;
  display_name: string;
  time_zone?: string;
}

export interface LoginRequest {
  email: string;
  password: string;
  /** A 6-digit code from an authenticator app, or a recovery code such as "k3x9-m2p7-q8r4". */
  otp?: string;
}

export interface ProfileChanges {
  display_name?: string;
  time_zone?: string;
}

export interface TotpEnrollment {
  /** Base32, for typing into an authenticator app by hand. */
  secret: string;
  /** otpauth://totp/…, for the QR code. */
  otpauth_uri: string;
}

export interface UserChanges {
  role?: Role;
  disabled?: boolean;
}

export interface ListUsersOptions {
  /** Matches names and emails. */
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Problem types that clients act on (others are shown as they come). */
export const kProblemTypes = {
  /** Log-in: the account has two-factor authentication; send the code as `otp`. */
  mfaRequired: 'urn:practica:problem:mfa-required',
  /** Instructors and admins must set up two-factor authentication before their routes open. */
  mfaEnrollmentRequired: 'urn:practica:problem:mfa-enrollment-required',
  /** An attempt on an exercise that has no tries left (409). */
  attemptsExhausted: 'urn:practica:problem:attempts-exhausted',
  /** A request with this Idempotency-Key is still being processed (409): retry it later. */
  idempotencyKeyInFlight: 'urn:practica:problem:idempotency-key-in-flight',
  /** The Idempotency-Key was used before with another request body (422). */
  idempotencyKeyReused: 'urn:practica:problem:idempotency-key-reused',
} as const;

/** Why a session ended, for telling the user; absent when there simply was none. */
export type SignOutReason = 'logged-out' | 'expired' | 'deleted';

export type SessionState =
  | { status: 'unknown' } // the app has just started and asked the server whether it is signed in
  | { status: 'signed-out'; reason?: SignOutReason }
  | { status: 'signed-in'; user: User };

/** The signed-in state, observable (for React's useSyncExternalStore). */
export interface Session {
  get(): SessionState;
  subscribe(listener: () => void): () => void;
}

// ---- Errors -------------------------------------------------------------------------------------

/** Thrown for every failed call; `problem` is the server's problem document or one made up here. */
export class ApiError extends Error {
  readonly problem: Problem;
  /** From a 429's Retry-After header: seconds to wait before trying again. */
  readonly retryAfterSeconds: number | null;

  constructor(problem: Problem, retryAfterSeconds: number | null = null) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get status(): number {
    return this.problem.status;
  }
}

// ---- The client ---------------------------------------------------------------------------------

export interface PageOptions {
  limit?: number;
  cursor?: string;
}

export interface CatalogApi {
  listCourses(options?: PageOptions, signal?: AbortSignal): Promise<Page<CourseSummary>>;
  getCourse(course: string, signal?: AbortSignal): Promise<Course>;
  getLesson(course: string, lesson: string, signal?: AbortSignal): Promise<Lesson>;
}

export interface AuthApi {
  readonly session: Session;
  /**
   * Asks the server, once per client, whether the refresh cookie still holds a session; later
   * calls share the first one's answer. Never rejects: failing to restore means signed out.
   */
  restoreSession(): Promise<void>;
  signup(request: SignupRequest): Promise<User>;
  /** Rejects with problem type kProblemTypes.mfaRequired when the account needs `otp`. */
  login(request: LoginRequest): Promise<User>;
  /** Signs out here even when the server cannot be reached. */
  logout(): Promise<void>;
}

export interface AccountApi {
  getMe(signal?: AbortSignal): Promise<User>;
  updateMe(changes: ProfileChanges): Promise<User>;
  /** Signs out the account's other sessions; this one stays. */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  startTotp(): Promise<TotpEnrollment>;
  /** Turns two-factor authentication on; resolves with the recovery codes, shown only this once. */
  confirmTotp(code: string): Promise<string[]>;
  /** Learners only: instructors and admins must keep two-factor authentication (403). */
  disableTotp(password: string): Promise<void>;
  /** Everything the server keeps about the user, as a JSON file's contents. */
  exportMyData(): Promise<Blob>;
  /** Deletes the account and its data, then signs out. */
  deleteMe(password: string): Promise<void>;
}

export interface AdminApi {
  listUsers(options?: ListUsersOptions, signal?: AbortSignal): Promise<Page<User>>;
  updateUser(id: string, changes: UserChanges): Promise<User>;
}

export interface LearningApi {
  /**
   * Grades an answer. `idempotencyKey` is new for each submission, and the same when the same
   * submission is sent again after a failure, so the server records it once.
   */
  /** `timeTakenMs`: from showing the exercise to checking it, for the instructors' analytics. */
  submitAttempt(
    ref: string,
    answer: Answer,
    idempotencyKey: string,
    timeTakenMs?: number,
  ): Promise<AttemptResult>;
  /** Reveals the exercise's next hint (409 when none is left); the server counts its use. */
  takeHint(ref: string): Promise<Hint>;
  getProgress(signal?: AbortSignal): Promise<ProgressOverview>;
  getCourseProgress(course: string, signal?: AbortSignal): Promise<CourseProgress>;
  listReviews(options?: PageOptions, signal?: AbortSignal): Promise<Page<ReviewCard>>;
  rateReview(ref: string, rating: ReviewRating): Promise<ReviewOutcome>;
}

/**
 * Requests by path, for API areas whose typed methods live in their own module so that pages
 * loaded on demand carry them (api/authoring.ts): the session, the refresh-and-retry and the
 * problem documents still come from here.
 */
export interface TransportApi {
  /** Sends a request and resolves with its JSON body; rejects with ApiError as every call. */
  requestJson<T>(path: string, request?: TransportRequest): Promise<T>;
  /** Sends a request and resolves with its body as a file (a download). */
  requestFile(path: string, request?: TransportRequest): Promise<SavedFile>;
}

export interface TransportRequest {
  method?: Method;
  /** Sent as JSON, or as it is when a Blob (with the Blob's type as Content-Type). */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A response body to save: the file name is the server's (Content-Disposition) when it says. */
export interface SavedFile {
  blob: Blob;
  filename: string | null;
}

export interface ApiClient
  extends CatalogApi, AuthApi, AccountApi, AdminApi, LearningApi, AnalyticsApi, TransportApi {}

export interface ApiClientOptions {
  /** Prefix of every path, default '' (same origin as the page). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /**
   * Serialises refreshes across the tabs of this origin: a refresh token is single-use, and
   * presenting a used one ends the session everywhere. Default: navigator.locks where the browser
   * has it; null: refreshes are serialised within this client only.
   */
  locks?: Pick<LockManager, 'request'> | null;
}

/** Refresh the access token this long before it expires. */
const kRefreshLeadSeconds = 60;
/** After a refresh that failed for want of a network or a working server, try again after this. */
const kRefreshRetrySeconds = 30;
const kRefreshLockName = 'practica-refresh';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  method?: Method;
  /** Sent as JSON, or as it is when a Blob. */
  body?: unknown;
  signal?: AbortSignal;
  /**
   * False for /api/auth/*, which rely on the refresh cookie: no Authorization header, and no
   * refresh-and-retry after a 401 (a 401 there is the answer, not an expired token).
   */
  authenticated?: boolean;
  /** Extra request headers (Idempotency-Key). */
  headers?: Record<string, string>;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  // Looked up per call (not captured once) so tests can stub the global fetch after import.
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);
  const locks = options.locks !== undefined ? options.locks : (globalThis.navigator?.locks ?? null);

  // The access token lives in this closure only: never in storage, where any script could read
  // it. A reload loses it, and restoreSession gets a new one with the HttpOnly refresh cookie.
  let accessToken: string | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<boolean> | null = null;
  let restoring: Promise<void> | null = null;
  // Counts sign-ins and sign-outs, so a refresh that a log-in or log-out overtook is ignored.
  let epoch = 0;

  let state: SessionState = { status: 'unknown' };
  const listeners = new Set<() => void>();
  const session: Session = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  function setState(next: SessionState): void {
    state = next;
    for (const listener of listeners) listener();
  }
  function setUser(user: User): void {
    if (state.status === 'signed-in') setState({ status: 'signed-in', user });
  }

  function setToken(token: string, expiresIn: number): void {
    accessToken = token;
    // Ahead of expiry by a minute, or by half the lifetime when that is shorter.
    const lead = Math.min(kRefreshLeadSeconds, expiresIn / 2);
    scheduleRefresh(expiresIn - lead);
  }

  function scheduleRefresh(seconds: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), Math.max(0, seconds) * 1000);
  }

  function signIn(result: AuthResult): User {
    epoch++;
    setToken(result.access_token, result.expires_in);
    setState({ status: 'signed-in', user: result.user });
    return result.user;
  }

  function signOut(reason?: SignOutReason): void {
    epoch++;
    accessToken = null;
    clearTimeout(refreshTimer);
    setState(reason ? { status: 'signed-out', reason } : { status: 'signed-out' });
  }

  /**
   * Swaps the refresh cookie for a new access token. One refresh at a time: concurrent callers
   * share the one in flight, and other tabs wait for the lock. Resolves true when signed in.
   */
  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    const settled = locks
      ? // Declared as Promise<Promise<boolean>>; the lock resolves with the settled value.
        locks.request(kRefreshLockName, postRefresh).then((signedIn) => signedIn)
      : postRefresh();
    const current = settled.finally(() => {
      if (refreshing === current) refreshing = null;
    });
    refreshing = current;
    return current;
  }

  async function postRefresh(): Promise<boolean> {
    const startedAt = epoch;
    try {
      const result = await json<AuthResult>('/api/auth/refresh', {
        method: 'POST',
        body: {},
        authenticated: false,
      });
      if (epoch !== startedAt) return accessToken !== null;
      signIn(result);
      return true;
    } catch (error) {
      if (epoch !== startedAt) return accessToken !== null;
      if (state.status !== 'signed-in') {
        signOut();
      } else if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        signOut('expired');
      } else {
        // The network or the server failed: the token may still be good for a while.
        scheduleRefresh(kRefreshRetrySeconds);
      }
      return false;
    }
  }

  async function send(path: string, request: RequestOptions, retried = false): Promise<Response> {
    const authenticated = request.authenticated ?? true;
    const token = authenticated ? accessToken : null;
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    const raw = request.body instanceof Blob ? request.body : null;
    if (raw) headers['Content-Type'] = raw.type || 'application/octet-stream';
    else if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(baseUrl + path, {
        method: request.method ?? 'GET',
        headers,
        body: raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
        credentials: 'same-origin',
        signal: request.signal,
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
    if (response.status === 401 && token !== null && !retried) {
      // The token expired (a sleeping laptop skips timers), or was replaced meanwhile: get a
      // fresh one, unless another call already did, and try once more.
      const current = accessToken !== null && accessToken !== token ? true : await refresh();
      if (current && !request.signal?.aborted) return send(path, request, true);
    }
    if (!response.ok) throw new ApiError(await readProblem(response), retryAfter(response));
    return response;
  }

  async function json<T>(path: string, request: RequestOptions = {}): Promise<T> {
    const response = await send(path, request);
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

  async function noContent(path: string, request: RequestOptions): Promise<void> {
    await send(path, request);
  }

  return {
    listCourses({ limit, cursor } = {}, signal) {
      return json<Page<CourseSummary>>(`/api/courses${query({ limit, cursor })}`, { signal });
    },
    getCourse(course, signal) {
      return json<Course>(`/api/courses/${segment(course)}`, { signal });
    },
    getLesson(course, lesson, signal) {
      return json<Lesson>(`/api/courses/${segment(course)}/lessons/${segment(lesson)}`, {
        signal,
      });
    },

    session,
    restoreSession() {
      restoring ??= refresh().then(() => undefined);
      return restoring;
    },
    async signup(request) {
      return signIn(
        await json<AuthResult>('/api/auth/signup', {
          method: 'POST',
          body: request,
          authenticated: false,
        }),
      );
    },
    async login(request) {
      return signIn(
        await json<AuthResult>('/api/auth/login', {
          method: 'POST',
          body: request,
          authenticated: false,
        }),
      );
    },
    async logout() {
      try {
        await noContent('/api/auth/logout', { method: 'POST', body: {}, authenticated: false });
      } finally {
        signOut('logged-out');
      }
    },

    async getMe(signal) {
      const user = await json<User>('/api/me', { signal });
      setUser(user);
      return user;
    },
    async updateMe(changes) {
      const user = await json<User>('/api/me', { method: 'PATCH', body: changes });
      setUser(user);
      return user;
    },
    changePassword(currentPassword, newPassword) {
      return noContent('/api/me/password', {
        method: 'POST',
        body: { current_password: currentPassword, new_password: newPassword },
      });
    },
    startTotp() {
      return json<TotpEnrollment>('/api/me/mfa/totp', { method: 'POST', body: {} });
    },
    async confirmTotp(code) {
      const result = await json<{
        recovery_codes: string[];
        access_token: string;
        expires_in: number;
      }>('/api/me/mfa/totp/confirm', { method: 'POST', body: { code } });
      // The new token says this session passed a second factor.
      setToken(result.access_token, result.expires_in);
      if (state.status === 'signed-in') setUser({ ...state.user, mfa_enabled: true });
      return result.recovery_codes;
    },
    async disableTotp(password) {
      await noContent('/api/me/mfa/totp', { method: 'DELETE', body: { password } });
      if (state.status === 'signed-in') setUser({ ...state.user, mfa_enabled: false });
    },
    async exportMyData() {
      const response = await send('/api/me/export', {});
      return new Blob([await response.text()], { type: 'application/json' });
    },
    async deleteMe(password) {
      await noContent('/api/me', { method: 'DELETE', body: { password } });
      signOut('deleted');
    },

    listUsers({ q, limit, cursor } = {}, signal) {
      return json<Page<User>>(`/api/admin/users${query({ q, limit, cursor })}`, { signal });
    },
    async updateUser(id, changes) {
      const user = await json<User>(`/api/admin/users/${segment(id)}`, {
        method: 'PATCH',
        body: changes,
      });
      if (state.status === 'signed-in' && state.user.id === user.id) {
        setUser({ ...state.user, ...user });
      }
      return user;
    },

    submitAttempt(ref, answer, idempotencyKey, timeTakenMs) {
      return json<AttemptResult>(`/api/exercises/${segment(ref)}/attempts`, {
        method: 'POST',
        body: timeTakenMs === undefined ? { answer } : { answer, time_taken_ms: timeTakenMs },
        headers: { 'Idempotency-Key': idempotencyKey },
      });
    },
    takeHint(ref) {
      return json<Hint>(`/api/exercises/${segment(ref)}/hints`, { method: 'POST', body: {} });
    },
    getProgress(signal) {
      return json<ProgressOverview>('/api/me/progress', { signal });
    },
    getCourseProgress(course, signal) {
      return json<CourseProgress>(`/api/me/progress/${segment(course)}`, { signal });
    },
    listReviews({ limit, cursor } = {}, signal) {
      return json<Page<ReviewCard>>(`/api/me/reviews${query({ limit, cursor })}`, { signal });
    },
    rateReview(ref, rating) {
      return json<ReviewOutcome>(`/api/me/reviews/${segment(ref)}`, {
        method: 'POST',
        body: { rating },
      });
    },

    getAnalytics<R extends AnalyticsReportName>(
      course: string,
      report: R,
      { from, to, interval }: AnalyticsQuery,
      signal?: AbortSignal,
    ) {
      return json<AnalyticsReports[R]>(
        `/api/analytics/courses/${segment(course)}/${report}${query({ from, to, interval })}`,
        { signal },
      );
    },
    async downloadAnalyticsCsv(course, report, { from, to, interval }) {
      const response = await send(
        `/api/analytics/courses/${segment(course)}/${report}${query({ format: 'csv', from, to, interval })}`,
        { headers: { Accept: 'text/csv' } },
      );
      const name = [course, report, interval, from, to].filter(Boolean).join('-');
      return {
        blob: new Blob([await response.text()], { type: 'text/csv' }),
        filename: attachmentName(response) ?? `${name}.csv`,
      };
    },

    requestJson<T>(path: string, request: TransportRequest = {}) {
      return json<T>(path, request);
    },
    async requestFile(path, request = {}) {
      const response = await send(path, {
        ...request,
        headers: { Accept: '*/*', ...request.headers },
      });
      return { blob: await response.blob(), filename: attachmentName(response) };
    },
  };
}

/** The client the app uses: same origin as the page. */
export const api: ApiClient = createApiClient();

function segment(value: string): string {
  return encodeURIComponent(value);
}

/** "?a=1&b=x" from the defined, non-empty values, or "" when there are none. */
function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The file name a Content-Disposition header suggests (`filename="x.csv"`), or null. */
function attachmentName(response: Response): string | null {
  const header = response.headers.get('Content-Disposition') ?? '';
  const name = header.match(/filename="([^"]*)"|filename=([^;\s]+)/i);
  const value = (name?.[1] ?? name?.[2] ?? '').replace(/[/\\]/g, '').trim();
  return value === '' ? null : value;
}

/** Retry-After in seconds (RFC 9110 allows seconds or an HTTP date), or null. */
function retryAfter(response: Response): number | null {
  const value = response.headers.get('Retry-After');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
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
