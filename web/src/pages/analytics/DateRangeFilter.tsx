import { useRef, useState, type FormEvent } from 'react';
import { Field } from '../../forms/Field';
import {
  hasRangeErrors,
  isDate,
  kRangePresets,
  lastDays,
  rangeErrors,
  todayUtc,
  type DateRange,
} from './dateRange';

export interface DateRangeFilterProps {
  /** The period the dashboard shows. */
  value: DateRange;
  onChange: (range: DateRange) => void;
  /** Today in UTC (tests fix it). */
  today?: string;
}

/**
 * The dashboard's period: two date fields applied together, and presets for the last 7, 30, 90
 * and 365 days. A start after the end is said beside the start as soon as both are dates; other
 * mistakes (an empty field) once Apply is pressed.
 */
export function DateRangeFilter({ value, onChange, today = todayUtc() }: DateRangeFilterProps) {
  const [draft, setDraft] = useState(value);
  const [submitted, setSubmitted] = useState(false);
  const fromInput = useRef<HTMLInputElement>(null);
  const toInput = useRef<HTMLInputElement>(null);
  const errors = rangeErrors(draft);
  const shown = submitted || (isDate(draft.from) && isDate(draft.to)) ? errors : {};

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (errors.from) fromInput.current?.focus();
    else if (errors.to) toInput.current?.focus();
    if (!hasRangeErrors(errors)) onChange(draft);
  }

  function choose(range: DateRange) {
    setDraft(range);
    setSubmitted(false);
    onChange(range);
  }

  return (
    <form className="range-filter" aria-label="Period" noValidate onSubmit={apply}>
      <div className="range-fields">
        <Field label="From" errors={shown.from ? [shown.from] : undefined}>
          {(control) => (
            <input
              {...control}
              ref={fromInput}
              type="date"
              name="from"
              value={draft.from}
              max={today}
              onChange={(event) => setDraft({ ...draft, from: event.target.value })}
            />
          )}
        </Field>
        <Field label="To" errors={shown.to ? [shown.to] : undefined}>
          {(control) => (
            <input
              {...control}
              ref={toInput}
              type="date"
              name="to"
              value={draft.to}
              onChange={(event) => setDraft({ ...draft, to: event.target.value })}
            />
          )}
        </Field>
        <button type="submit" className="button">
          Apply
        </button>
      </div>
      <div className="range-presets" role="group" aria-label="Quick periods">
        {kRangePresets.map((days) => {
          const range = lastDays(days, today);
          const current = value.from === range.from && value.to === range.to;
          return (
            <button
              key={days}
              type="button"
              className="button button-small"
              aria-pressed={current}
              onClick={() => choose(range)}
            >
              Last {days} days
            </button>
          );
        })}
      </div>
    </form>
  );
}
