// The dashboard's period: whole UTC days, YYYY-MM-DD, both ends included, as the API counts them.

export interface DateRange {
  from: string;
  to: string;
}

/** The presets offered beside the date fields: the last N days, today included. */
export const kRangePresets = [7, 30, 90, 365] as const;
export const kDefaultRangeDays = 90;
/** The longest range the API accepts. */
export const kMaxRangeDays = 3660;

const kDayMs = 86_400_000;

/** Today's date in UTC. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date written YYYY-MM-DD (what a date input gives). */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * kDayMs).toISOString().slice(0, 10);
}

/** How many days the range holds, both ends counted (1 when from = to). */
export function rangeDays({ from, to }: DateRange): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / kDayMs) + 1;
}

/** The last `days` days up to and including `today`. */
export function lastDays(days: number, today: string = todayUtc()): DateRange {
  return { from: addDays(today, 1 - days), to: today };
}

export interface RangeErrors {
  from?: string;
  to?: string;
}

/**
 * What is wrong with a range as typed, per field (empty when nothing is). An order the wrong way
 * round is the start's fault, since the presets and the usual edit move the start.
 */
export function rangeErrors({ from, to }: DateRange): RangeErrors {
  const errors: RangeErrors = {};
  if (!isDate(from)) errors.from = 'Enter the first day as a date.';
  if (!isDate(to)) errors.to = 'Enter the last day as a date.';
  if (errors.from || errors.to) return errors;
  if (from > to) return { from: 'The first day must be on or before the last day.' };
  if (rangeDays({ from, to }) > kMaxRangeDays) {
    return { from: `The period can be at most ${kMaxRangeDays} days long.` };
  }
  return errors;
}

export function hasRangeErrors(errors: RangeErrors): boolean {
  return errors.from !== undefined || errors.to !== undefined;
}
