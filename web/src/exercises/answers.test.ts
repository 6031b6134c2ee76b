import { describe, expect, it } from 'vitest';
import { kExercises } from '../test/fixtures';
import {
  initialAnswer,
  isCompleteAnswer,
  moveItem,
  parseNumber,
  shuffled,
  withMatch,
} from './answers';

describe('answers', () => {
  it('starts ordering at the server order, cloze with empty gaps, matching unpaired', () => {
    expect(initialAnswer(kExercises.ordering)).toEqual(['b', 'a', 'c']);
    expect(initialAnswer(kExercises.cloze)).toEqual(['', '', '']);
    expect(initialAnswer(kExercises.matching)).toEqual({});
    expect(initialAnswer(kExercises.multiple)).toEqual([]);
    expect(initialAnswer(kExercises.numeric)).toBeNull();
  });

  it('moves an item up or down, and refuses moves off the ends', () => {
    const items = ['a', 'b', 'c'];
    expect(moveItem(items, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(items, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(items, 0, -1)).toBe(items);
    expect(moveItem(items, 2, 1)).toBe(items);
    expect(items).toEqual(['a', 'b', 'c']);
  });

  it('shuffles into a permutation without changing the input', () => {
    const items = [1, 2, 3, 4, 5];
    const sequence = [0.9, 0.1, 0.5, 0.3];
    const result = shuffled(items, () => sequence.shift() ?? 0);
    expect([...result].sort()).toEqual(items);
    expect(result).not.toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });

  it('pairs and unpairs matching items', () => {
    const paired = withMatch({}, 'l1', 'r1');
    expect(paired).toEqual({ l1: 'r1' });
    expect(withMatch(paired, 'l2', 'r2')).toEqual({ l1: 'r1', l2: 'r2' });
    expect(withMatch(paired, 'l1', '')).toEqual({});
  });

  it('reads numbers, and null for anything that is not one', () => {
    expect(parseNumber(' 5 ')).toBe(5);
    expect(parseNumber('-0.25')).toBe(-0.25);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('abc')).toBeNull();
    expect(parseNumber('Infinity')).toBeNull();
  });
});

describe('isCompleteAnswer', () => {
  it('wants every gap filled, every item matched and at least one option chosen', () => {
    expect(isCompleteAnswer(kExercises.numeric, null)).toBe(false);
    expect(isCompleteAnswer(kExercises.numeric, 0)).toBe(true);
    expect(isCompleteAnswer(kExercises.trueFalse, false)).toBe(true);
    expect(isCompleteAnswer(kExercises.cloze, ['2', ' ', 'city'])).toBe(false);
    expect(isCompleteAnswer(kExercises.cloze, ['2', 'Paris', 'city'])).toBe(true);
    expect(isCompleteAnswer(kExercises.matching, { l1: 'r1' })).toBe(false);
    expect(isCompleteAnswer(kExercises.matching, { l1: 'r1', l2: 'r2' })).toBe(true);
    expect(isCompleteAnswer(kExercises.multiple, [])).toBe(false);
    expect(isCompleteAnswer(kExercises.multiple, ['a'])).toBe(true);
    expect(isCompleteAnswer(kExercises.ordering, initialAnswer(kExercises.ordering))).toBe(true);
  });
});
