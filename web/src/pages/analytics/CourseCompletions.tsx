import type { CompletionDay, CompletionsReport } from '../../api/analytics';
import { plural } from '../../lib/plural';
import { CompletionsChart } from './charts';
import { formatCount } from './format';
import { ChartFigure, NumbersTable } from './ReportSection';
import { SortableTable, type Column } from './SortableTable';

export function completionsEmpty(report: CompletionsReport): string | null {
  if (report.exercises === 0) return 'This course has no exercises to complete.';
  if (report.completed_before === 0 && report.days.every((day) => day.completed === 0)) {
    return 'No learner has completed this course yet.';
  }
  return null;
}

const kColumns: Column<CompletionDay>[] = [
  {
    key: 'date',
    label: 'Day',
    rowHeader: true,
    sortValue: (day) => day.date,
    cell: (day) => day.date,
  },
  {
    key: 'completed',
    label: 'Completed that day',
    numeric: true,
    sortValue: (day) => day.completed,
    cell: (day) => formatCount(day.completed),
  },
  {
    key: 'cumulative',
    label: 'Completed by then',
    numeric: true,
    sortValue: (day) => day.cumulative,
    cell: (day) => formatCount(day.cumulative),
  },
];

/** Learners who have solved every exercise of the course, added up day by day. */
export function CourseCompletions({ report }: { report: CompletionsReport }) {
  const inRange = report.days.reduce((sum, day) => sum + day.completed, 0);
  const total = report.days[report.days.length - 1]?.cumulative ?? report.completed_before;
  return (
    <>
      <p>
        {plural(inRange, 'learner')} completed the course in this period, {formatCount(total)} in
        all ({formatCount(report.completed_before)} before it).
      </p>
      <ChartFigure caption="Learners who have completed the course (solved each of its exercises), cumulative by day.">
        <CompletionsChart
          days={report.days}
          label={`Line chart of learners who have completed the course, by day from ${report.from} to ${report.to}: from ${formatCount(report.completed_before)} to ${formatCount(total)}. The table under it gives the numbers.`}
        />
      </ChartFigure>
      <NumbersTable summary="Completions per day as a table">
        <SortableTable
          caption="Course completions per day"
          columns={kColumns}
          rows={report.days}
          rowKey={(day) => day.date}
        />
      </NumbersTable>
    </>
  );
}
