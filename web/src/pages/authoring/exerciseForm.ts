// An exercise as the editor's form holds it, and back: the bundle format's fields
// (docs/CONTENT.md) for each of the ten types. Numbers are kept as the text typed, so the server
// judges them ("must be a number") and its messages land beside the field; fields the form does
// not know are kept as they came and sent back unchanged.

import type { ExerciseForm } from '../../api/authoring';
import type { ExerciseType } from '../../api/client';

export const kExerciseTypes: readonly ExerciseType[] = [
  'single_choice',
  'multiple_choice',
  'true_false',
  'numeric',
  'short_text',
  'cloze',
  'ordering',
  'matching',
  'formula',
  'essay',
];

export const kTypeNames: Record<ExerciseType, string> = {
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  true_false: 'True or false',
  numeric: 'Number',
  short_text: 'Short text',
  cloze: 'Cloze (gaps in a text)',
  ordering: 'Ordering',
  matching: 'Matching',
  formula: 'Formula',
  essay: 'Essay (not marked)',
};

export interface CommonFields {
  id: string;
  prompt: string;
  hints: string[];
  explanation: string;
  max_attempts: string;
  penalty: string;
  /** Comma-separated. */
  tags: string;
}

export interface ChoiceOption {
  id: string;
  text: string;
  correct: boolean;
  score: string;
  feedback: string;
}

export interface NumericEntry {
  kind: 'value' | 'range';
  value: string;
  tolerance: string;
  low: string;
  high: string;
  score: string;
  feedback: string;
}

/** A numeric exercise's key, or a numeric gap's: one answer, or a list of scored answers. */
export interface NumericKey {
  mode: 'single' | 'list';
  answer: string;
  tolerance: string;
  answers: NumericEntry[];
}

export interface TextEntry {
  kind: 'text' | 'regex';
  text: string;
  score: string;
  feedback: string;
}

/** A short-text exercise's key, or a short-text gap's. */
export interface TextKey {
  answers: TextEntry[];
  case_sensitive: boolean;
  accents: 'ignore' | 'strict';
}

export interface Gap {
  type: 'numeric' | 'short_text' | 'choice';
  numeric: NumericKey;
  text: TextKey;
  options: string[];
  answer: string;
}

export interface Item {
  id: string;
  text: string;
}

export interface Pair {
  left: Item;
  right: Item;
}

export interface Variable {
  name: string;
  low: string;
  high: string;
}

export type Scoring = 'partial' | 'all_or_nothing';

export type Spec =
  | { type: 'single_choice'; options: ChoiceOption[]; shuffle: boolean }
  | { type: 'multiple_choice'; options: ChoiceOption[]; shuffle: boolean; scoring: Scoring }
  | { type: 'true_false'; answer: boolean; true_feedback: string; false_feedback: string }
  | { type: 'numeric'; key: NumericKey }
  | { type: 'short_text'; key: TextKey }
  | { type: 'cloze'; gaps: Gap[] }
  | { type: 'ordering'; items: Item[]; scoring: Scoring }
  | { type: 'matching'; pairs: Pair[]; distractors: Item[] }
  | { type: 'formula'; answer: string; variables: Variable[]; samples: string; tolerance: string }
  | { type: 'essay' };

export interface ExerciseFormState {
  common: CommonFields;
  spec: Spec;
  /** Fields the form has no input for, sent back as they came. */
  extra: Record<string, unknown>;
}

// ---- New values --------------------------------------------------------------------------------

/** "a", "b", …, "z", "aa", … : the first id of that pattern not in `taken`. */
export function nextId(taken: readonly string[], prefix = ''): string {
  for (let n = 0; ; n++) {
    let id = '';
    for (let k = n; ; k = Math.floor(k / 26) - 1) {
      id = String.fromCharCode(97 + (k % 26)) + id;
      if (k < 26) break;
    }
    if (!taken.includes(prefix + id)) return prefix + id;
  }
}

export function newOption(options: readonly ChoiceOption[]): ChoiceOption {
  return {
    id: nextId(options.map((o) => o.id)),
    text: '',
    correct: false,
    score: '',
    feedback: '',
  };
}

