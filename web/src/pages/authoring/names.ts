import type { AuthoredCourse } from '../../api/authoring';

/** A slug suggested by a title: "Averages: mean & median" → "averages-mean-median". */
export function slugify(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** Where a course stands with learners, in words. */
export function statusText(course: AuthoredCourse): string {
  if (course.adopted === false) return 'Published before authoring; opening it takes it in';
  const changes = course.unpublished_changes ? ', with unpublished changes' : '';
  switch (course.status) {
    case 'published':
      return `Published: version ${course.live_version} is live${changes}`;
    case 'unpublished':
      return `Unpublished (latest version ${course.latest_version})${changes}`;
    case 'draft':
      return 'Draft, never published';
  }
}

/** "12 March 2026, 14:05" in the reader's time zone. */
export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
