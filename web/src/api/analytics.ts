// The contract of the instructors' analytics endpoints, GET /api/analytics/courses/{course}/…
// (instructors and admins with a second factor). Types only, so the app's first chunk does not
// grow: the client's two analytics methods (client.ts) take a report's name and answer with its
// type. Dates are YYYY-MM-DD in UTC, both ends of a range included.

/** A report's period; each end is optional (the server's default: the last 90 days to today). */
export interface AnalyticsRange {
  from?: string;
  to?: string;
}

export type ActivityInterval = 'day' | 'week' | 'month';

/** Query parameters of a report: the range, and the period length of `activity`. */
export interface AnalyticsQuery extends AnalyticsRange {
  interval?: ActivityInterval;
}

/** What every report repeats: the course and the range it covers (defaults filled in). */
interface ReportBase {
  course: string;
  from: string;
  to: string;
}

export interface WrongAnswer {
  /** The answer as submitted, as JSON text (`"\"b\""`, `"[1,2]"`). */
  answer: string;
  count: number;
}

/** Item analysis of one exercise over the first attempts (one per learner) in the range. */
export interface ItemStatistics {
  exercise: string;
  ref: string;
  lesson: string;
  type: string;
  /** The first ~80 characters of the prompt, as plain text. */
  prompt: string;
  attempts: number;
  learners: number;
  first_attempts: number;
  /** 0..100: the mean first-attempt score in %; null with too few data. */
  facility: number | null;
  /** The standard deviation of first-attempt scores, in % of the maximum; null with too few. */
  sd: number | null;
  /** −100..100: Moodle's discrimination index; null with too few data or no variance. */
  discrimination: number | null;
  median_time_ms: number | null;
  common_wrong_answers: WrongAnswer[];
}

export interface ItemsReport extends ReportBase {
  items: ItemStatistics[];
}

/** Distinct learners per lesson: opened it, tried one of its exercises, solved them all. */
export interface FunnelStep {
  lesson: string;
  title: string;
  viewed: number;
  attempted: number;
  completed: number;
}

export interface FunnelReport extends ReportBase {
  lessons: FunnelStep[];
}

export interface CompletionDay {
  date: string;
  /** Learners who completed the course that day. */
  completed: number;
  /** Learners who completed it up to and including that day (before the range too). */
  cumulative: number;
}

export interface CompletionsReport extends ReportBase {
  /** The course's exercise count (completing means solving each). */
  exercises: number;
  /** Learners who completed the course before the range. */
  completed_before: number;
  /** Every day of the range. */
  days: CompletionDay[];
}

export interface ActivityPeriod {
  /** The period's first day (weeks start on Monday). */
  start: string;
  /** Distinct learners active in the course in the period. */
  learners: number;
}

export interface ActivityReport extends ReportBase {
  interval: ActivityInterval;
  /** Every period that meets the range. */
  periods: ActivityPeriod[];
}

export interface Cohort {
  /** The Monday of the week the cohort signed up. */
  week: string;
  learners: number;
  /** [k]: learners active in week k after the sign-up week (k = 0 is that week). */
  retained: number[];
  /** [k]: retained[k] / learners, 0..1. */
  rates: number[];
}

export interface RetentionReport extends ReportBase {
  cohorts: Cohort[];
}

/** Each report's name in the URL, and what it answers. */
export interface AnalyticsReports {
  items: ItemsReport;
  funnel: FunnelReport;
  completions: CompletionsReport;
  activity: ActivityReport;
  retention: RetentionReport;
}

export type AnalyticsReportName = keyof AnalyticsReports;

/** A report as CSV, to save as a file. */
export interface CsvFile {
  blob: Blob;
  /** From the response's Content-Disposition, else made up from the course, report and range. */
  filename: string;
}

export interface AnalyticsApi {
  getAnalytics<R extends AnalyticsReportName>(
    course: string,
    report: R,
    query: AnalyticsQuery,
    signal?: AbortSignal,
  ): Promise<AnalyticsReports[R]>;
  /** The same report as `?format=csv`, fetched with the access token (a plain link has none). */
  downloadAnalyticsCsv(
    course: string,
    report: AnalyticsReportName,
    query: AnalyticsQuery,
  ): Promise<CsvFile>;
}
