// The authoring API, /api/authoring/… (instructors on their own courses, admins on every course,
// both with a second factor): drafts, lessons, exercises, versions, bundles and GIFT banks. Its methods live
// here rather than in client.ts so that only the authoring pages' chunk carries them; every call
// still goes through the client's session (TransportApi). Shapes: src/api/authoring_api.h.

import type { Answer, Exercise, Page, Problem, SavedFile, TransportApi } from './client';

/** The draft's revision, as its ETag ("3") is built from it; sent back as If-Match. */
export type Revision = number;

export type CourseStatus = 'draft' | 'published' | 'unpublished';

/** A course as authoring records it (listings, and the head of a draft). */
export interface AuthoredCourse {
  slug: string;
  title: string;
  /** User ids. */
  owners: string[];
  /** Null for a course published before authoring existed that no admin has opened yet. */
  revision: Revision | null;
  latest_version: number | null;
  /** The version learners see; null while nothing is published. */
  live_version: number | null;
  status: CourseStatus;
  /** The draft differs from the newest version. */
  unpublished_changes: boolean;
  created_at: string | null;
  updated_at: string | null;
  /** In listings: false for a course authoring has not taken in yet (an admin's visit does). */
  adopted?: boolean;
}

/** A lesson's body: Markdown, and where each of its exercises sits (each exactly once). */
export type LessonBlock = { markdown: string } | { exercise: string };

/**
 * An exercise as its bundle block's fields (docs/CONTENT.md) in JSON, answer key included. The
 * editor reads the fields it knows (exerciseForm.ts) and keeps the others as they came.
 */
export interface ExerciseForm {
  id: string;
  type: Exercise['type'];
  prompt: string;
  [field: string]: unknown;
}

export interface DraftLesson {
  slug: string;
  title: string;
  blocks: LessonBlock[];
  /** In the order the blocks place them. */
  exercises: ExerciseForm[];
}

/** The course's fields an author sets. */
export interface CourseFields {
  title: string;
  summary: string;
  language: string;
  tags: string[];
}

export interface Draft extends AuthoredCourse, CourseFields {
  revision: Revision;
  lessons: DraftLesson[];
}

export interface NewCourse extends Partial<CourseFields> {
  slug: string;
  title: string;
}

export interface NewLesson {
  slug: string;
  title: string;
  markdown?: string;
  /** 0-based; the end by default. */
  position?: number;
}

/** GET …/exercises/{id}: the form, how learners see it, and its fingerprint. */
export interface DraftExercise {
  lesson: string;
  exercise: ExerciseForm;
  view: Exercise;
  fingerprint: string;
}

/** POST …/exercises/{id}/try: graded as a learner's attempt would be, and stored nowhere. */
export interface TryResult {
  exercise: string;
  /** In [0, 1]. */
  score: number;
  correct: boolean;
  graded: boolean;
  feedback_html: string;
  parts: { part: string; score: number; correct: boolean; feedback_html: string }[];
  explanation_html: string;
}

export interface CourseVersion {
  version: number;
  /** A user id; null for an import. */
  published_by: string | null;
  published_at: string;
  source: 'publish' | 'rollback' | 'import' | 'adopt';
  draft_revision: number;
  title: string;
  lesson_count: number;
  exercise_count: number;
  live: boolean;
}

export interface Published {
  /** The version now live. */
  version: number;
  course: AuthoredCourse;
  rolled_back_to?: number;
}

/**
 * PUT …/gift's answer: the new draft, and when the file had notes (what is not kept, such as a
 * `style` attribute) or skipped questions, each described with its line ("algebra.gift:12: note:
 * …").
 */
export interface GiftUpload extends Draft {
  gift_problems?: string[];
}

/** The most a GIFT upload may be (the server answers 413 beyond). */
export const kMaxGiftBytes = 8 * 1024 * 1024;

/** A change refused because the draft moved on since it was read (412, or 409 without If-Match). */
export const kStaleRevision = 'urn:practica:problem:stale-revision';

export function isStaleDraft(problem: Problem): boolean {
  return problem.status === 412 || problem.type === kStaleRevision;
}

