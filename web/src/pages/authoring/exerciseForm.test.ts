import { describe, expect, it } from 'vitest';
import type { ExerciseForm } from '../../api/authoring';
import {
  canonical,
  formPaths,
  fromJson,
  kExerciseTypes,
  newExercise,
  nextId,
  numberOrText,
  toJson,
  type ExerciseFormState,
} from './exerciseForm';

// One exercise of each type, as GET /api/authoring/courses/{course} answers them.
const kForms: ExerciseForm[] = [
  {
    id: 's1',
    type: 'single_choice',
    prompt: 'Pick $x$',
    options: [
      { id: 'a', text: 'A', correct: true, feedback: 'yes' },
      { id: 'b', text: 'B', score: 0.5 },
    ],
    shuffle: false,
  },
  {
    id: 'm1',
    type: 'multiple_choice',
    prompt: 'x',
    options: [
      { id: 'a', text: 'A', correct: true },
      { id: 'b', text: 'B' },
    ],
    scoring: 'all_or_nothing',
  },
  { id: 'tf1', type: 'true_false', prompt: 'x', answer: false, true_feedback: 'no' },
  { id: 'n1', type: 'numeric', prompt: 'x', answer: 7.02, tolerance: '1%' },
  {
    id: 'n2',
    type: 'numeric',
    prompt: 'x',
    answers: [
      { value: 8, tolerance: 0.05, score: 1 },
      { range: [7.3, 7.5], score: 0.25, feedback: 'old' },
    ],
  },
  {
    id: 't1',
    type: 'short_text',
    prompt: 'x',
    answers: ['pp', { regex: '^a$', score: 0.5, feedback: 'f' }],
    case_sensitive: true,
    accents: 'strict',
  },
  {
    id: 'c1',
    type: 'cloze',
    prompt: 'a {{1}} b {{2}} c {{3}}',
    gaps: [
      { type: 'numeric', answer: 6 },
      { type: 'short_text', answers: ['mode'] },
      { type: 'choice', options: ['l', 's'], answer: 'l' },
    ],
  },
  {
    id: 'o1',
    type: 'ordering',
    prompt: 'x',
    items: [
      { id: 'a', text: 'A' },
      { id: 'b', text: 'B' },
    ],
  },
  {
    id: 'ma1',
    type: 'matching',
    prompt: 'x',
    pairs: [
      { left: { id: 'a', text: 'A' }, right: { id: 'b', text: 'B' } },
      { left: { id: 'c', text: 'C' }, right: { id: 'd', text: 'D' } },
    ],
    distractors: [{ id: 'e', text: 'E' }],
  },
  {
    id: 'f1',
    type: 'formula',
    prompt: 'x',
    answer: '1000*(1+r)^t',
    variables: { r: [0, 0.2], t: [0, 30] },
    samples: 10,
  },
  {
    id: 'e1',
    type: 'essay',
    prompt: 'x',
    hints: ['h1'],
    explanation: 'why',
    max_attempts: 2,
    penalty: 0.1,
    tags: ['a'],
  },
];

describe('the exercise form', () => {
  it('reads and writes back every type as the API gave it', () => {
    expect(new Set(kForms.map((form) => form.type))).toEqual(new Set(kExerciseTypes));
    for (const form of kForms) {
      expect(canonical(toJson(fromJson(form)))).toBe(canonical(form));
    }
  });

  it('keeps the fields it has no input for', () => {
    const form = { ...kForms[0], future_field: { x: 1 } } as ExerciseForm;
    expect(fromJson(form).extra).toEqual({ future_field: { x: 1 } });
    expect(toJson(fromJson(form)).future_field).toEqual({ x: 1 });
  });

  it('sends numbers as numbers, and anything else as typed for the server to refuse', () => {
    expect(numberOrText(' 7.5 ')).toBe(7.5);
    expect(numberOrText('-1e3')).toBe(-1000);
    expect(numberOrText('.5')).toBe(0.5);
    expect(numberOrText('seven')).toBe('seven');
    const state: ExerciseFormState = newExercise('numeric', 'rent');
    state.common.prompt = 'By what percentage?';
    state.common.max_attempts = '3';
    state.common.penalty = 'a lot';
    state.common.tags = ' percentages, , rent ';
    if (state.spec.type !== 'numeric') throw new Error('not numeric');
    state.spec.key.answer = '8';
    state.spec.key.tolerance = '1%';
    expect(toJson(state)).toEqual({
      id: 'rent',
      type: 'numeric',
      prompt: 'By what percentage?',
      answer: 8,
      tolerance: '1%',
      max_attempts: 3,
      penalty: 'a lot',
      tags: ['percentages', 'rent'],
    });
  });

  it('knows the path of every input and group it shows, for placing errors', () => {
    const choice = formPaths(fromJson(kForms[0] as ExerciseForm));
    for (const path of [
      'prompt',
      'options',
      'options[1]',
      'options[1].correct',
      'options[1].score',
      'shuffle',
    ]) {
      expect(choice.has(path)).toBe(true);
    }
    expect(choice.has('options[2]')).toBe(false);
    expect(choice.has('scoring')).toBe(false);
    const cloze = formPaths(fromJson(kForms[6] as ExerciseForm));
    for (const path of [
      'gaps[0].answer',
      'gaps[1].answers[0].text',
      'gaps[2].options[1]',
      'gaps[2].answer',
    ]) {
      expect(cloze.has(path)).toBe(true);
    }
    expect(formPaths(fromJson(kForms[9] as ExerciseForm)).has('variables.t')).toBe(true);
  });

  it('gives new options and items the next free id', () => {
    expect(nextId([])).toBe('a');
    expect(nextId(['a', 'b', 'd'])).toBe('c');
    expect(nextId('abcdefghijklmnopqrstuvwxyz'.split(''))).toBe('aa');
    expect(nextId(['l1'], 'l')).toBe('la');
  });
});