export function newNumericEntry(): NumericEntry {
  return { kind: 'value', value: '', tolerance: '', low: '', high: '', score: '', feedback: '' };
}

export function newTextEntry(): TextEntry {
  return { kind: 'text', text: '', score: '', feedback: '' };
}

function newNumericKey(): NumericKey {
  return { mode: 'single', answer: '', tolerance: '', answers: [] };
}

function newTextKey(): TextKey {
  return { answers: [newTextEntry()], case_sensitive: false, accents: 'ignore' };
}

export function newGap(): Gap {
  return {
    type: 'short_text',
    numeric: newNumericKey(),
    text: newTextKey(),
    options: [],
    answer: '',
  };
}

export function newItem(items: readonly Item[], prefix = ''): Item {
  return {
    id: nextId(
      items.map((i) => i.id),
      prefix,
    ),
    text: '',
  };
}

/** Every id a matching exercise uses (they must be unique across both sides). */
export function matchingIds(spec: { pairs: Pair[]; distractors: Item[] }): Item[] {
  return [...spec.pairs.flatMap((pair) => [pair.left, pair.right]), ...spec.distractors];
}

export function newSpec(type: ExerciseType): Spec {
  switch (type) {
    case 'single_choice':
      return { type, options: twoOptions(), shuffle: true };
    case 'multiple_choice':
      return { type, options: twoOptions(), shuffle: true, scoring: 'partial' };
    case 'true_false':
      return { type, answer: true, true_feedback: '', false_feedback: '' };
    case 'numeric':
      return { type, key: newNumericKey() };
    case 'short_text':
      return { type, key: newTextKey() };
    case 'cloze':
      return { type, gaps: [newGap()] };
    case 'ordering':
      return { type, items: twoItems(''), scoring: 'partial' };
    case 'matching':
      return {
        type,
        pairs: [
          { left: { id: 'l1', text: '' }, right: { id: 'r1', text: '' } },
          { left: { id: 'l2', text: '' }, right: { id: 'r2', text: '' } },
        ],
        distractors: [],
      };
    case 'formula':
      return {
        type,
        answer: '',
        variables: [{ name: 'x', low: '', high: '' }],
        samples: '',
        tolerance: '',
      };
    case 'essay':
      return { type };
  }
}

function twoOptions(): ChoiceOption[] {
  const a = newOption([]);
  return [a, newOption([a])];
}

function twoItems(prefix: string): Item[] {
  const a = newItem([], prefix);
  return [a, newItem([a], prefix)];
}

export function newExercise(type: ExerciseType, id = ''): ExerciseFormState {
  return {
    common: {
      id,
      prompt: '',
      hints: [],
      explanation: '',
      max_attempts: '',
      penalty: '',
      tags: '',
    },
    spec: newSpec(type),
    extra: {},
  };
}

// ---- From the API's JSON -------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Reads the fields of `json` the form knows, removing each from `rest` as it goes. */
class Reader {
  readonly rest: Json;
  constructor(json: Json) {
    this.rest = { ...json };
  }
  take(name: string): unknown {
    const value = this.rest[name];
    delete this.rest[name];
    return value;
  }
}

function readItem(value: unknown): Item {
  const item = isObject(value) ? value : {};
  return { id: text(item.id), text: text(item.text) };
}

function readOption(value: unknown): ChoiceOption {
  const option = isObject(value) ? value : {};
  return {
    id: text(option.id),
    text: text(option.text),
    correct: option.correct === true,
    score: text(option.score),
    feedback: text(option.feedback),
  };
}

function readNumericEntry(value: unknown): NumericEntry {
  const entry = isObject(value) ? value : {};
  const range = Array.isArray(entry.range) ? entry.range : null;
  return {
    kind: range ? 'range' : 'value',
    value: text(entry.value),
    tolerance: text(entry.tolerance),
    low: text(range?.[0]),
    high: text(range?.[1]),
    score: text(entry.score),
    feedback: text(entry.feedback),
  };
}

