import type { ActivityInterval, ActivityPeriod } from '../../api/analytics';
import { plural } from '../../lib/plural';
import { ActivityChart } from './charts';
import { formatCount } from './format';
import { ChartFigure, NumbersTable } from './ReportSection';
import { SortableTable, type Column } from './SortableTable';

export const kIntervals: { value: ActivityInterval; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

export function activityEmpty(periods: ActivityPeriod[]): string | null {
  return periods.every((period) => period.learners === 0)
    ? 'No learner was active in this course in this period.'
    : null;
}

const kColumns: Column<ActivityPeriod>[] = [
  {
    key: 'start',
    label: 'Period from',
    rowHeader: true,
    sortValue: (period) => period.start,
    cell: (period) => period.start,
  },
  {
    key: 'learners',
    label: 'Active learners',
    numeric: true,
    sortValue: (period) => period.learners,
    cell: (period) => formatCount(period.learners),
  },
];

export interface IntervalSwitchProps {
  value: ActivityInterval;
  onChange: (interval: ActivityInterval) => void;
}

/** Day, week or month per bar: radio buttons, so arrow keys move between them. */
export function IntervalSwitch({ value, onChange }: IntervalSwitchProps) {
  return (
    <fieldset className="interval-switch">
      <legend>Learners per</legend>
      {kIntervals.map((interval) => (
        <label key={interval.value}>
          <input
            type="radio"
            name="activity-interval"
            value={interval.value}
            checked={value === interval.value}
            onChange={() => onChange(interval.value)}
          />{' '}
          {interval.label}
        </label>
      ))}
    </fieldset>
  );
}

export function LearnerActivity({
  periods,
  interval,
}: {
  periods: ActivityPeriod[];
  interval: ActivityInterval;
}) {
  const unit = kIntervals.find((entry) => entry.value === interval)?.label.toLowerCase() ?? 'week';
  return (
    <>
      <ChartFigure caption={`Distinct learners active in the course per ${unit}.`}>
        <ActivityChart
          periods={periods}
          label={`Bar chart of active learners per ${unit}, ${plural(periods.length, 'period')} from ${periods[0]?.start ?? ''}. The table under it gives the numbers.`}
        />
      </ChartFigure>
      <NumbersTable summary={`Active learners per ${unit} as a table`}>
        <SortableTable
          caption={`Active learners per ${unit}`}
          columns={kColumns}
          rows={periods}
          rowKey={(period) => period.start}
        />
      </NumbersTable>
    </>
  );
}
