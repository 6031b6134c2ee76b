import type { FunnelStep } from '../../api/analytics';
import { plural } from '../../lib/plural';
import { FunnelChart } from './charts';
import { formatCount } from './format';
import { ChartFigure } from './ReportSection';
import { SortableTable, type Column } from './SortableTable';

export function funnelEmpty(lessons: FunnelStep[]): string | null {
  if (lessons.length === 0) return 'This course has no lessons.';
  if (lessons.every((step) => step.viewed === 0 && step.attempted === 0 && step.completed === 0)) {
    return 'No learner opened a lesson of this course in this period.';
  }
  return null;
}

function count(key: 'viewed' | 'attempted' | 'completed', label: string): Column<FunnelStep> {
  return {
    key,
    label,
    numeric: true,
    sortValue: (step) => step[key],
    cell: (step) => formatCount(step[key]),
  };
}

const kColumns: Column<FunnelStep>[] = [
  {
    key: 'lesson',
    label: 'Lesson',
    rowHeader: true,
    sortValue: (step) => step.title || step.lesson,
    cell: (step) => step.title || step.lesson,
  },
  count('viewed', 'Viewed'),
  count('attempted', 'Attempted'),
  count('completed', 'Completed'),
];

/** Per lesson, in course order: learners who opened it, tried an exercise, solved them all. */
export function LessonFunnel({ lessons }: { lessons: FunnelStep[] }) {
  return (
    <>
      <ChartFigure caption="Learners per lesson who viewed it, attempted one of its exercises, and completed it.">
        <FunnelChart
          lessons={lessons}
          label={`Bar chart of ${plural(lessons.length, 'lesson')}, three bars each: learners who viewed, attempted and completed it. The table below gives the numbers.`}
        />
      </ChartFigure>
      <SortableTable
        caption="Lesson funnel"
        columns={kColumns}
        rows={lessons}
        rowKey={(step) => step.lesson}
      />
    </>
  );
}