function readNumericKey(reader: Reader): NumericKey {
  const answers = reader.take('answers');
  const answer = reader.take('answer');
  const tolerance = reader.take('tolerance');
  return {
    mode: answers !== undefined && answer === undefined ? 'list' : 'single',
    answer: text(answer),
    tolerance: text(tolerance),
    answers: list(answers).map(readNumericEntry),
  };
}

function readTextEntry(value: unknown): TextEntry {
  if (!isObject(value)) return { kind: 'text', text: text(value), score: '', feedback: '' };
  const regex = value.regex !== undefined;
  return {
    kind: regex ? 'regex' : 'text',
    text: text(regex ? value.regex : value.text),
    score: text(value.score),
    feedback: text(value.feedback),
  };
}

function readTextKey(reader: Reader): TextKey {
  return {
    answers: list(reader.take('answers')).map(readTextEntry),
    case_sensitive: reader.take('case_sensitive') === true,
    accents: reader.take('accents') === 'strict' ? 'strict' : 'ignore',
  };
}

function readGap(value: unknown): Gap {
  const reader = new Reader(isObject(value) ? value : {});
  const type = reader.take('type');
  const gap = newGap();
  if (type === 'numeric') return { ...gap, type, numeric: readNumericKey(reader) };
  if (type === 'choice') {
    return {
      ...gap,
      type,
      options: list(reader.take('options')).map(text),
      answer: text(reader.take('answer')),
    };
  }
  return { ...gap, type: 'short_text', text: readTextKey(reader) };
}

function readScoring(value: unknown): Scoring {
  return value === 'all_or_nothing' ? 'all_or_nothing' : 'partial';
}

function readSpec(type: ExerciseType, reader: Reader): Spec {
  switch (type) {
    case 'single_choice':
      return {
        type,
        options: list(reader.take('options')).map(readOption),
        shuffle: reader.take('shuffle') !== false,
      };
    case 'multiple_choice':
      return {
        type,
        options: list(reader.take('options')).map(readOption),
        shuffle: reader.take('shuffle') !== false,
        scoring: readScoring(reader.take('scoring')),
      };
    case 'true_false':
      return {
        type,
        answer: reader.take('answer') !== false,
        true_feedback: text(reader.take('true_feedback')),
        false_feedback: text(reader.take('false_feedback')),
      };
    case 'numeric':
      return { type, key: readNumericKey(reader) };
    case 'short_text':
      return { type, key: readTextKey(reader) };
    case 'cloze':
      return { type, gaps: list(reader.take('gaps')).map(readGap) };
    case 'ordering':
      return {
        type,
        items: list(reader.take('items')).map(readItem),
        scoring: readScoring(reader.take('scoring')),
      };
    case 'matching':
      return {
        type,
        pairs: list(reader.take('pairs')).map((value) => {
          const pair = isObject(value) ? value : {};
          return { left: readItem(pair.left), right: readItem(pair.right) };
        }),
        distractors: list(reader.take('distractors')).map(readItem),
      };
    case 'formula': {
      const variables = reader.take('variables');
      return {
        type,
        answer: text(reader.take('answer')),
        variables: Object.entries(isObject(variables) ? variables : {}).map(([name, range]) => ({
          name,
          low: text(list(range)[0]),
          high: text(list(range)[1]),
        })),
        samples: text(reader.take('samples')),
        tolerance: text(reader.take('tolerance')),
      };
    }
    case 'essay':
      return { type };
  }
}

export function fromJson(json: ExerciseForm): ExerciseFormState {
  const reader = new Reader(json);
  reader.take('type');
  const type = kExerciseTypes.includes(json.type) ? json.type : 'essay';
  const common: CommonFields = {
    id: text(reader.take('id')),
    prompt: text(reader.take('prompt')),
    hints: list(reader.take('hints')).map(text),
    explanation: text(reader.take('explanation')),
    max_attempts: text(reader.take('max_attempts')),
    penalty: text(reader.take('penalty')),
    tags: list(reader.take('tags')).map(text).join(', '),
  };
  const spec = readSpec(type, reader);
  return { common, spec, extra: reader.rest };
}

// ---- To the API's JSON ---------------------------------------------------------------------------

const kNumber = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A number typed into a field: a number when it reads as one, else the text (for the server to
 * refuse by name). */