export interface AuthoringApi {
  listCourses(cursor?: string, signal?: AbortSignal): Promise<Page<AuthoredCourse>>;
  createCourse(course: NewCourse): Promise<Draft>;
  getDraft(course: string, signal?: AbortSignal): Promise<Draft>;
  updateCourse(course: string, revision: Revision, fields: Partial<CourseFields>): Promise<Draft>;
  addLesson(course: string, revision: Revision, lesson: NewLesson): Promise<Draft>;
  updateLesson(
    course: string,
    revision: Revision,
    lesson: string,
    changes: { title?: string; blocks?: LessonBlock[] },
  ): Promise<Draft>;
  deleteLesson(course: string, revision: Revision, lesson: string): Promise<Draft>;
  reorderLessons(course: string, revision: Revision, lessons: string[]): Promise<Draft>;
  addExercise(
    course: string,
    revision: Revision,
    lesson: string,
    exercise: ExerciseForm,
  ): Promise<Draft>;
  getExercise(course: string, exercise: string, signal?: AbortSignal): Promise<DraftExercise>;
  updateExercise(course: string, revision: Revision, exercise: ExerciseForm): Promise<Draft>;
  deleteExercise(course: string, revision: Revision, exercise: string): Promise<Draft>;
  /** Before the exercise at `position` of `lesson` (counted without the moved one). */
  moveExercise(
    course: string,
    revision: Revision,
    exercise: string,
    lesson: string,
    position: number,
  ): Promise<Draft>;
  tryExercise(course: string, exercise: string, answer: Answer): Promise<TryResult>;
  publish(course: string, revision: Revision): Promise<Published>;
  unpublish(course: string): Promise<{ course: AuthoredCourse }>;
  listVersions(course: string, signal?: AbortSignal): Promise<Page<CourseVersion>>;
  rollback(course: string, revision: Revision, version: number): Promise<Published>;
  /** Markdown as learners will get it (maths left for KaTeX); `inline`: without a paragraph. */
  preview(markdown: string, inline?: boolean, signal?: AbortSignal): Promise<string>;
  downloadBundle(course: string): Promise<SavedFile>;
  uploadBundle(course: string, revision: Revision, zip: Blob): Promise<Draft>;
  /**
   * The draft as a Moodle GIFT question bank (text/plain, named "<course>.gift"). What GIFT
   * cannot hold refuses it (400, an `errors` entry `{field: "exercise ID", message}` each) unless
   * `skipUnsupported`, which leaves it out.
   */
  downloadGift(course: string, skipUnsupported?: boolean): Promise<SavedFile>;
  /**
   * A GIFT file's questions in place of the draft's lessons (a lesson per $CATEGORY; the course's
   * details stay). Every problem is a 400 `errors` entry `{field: "<course>.gift:LINE", message}`
   * and nothing changes, unless `skipUnsupported` leaves out what Practica cannot represent.
   */
  uploadGift(
    course: string,
    revision: Revision,
    gift: Blob | string,
    skipUnsupported?: boolean,
  ): Promise<GiftUpload>;
}

