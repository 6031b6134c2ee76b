import { describe, expect, it } from 'vitest';
import {
  addDays,
  isDate,
  kMaxRangeDays,
  lastDays,
  rangeDays,
  rangeErrors,
  todayUtc,
} from './dateRange';

describe('dateRange', () => {
  it("takes today in UTC, whatever the browser's time zone", () => {
    expect(todayUtc(new Date('2026-11-25T23:30:00-05:00'))).toBe('2026-11-26');
  });

  it('counts both ends: the last 90 days to 25 November start on 28 August', () => {
    expect(lastDays(90, '2026-11-25')).toEqual({ from: '2026-08-28', to: '2026-11-25' });
    expect(lastDays(7, '2026-03-02')).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(rangeDays({ from: '2026-08-28', to: '2026-11-25' })).toBe(90);
    expect(rangeDays({ from: '2026-11-25', to: '2026-11-25' })).toBe(1);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isDate('2026-11-25')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('25/11/2026')).toBe(false);
    expect(isDate('')).toBe(false);
  });

  it('puts a start after the end, or a range too long, on the start field', () => {
    expect(rangeErrors({ from: '2026-11-01', to: '2026-11-25' })).toEqual({});
    expect(rangeErrors({ from: '2026-11-25', to: '2026-11-25' })).toEqual({});
    expect(rangeErrors({ from: '2026-11-26', to: '2026-11-25' })).toEqual({
      from: 'The first day must be on or before the last day.',
    });
    expect(rangeErrors({ from: addDays('2026-11-25', -kMaxRangeDays), to: '2026-11-25' })).toEqual({
      from: 'The period can be at most 3660 days long.',
    });
    expect(rangeErrors({ from: '', to: 'nonsense' })).toEqual({
      from: 'Enter the first day as a date.',
      to: 'Enter the last day as a date.',
    });
  });
});