export function numberOrText(value: string): number | string {
  const trimmed = value.trim();
  return kNumber.test(trimmed) ? Number(trimmed) : trimmed;
}

/** A tolerance: a number, or a relative one as written ("1%"). */
function tolerance(value: string): number | string {
  const trimmed = value.trim();
  return trimmed.endsWith('%') ? trimmed : numberOrText(trimmed);
}

/** Sets `name` unless the text is empty. */
function setIf(out: Json, name: string, value: string, convert: (v: string) => unknown = (v) => v) {
  if (value.trim() !== '') out[name] = convert(value);
}

function optionJson(option: ChoiceOption): Json {
  const out: Json = { id: option.id, text: option.text };
  if (option.correct) out.correct = true;
  setIf(out, 'score', option.score, numberOrText);
  setIf(out, 'feedback', option.feedback);
  return out;
}

function numericKeyJson(key: NumericKey, out: Json): void {
  if (key.mode === 'single') {
    out.answer = numberOrText(key.answer);
    setIf(out, 'tolerance', key.tolerance, tolerance);
    return;
  }
  out.answers = key.answers.map((entry) => {
    const json: Json = {};
    if (entry.kind === 'range') {
      json.range = [numberOrText(entry.low), numberOrText(entry.high)];
    } else {
      json.value = numberOrText(entry.value);
      setIf(json, 'tolerance', entry.tolerance, tolerance);
    }
    setIf(json, 'score', entry.score, numberOrText);
    setIf(json, 'feedback', entry.feedback);
    return json;
  });
}

function textKeyJson(key: TextKey, out: Json): void {
  out.answers = key.answers.map((entry) => {
    const plain =
      entry.kind === 'text' && ['', '1'].includes(entry.score.trim()) && entry.feedback === '';
    if (plain) return entry.text;
    const json: Json = entry.kind === 'regex' ? { regex: entry.text } : { text: entry.text };
    setIf(json, 'score', entry.score, numberOrText);
    setIf(json, 'feedback', entry.feedback);
    return json;
  });
  if (key.case_sensitive) out.case_sensitive = true;
  if (key.accents === 'strict') out.accents = 'strict';
}

function gapJson(gap: Gap): Json {
  const out: Json = { type: gap.type };
  if (gap.type === 'numeric') numericKeyJson(gap.numeric, out);
  else if (gap.type === 'short_text') textKeyJson(gap.text, out);
  else {
    out.options = gap.options;
    out.answer = gap.answer;
  }
  return out;
}

function specJson(spec: Spec, out: Json): void {
  switch (spec.type) {
    case 'single_choice':
    case 'multiple_choice':
      out.options = spec.options.map(optionJson);
      if (!spec.shuffle) out.shuffle = false;
      if (spec.type === 'multiple_choice' && spec.scoring !== 'partial') out.scoring = spec.scoring;
      return;
    case 'true_false':
      out.answer = spec.answer;
      setIf(out, 'true_feedback', spec.true_feedback);
      setIf(out, 'false_feedback', spec.false_feedback);
      return;
    case 'numeric':
      numericKeyJson(spec.key, out);
      return;
    case 'short_text':
      textKeyJson(spec.key, out);
      return;
    case 'cloze':
      out.gaps = spec.gaps.map(gapJson);
      return;
    case 'ordering':
      out.items = spec.items.map((item) => ({ id: item.id, text: item.text }));
      if (spec.scoring !== 'partial') out.scoring = spec.scoring;
      return;
    case 'matching':
      out.pairs = spec.pairs.map((pair) => ({
        left: { id: pair.left.id, text: pair.left.text },
        right: { id: pair.right.id, text: pair.right.text },
      }));
      if (spec.distractors.length > 0) {
        out.distractors = spec.distractors.map((item) => ({ id: item.id, text: item.text }));
      }
      return;
    case 'formula':
      out.answer = spec.answer;
      out.variables = Object.fromEntries(
        spec.variables.map((v) => [v.name.trim(), [numberOrText(v.low), numberOrText(v.high)]]),
      );
      setIf(out, 'samples', spec.samples, numberOrText);
      setIf(out, 'tolerance', spec.tolerance, numberOrText);
      return;
    case 'essay':
      return;
  }
}

