import { describe, expect, it } from 'vitest';
import { percent, streakText, suggestedRating, triesLeft, verdictOf } from './verdict';

describe('verdict', () => {
  it('words a score: correct, partly right or incorrect, with the penalised percentage', () => {
    expect(verdictOf({ correct: true, raw_score: 1, score: 0.9 })).toEqual({
      tone: 'correct',
      title: 'Correct',
      score: '90 %',
    });
    expect(verdictOf({ correct: false, raw_score: 2 / 3, score: 2 / 3 }).title).toBe(
      'Partly right',
    );
    expect(verdictOf({ correct: false, raw_score: 2 / 3, score: 2 / 3 }).score).toBe('67 %');
    expect(verdictOf({ correct: false, raw_score: 0, score: 0 }).title).toBe('Incorrect');
  });

  it('rounds percentages, and never shows a little as nothing', () => {
    expect(percent(0)).toBe('0 %');
    expect(percent(0.004)).toBe('<1 %');
    expect(percent(0.057)).toBe('6 %');
    expect(percent(1.2)).toBe('100 %');
  });

  it('counts tries left, and says nothing when they are unlimited', () => {
    expect(triesLeft(null)).toBeNull();
    expect(triesLeft(2)).toBe('2 tries left');
    expect(triesLeft(1)).toBe('1 try left');
    expect(triesLeft(0)).toBe('No tries left');
  });

  it('suggests a review rating and words a streak', () => {
    expect(suggestedRating(false)).toBe('again');
    expect(suggestedRating(true)).toBe('good');
    expect(streakText(3)).toBe('3-day streak');
    expect(streakText(0)).toBeNull();
  });
});
