import type {
  ActivityReport,
  CompletionsReport,
  FunnelReport,
  ItemStatistics,
  ItemsReport,
  RetentionReport,
} from '../api/analytics';
import type { Course } from '../api/client';

/** The day the dashboard tests take as today, and the default range it gives (90 days). */
export const kToday = '2026-11-25';
export const kRange = { course: 'intro-statistics', from: '2026-08-28', to: '2026-11-25' };

export const kAnalyticsCourse: Course = {
  slug: 'intro-statistics',
  title: 'Introduction to Statistics',
  summary: '',
  language: 'en',
  tags: [],
  lessons: [
    { slug: 'averages', title: 'Averages', exercise_count: 2 },
    { slug: 'spread', title: 'Spread', exercise_count: 1 },
  ],
};

function item(fields: Partial<ItemStatistics> & { exercise: string }): ItemStatistics {
  return {
    ref: `intro-statistics.${fields.exercise}`,
    lesson: 'averages',
    type: 'single_choice',
    prompt: `Prompt of ${fields.exercise}`,
    attempts: 0,
    learners: 0,
    first_attempts: 0,
    facility: null,
    sd: null,
    discrimination: null,
    median_time_ms: null,
    common_wrong_answers: [],
    ...fields,
  };
}

export const kItems: ItemsReport = {
  ...kRange,
  items: [
    item({
      exercise: 'pick-mean',
      prompt: 'Which average is the sum divided by the count?',
      attempts: 12,
      learners: 7,
      first_attempts: 7,
      facility: 57.1,
      sd: 48.8,
      discrimination: 63.2,
      median_time_ms: 8400,
      common_wrong_answers: [{ answer: '"b"', count: 3 }],
    }),
    item({
      exercise: 'median-robust',
      type: 'true_false',
      attempts: 9,
      learners: 9,
      first_attempts: 9,
      facility: 88.9,
      sd: 31.4,
      discrimination: -12.5,
      median_time_ms: 125_000,
    }),
    item({ exercise: 'range-width', lesson: 'spread', type: 'numeric', attempts: 1, learners: 1 }),
    item({ exercise: 'never-tried', lesson: 'spread', type: 'numeric' }),
  ],
};

export const kFunnel: FunnelReport = {
  ...kRange,
  lessons: [
    { lesson: 'averages', title: 'Averages', viewed: 10, attempted: 8, completed: 5 },
    { lesson: 'spread', title: 'Spread', viewed: 4, attempted: 1, completed: 0 },
  ],
};

export const kActivity: ActivityReport = {
  ...kRange,
  interval: 'week',
  periods: [
    { start: '2026-11-09', learners: 3 },
    { start: '2026-11-16', learners: 0 },
    { start: '2026-11-23', learners: 14 },
  ],
};

export const kCompletions: CompletionsReport = {
  ...kRange,
  exercises: 3,
  completed_before: 3,
  days: [
    { date: '2026-11-24', completed: 2, cumulative: 5 },
    { date: '2026-11-25', completed: 0, cumulative: 5 },
  ],
};

export const kRetention: RetentionReport = {
  ...kRange,
  cohorts: [
    { week: '2026-11-09', learners: 9, retained: [9, 5, 3], rates: [1.0, 0.556, 0.333] },
    { week: '2026-11-16', learners: 4, retained: [4, 1], rates: [1.0, 0.25] },
  ],
};

/** A course nobody has touched: every report as the server sends it then. */
export const kEmptyReports = {
  items: {
    ...kRange,
    items: kItems.items.map((entry) => item({ exercise: entry.exercise, lesson: entry.lesson })),
  },
  funnel: {
    ...kRange,
    lessons: kFunnel.lessons.map((step) => ({ ...step, viewed: 0, attempted: 0, completed: 0 })),
  },
  activity: { ...kActivity, periods: kActivity.periods.map((p) => ({ ...p, learners: 0 })) },
  completions: {
    ...kCompletions,
    completed_before: 0,
    days: kCompletions.days.map((day) => ({ ...day, completed: 0, cumulative: 0 })),
  },
  retention: { ...kRange, cohorts: [] },
};
