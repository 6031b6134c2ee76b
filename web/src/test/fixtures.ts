import type { Course, Exercise, Lesson } from '../api/client';

/** One exercise of every type, shaped as GET /api/courses/{course}/lessons/{lesson} returns them. */
export const kExercises = {
  single: {
    id: 'pick-mean',
    ref: 'intro-statistics.pick-mean',
    type: 'single_choice',
    prompt_html: '<p>Which average is the sum divided by the count?</p>',
    hint_count: 0,
    max_attempts: null,
    options: [
      { id: 'a', text_html: 'Mean' },
      { id: 'b', text_html: 'Median' },
      { id: 'c', text_html: 'Mode' },
    ],
    shuffle: false,
  },
  multiple: {
    id: 'pick-primes',
    ref: 'intro-statistics.pick-primes',
    type: 'multiple_choice',
    prompt_html: '<p>Which numbers are prime?</p>',
    hint_count: 1,
    max_attempts: 3,
    options: [
      { id: 'a', text_html: '2' },
      { id: 'b', text_html: '4' },
      { id: 'c', text_html: '5' },
    ],
    shuffle: true,
  },
  trueFalse: {
    id: 'median-robust',
    ref: 'intro-statistics.median-robust',
    type: 'true_false',
    prompt_html: '<p>The median is robust to outliers.</p>',
    hint_count: 0,
    max_attempts: 1,
  },
  numeric: {
    id: 'mean-basic',
    ref: 'intro-statistics.mean-basic',
    type: 'numeric',
    prompt_html: '<p>What is the mean of 2, 4 and 9?</p>',
    hint_count: 1,
    max_attempts: null,
  },
  shortText: {
    id: 'capital',
    ref: 'intro-statistics.capital',
    type: 'short_text',
    prompt_html: '<p>What is the capital of France?</p>',
    hint_count: 0,
    max_attempts: null,
  },
  cloze: {
    id: 'fill',
    ref: 'intro-statistics.fill',
    type: 'cloze',
    prompt_html: '<p>The mean of 1 and 3 is {{1}}; the capital of France is {{2}}, a {{3}}.</p>',
    hint_count: 0,
    max_attempts: null,
    gaps: [
      { type: 'numeric' },
      { type: 'short_text' },
      { type: 'choice', options: ['city', 'river'] },
    ],
  },
  ordering: {
    id: 'steps',
    ref: 'intro-statistics.steps',
    type: 'ordering',
    prompt_html: '<p>Order the steps of an analysis.</p>',
    hint_count: 0,
    max_attempts: null,
    items: [
      { id: 'b', text_html: 'Clean it' },
      { id: 'a', text_html: 'Collect data' },
      { id: 'c', text_html: 'Analyse it' },
    ],
  },
  matching: {
    id: 'match-averages',
    ref: 'intro-statistics.match-averages',
    type: 'matching',
    prompt_html: '<p>Match each average with its definition.</p>',
    hint_count: 0,
    max_attempts: null,
    left: [
      { id: 'l1', text_html: 'Mean' },
      { id: 'l2', text_html: 'Median' },
    ],
    right: [
      { id: 'r2', text_html: 'Middle value' },
      { id: 'r3', text_html: 'Most frequent value' },
      { id: 'r1', text_html: 'Sum divided by count' },
    ],
  },
  formula: {
    id: 'square',
    ref: 'intro-statistics.square',
    type: 'formula',
    prompt_html: '<p>Expand the square of x plus one.</p>',
    hint_count: 0,
    max_attempts: null,
    variables: ['x'],
  },
  essay: {
    id: 'why-median',
    ref: 'intro-statistics.why-median',
    type: 'essay',
    prompt_html: '<p>Which average would you report for house prices, and why?</p>',
    hint_count: 0,
    max_attempts: null,
  },
} satisfies Record<string, Exercise>;

export const kCourse: Course = {
  slug: 'intro-statistics',
  title: 'Introduction to Statistics',
  summary: 'Means, medians and spread, with practice.',
  language: 'en',
  tags: ['statistics', 'beginner'],
  lessons: [
    { slug: 'averages', title: 'Averages', exercise_count: 2 },
    { slug: 'spread', title: 'Spread', exercise_count: 1 },
  ],
};

export const kLesson: Lesson = {
  course: 'intro-statistics',
  slug: 'averages',
  title: 'Averages',
  html:
    '<p>The <strong>mean</strong> of a list is its sum divided by its length.</p>\n' +
    '<div class="exercise-slot" data-exercise-id="mean-basic"></div>\n' +
    '<ul><li>Inside a list:<div class="exercise-slot" data-exercise-id="capital"></div></li></ul>\n' +
    '<div class="exercise-slot" data-exercise-id="no-such-exercise"></div>\n',
  exercises: [kExercises.numeric, kExercises.shortText, kExercises.trueFalse],
  previous: null,
  next: { slug: 'spread', title: 'Spread' },
};
