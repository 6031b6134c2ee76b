import type { Problem } from '../api/client';

/** A failed submission as a form shows it: messages beside fields, and one for the whole form. */
export interface FormErrors {
  /** Messages per field, keyed by the API's field names (which are the form's input names). */
  fields: Partial<Record<string, string[]>>;
  /** Shown at the top of the form (and announced): what no field explains. */
  form: string | null;
}

export const kNoErrors: FormErrors = { fields: {}, form: null };

export interface FormErrorOptions {
  /** From ApiError.retryAfterSeconds: tells how long to wait. */
  retryAfterSeconds?: number | null;
  /** Statuses that concern one field even when the problem lists none (409 → "email"). */
  statusFields?: Partial<Record<number, string>>;
  /** Words for statuses whose problem has no detail (401 → "The email or password is wrong."). */
  statusMessages?: Partial<Record<number, string>>;
}

/**
 * Maps a problem to the fields of a form: each `errors` entry goes beside its field when the form
 * has it, and to the form's message otherwise. The form's message leads with the problem's detail
 * (or title), since field messages are not announced as they appear.
 */
export function formErrors(
  problem: Problem,
  fieldNames: readonly string[],
  options: FormErrorOptions = {},
): FormErrors {
  const fields: Partial<Record<string, string[]>> = {};
  const unplaced: string[] = [];
  for (const error of problem.errors ?? []) {
    // Tolerate JSON-pointer spellings ("/password") of a top-level field.
    const name = error.field.replace(/^\//, '');
    if (fieldNames.includes(name)) (fields[name] ??= []).push(besideField(error.message));
    else unplaced.push(withFieldName(name, error.message));
  }

  const described = problem.detail ?? options.statusMessages?.[problem.status] ?? null;
  const statusField = options.statusFields?.[problem.status];
  const parts: string[] = [];
  if (statusField && fieldNames.includes(statusField) && !fields[statusField]) {
    fields[statusField] = [described ?? problem.title];
  } else if (described) {
    parts.push(described);
  } else if (Object.keys(fields).length > 0) {
    parts.push('Check the fields marked below.');
  } else if (unplaced.length === 0) {
    parts.push(problem.title);
  }
  parts.push(...unplaced);
  if (options.retryAfterSeconds != null) parts.push(waitMessage(options.retryAfterSeconds));
  return { fields, form: parts.length > 0 ? parts.map(sentence).join(' ') : null };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.form !== null || Object.keys(errors.fields).length > 0;
}

// Servers often word field errors as fragments to follow the field's name ("is required").

/** A message shown under its field: "is required" → "This is required." */
function besideField(message: string): string {
  return sentence(isFragment(message) ? `This ${message.trim()}` : message);
}

/** A message shown away from its field: "is required" on display_name → "Display name is required." */
function withFieldName(field: string, message: string): string {
  if (!isFragment(message) || !field) return message;
  const name = field.replaceAll('_', ' ');
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${message.trim()}`;
}

function isFragment(message: string): boolean {
  return /^[a-z]/.test(message.trim());
}

function waitMessage(seconds: number): string {
  if (seconds <= 1) return 'Try again in a moment.';
  if (seconds < 90) return `Try again in ${seconds} seconds.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
