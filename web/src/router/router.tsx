// A tiny client-side router: the History API, one subscription hook and a Link that keeps
// ordinary anchor behaviour (new tab, copy link, middle click) and only intercepts plain clicks.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: Listener): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

function currentPathname(): string {
  return window.location.pathname;
}

/** The current path (without query or hash); re-renders the caller when it changes. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPathname, () => '/');
}

/** Goes to an in-app path, as a click on a Link would. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

/**
 * Matches a pattern such as `/courses/:course` against a path. Returns the decoded parameters,
 * or null when the path does not match. A trailing slash on the path is ignored.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const patternParts = splitPath(pattern);
  const pathParts = splitPath(pathname);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i] ?? '';
    const actual = pathParts[i] ?? '';
    if (expected.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(actual);
      } catch {
        return null;
      }
      params[expected.slice(1)] = decoded;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
}

export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target !== undefined && rest.target !== '_self')
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}

/** Paths of the app's pages, built in one place so links and routes agree. */
export const paths = {
  catalog: () => '/',
  course: (course: string) => `/courses/${encodeURIComponent(course)}`,
  lesson: (course: string, lesson: string) =>
    `/courses/${encodeURIComponent(course)}/lessons/${encodeURIComponent(lesson)}`,
  /** `next`: where to go once signed in (an in-app path). */
  login: (next?: string) => withNext('/login', next),
  signup: (next?: string) => withNext('/signup', next),
  account: () => '/account',
  progress: () => '/progress',
  reviews: () => '/reviews',
  adminUsers: () => '/admin/users',
  /** Instructors and admins: the courses, each leading to its dashboard. */
  analytics: () => '/analytics',
  courseAnalytics: (course: string) => `/analytics/courses/${encodeURIComponent(course)}`,
  /** Instructors and admins: the courses they may write, and their editors. */
  authoring: () => '/authoring',
  authoringCourse: (course: string) => `/authoring/courses/${encodeURIComponent(course)}`,
  authoringLesson: (course: string, lesson: string) =>
    `/authoring/courses/${encodeURIComponent(course)}/lessons/${encodeURIComponent(lesson)}`,
  authoringNewExercise: (course: string, lesson: string) =>
    `/authoring/courses/${encodeURIComponent(course)}/lessons/${encodeURIComponent(lesson)}/new-exercise`,
  authoringExercise: (course: string, exercise: string) =>
    `/authoring/courses/${encodeURIComponent(course)}/exercises/${encodeURIComponent(exercise)}`,
};

function withNext(path: string, next: string | undefined): string {
  return next && next !== '/' ? `${path}?${new URLSearchParams({ next })}` : path;
}

/**
 * The `next` parameter of the current URL when it names a path of this app, else the catalog.
 * Anything else ("//evil.example", "https://…", "/\\evil") would send the user off-site.
 */
export function nextPath(search: string = window.location.search): string {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return paths.catalog();
  }
  return next;
}