export function createAuthoringApi(transport: TransportApi): AuthoringApi {
  const json = transport.requestJson.bind(transport);
  const ifMatch = (revision: Revision) => ({ 'If-Match': `"${revision}"` });
  const courses = '/api/authoring/courses';
  const course = (slug: string) => `${courses}/${encodeURIComponent(slug)}`;
  const exercisePath = (slug: string, id: string) =>
    `${course(slug)}/exercises/${encodeURIComponent(id)}`;
  const giftPath = (slug: string, skipUnsupported: boolean) =>
    `${course(slug)}/gift${skipUnsupported ? '?skip_unsupported=true' : ''}`;

  return {
    listCourses(cursor, signal) {
      const query = cursor ? `?${new URLSearchParams({ cursor })}` : '';
      return json<Page<AuthoredCourse>>(`${courses}${query}`, { signal });
    },
    createCourse(fields) {
      return json<Draft>(courses, { method: 'POST', body: fields });
    },
    getDraft(slug, signal) {
      return json<Draft>(course(slug), { signal });
    },
    updateCourse(slug, revision, fields) {
      return json<Draft>(course(slug), {
        method: 'PATCH',
        body: fields,
        headers: ifMatch(revision),
      });
    },
    addLesson(slug, revision, lesson) {
      return json<Draft>(`${course(slug)}/lessons`, {
        method: 'POST',
        body: lesson,
        headers: ifMatch(revision),
      });
    },
    updateLesson(slug, revision, lesson, changes) {
      return json<Draft>(`${course(slug)}/lessons/${encodeURIComponent(lesson)}`, {
        method: 'PATCH',
        body: changes,
        headers: ifMatch(revision),
      });
    },
    deleteLesson(slug, revision, lesson) {
      return json<Draft>(`${course(slug)}/lessons/${encodeURIComponent(lesson)}`, {
        method: 'DELETE',
        headers: ifMatch(revision),
      });
    },
    reorderLessons(slug, revision, lessons) {
      return json<Draft>(`${course(slug)}/lesson-order`, {
        method: 'PUT',
        body: { lessons },
        headers: ifMatch(revision),
      });
    },
    addExercise(slug, revision, lesson, exercise) {
      return json<Draft>(`${course(slug)}/lessons/${encodeURIComponent(lesson)}/exercises`, {
        method: 'POST',
        body: { exercise },
        headers: ifMatch(revision),
      });
    },
    getExercise(slug, id, signal) {
      return json<DraftExercise>(exercisePath(slug, id), { signal });
    },
    updateExercise(slug, revision, exercise) {
      return json<Draft>(exercisePath(slug, exercise.id), {
        method: 'PUT',
        body: { exercise },
        headers: ifMatch(revision),
      });
    },
    deleteExercise(slug, revision, id) {
      return json<Draft>(exercisePath(slug, id), {
        method: 'DELETE',
        headers: ifMatch(revision),
      });
    },
    moveExercise(slug, revision, id, lesson, position) {
      return json<Draft>(`${exercisePath(slug, id)}/move`, {
        method: 'POST',
        body: { lesson, position },
        headers: ifMatch(revision),
      });
    },
    tryExercise(slug, id, answer) {
      return json<TryResult>(`${exercisePath(slug, id)}/try`, {
        method: 'POST',
        body: { answer },
      });
    },
    publish(slug, revision) {
      return json<Published>(`${course(slug)}/publish`, {
        method: 'POST',
        body: {},
        headers: ifMatch(revision),
      });
    },
    unpublish(slug) {
      return json<{ course: AuthoredCourse }>(`${course(slug)}/unpublish`, {
        method: 'POST',
        body: {},
      });
    },
    listVersions(slug, signal) {
      return json<Page<CourseVersion>>(`${course(slug)}/versions`, { signal });
    },
    rollback(slug, revision, version) {
      return json<Published>(`${course(slug)}/versions/${version}/rollback`, {
        method: 'POST',
        body: {},
        headers: ifMatch(revision),
      });
    },
    async preview(markdown, inline = false, signal) {
      const body = inline ? { markdown, inline } : { markdown };
      return (
        await json<{ html: string }>('/api/authoring/preview', { method: 'POST', body, signal })
      ).html;
    },
    downloadBundle(slug) {
      return transport.requestFile(`${course(slug)}/bundle`, {
        headers: { Accept: 'application/zip' },
      });
    },
    uploadBundle(slug, revision, zip) {
      const body =
        zip.type === 'application/zip' ? zip : new Blob([zip], { type: 'application/zip' });
      return json<Draft>(`${course(slug)}/bundle`, {
        method: 'PUT',
        body,
        headers: ifMatch(revision),
      });
    },
    downloadGift(slug, skipUnsupported = false) {
      return transport.requestFile(giftPath(slug, skipUnsupported), {
        headers: { Accept: 'text/plain' },
      });
    },
    uploadGift(slug, revision, gift, skipUnsupported = false) {
      // The file's text as it is (a File's own type may be empty or application/octet-stream).
      const body = new Blob([gift], { type: 'text/plain; charset=utf-8' });
      return json<GiftUpload>(giftPath(slug, skipUnsupported), {
        method: 'PUT',
        body,
        headers: ifMatch(revision),
      });
    },
  };
}