export function toJson(state: ExerciseFormState): ExerciseForm {
  const { common, spec } = state;
  const out: Json = { id: common.id.trim(), type: spec.type, prompt: common.prompt };
  specJson(spec, out);
  if (common.hints.length > 0) out.hints = common.hints;
  setIf(out, 'explanation', common.explanation);
  setIf(out, 'max_attempts', common.max_attempts, numberOrText);
  setIf(out, 'penalty', common.penalty, numberOrText);
  const tags = common.tags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  if (tags.length > 0) out.tags = tags;
  return { ...out, ...state.extra } as ExerciseForm;
}

// ---- The paths the form shows (for placing the server's field errors) -----------------------------

function listPaths(paths: Set<string>, name: string, count: number, fields: readonly string[]) {
  paths.add(name);
  for (let i = 0; i < count; i++) {
    paths.add(`${name}[${i}]`);
    for (const field of fields) paths.add(`${name}[${i}].${field}`);
  }
}

function numericKeyPaths(paths: Set<string>, prefix: string, key: NumericKey) {
  if (key.mode === 'single') {
    paths.add(`${prefix}answer`);
    paths.add(`${prefix}tolerance`);
  } else {
    const fields = ['value', 'tolerance', 'range', 'score', 'feedback'];
    listPaths(paths, `${prefix}answers`, key.answers.length, fields);
  }
}

function textKeyPaths(paths: Set<string>, prefix: string, key: TextKey) {
  const fields = ['text', 'regex', 'score', 'feedback'];
  listPaths(paths, `${prefix}answers`, key.answers.length, fields);
  paths.add(`${prefix}case_sensitive`);
  paths.add(`${prefix}accents`);
}

/** Every field path the form for `state` has an input or a group for. */
export function formPaths(state: ExerciseFormState): Set<string> {
  const paths = new Set(['id', 'type', 'prompt', 'explanation', 'max_attempts', 'penalty', 'tags']);
  listPaths(paths, 'hints', state.common.hints.length, []);
  const { spec } = state;
  switch (spec.type) {
    case 'single_choice':
    case 'multiple_choice':
      listPaths(paths, 'options', spec.options.length, [
        'id',
        'text',
        'correct',
        'score',
        'feedback',
      ]);
      paths.add('shuffle');
      if (spec.type === 'multiple_choice') paths.add('scoring');
      break;
    case 'true_false':
      for (const name of ['answer', 'true_feedback', 'false_feedback']) paths.add(name);
      break;
    case 'numeric':
      numericKeyPaths(paths, '', spec.key);
      break;
    case 'short_text':
      textKeyPaths(paths, '', spec.key);
      break;
    case 'cloze':
      paths.add('gaps');
      spec.gaps.forEach((gap, index) => {
        const prefix = `gaps[${index}].`;
        paths.add(`gaps[${index}]`);
        paths.add(`${prefix}type`);
        if (gap.type === 'numeric') numericKeyPaths(paths, prefix, gap.numeric);
        else if (gap.type === 'short_text') textKeyPaths(paths, prefix, gap.text);
        else {
          listPaths(paths, `${prefix}options`, gap.options.length, []);
          paths.add(`${prefix}answer`);
        }
      });
      break;
    case 'ordering':
      listPaths(paths, 'items', spec.items.length, ['id', 'text']);
      paths.add('scoring');
      break;
    case 'matching':
      listPaths(paths, 'pairs', spec.pairs.length, [
        'left.id',
        'left.text',
        'right.id',
        'right.text',
      ]);
      listPaths(paths, 'distractors', spec.distractors.length, ['id', 'text']);
      break;
    case 'formula':
      paths.add('answer');
      paths.add('variables');
      for (const variable of spec.variables) paths.add(`variables.${variable.name.trim()}`);
      paths.add('samples');
      paths.add('tolerance');
      break;
    case 'essay':
      break;
  }
  return paths;
}

/** JSON with its keys sorted, to tell whether two forms say the same. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
