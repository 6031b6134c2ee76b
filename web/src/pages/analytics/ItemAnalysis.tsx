import { useState } from 'react';
import type { ItemStatistics } from '../../api/analytics';
import { plural } from '../../lib/plural';
import { ItemScatter } from './charts';
import { formatCount, formatDuration, formatIndex, formatPercent } from './format';
import { ChartFigure } from './ReportSection';
import { Missing, SortableTable, type Column } from './SortableTable';

/** Why the items report has nothing to show, or null when it has. */
export function itemsEmpty(items: ItemStatistics[]): string | null {
  if (items.length === 0) return 'This course has no exercises.';
  if (items.every((item) => item.attempts === 0)) {
    return 'No learner answered an exercise of this course in this period.';
  }
  return null;
}

/** The exercises the scatter can place: those with both statistics. */
export function plottableItems(items: ItemStatistics[]): ItemStatistics[] {
  return items.filter((item) => item.facility !== null && item.discrimination !== null);
}

function statistic(value: number | null, format: (value: number) => string) {
  return value === null ? <Missing /> : format(value);
}

function itemColumns(lessonTitle: (slug: string) => string): Column<ItemStatistics>[] {
  return [
    {
      key: 'exercise',
      label: 'Exercise',
      rowHeader: true,
      sortValue: (item) => item.ref,
      cell: (item) => (
        <>
          <code className="item-ref">{item.ref}</code>
          {item.prompt && <span className="item-prompt">{item.prompt}</span>}
        </>
      ),
    },
    {
      key: 'lesson',
      label: 'Lesson',
      sortValue: (item) => lessonTitle(item.lesson),
      cell: (item) => lessonTitle(item.lesson),
    },
    {
      key: 'type',
      label: 'Type',
      sortValue: (item) => item.type,
      cell: (item) => item.type.replaceAll('_', ' '),
    },
    {
      key: 'attempts',
      label: 'Attempts',
      numeric: true,
      sortValue: (item) => item.attempts,
      cell: (item) => formatCount(item.attempts),
    },
    {
      key: 'learners',
      label: 'Learners',
      numeric: true,
      sortValue: (item) => item.learners,
      cell: (item) => formatCount(item.learners),
    },
    {
      key: 'facility',
      label: 'Facility',
      numeric: true,
      sortValue: (item) => item.facility,
      cell: (item) => statistic(item.facility, formatPercent),
    },
    {
      key: 'sd',
      label: 'SD',
      numeric: true,
      sortValue: (item) => item.sd,
      cell: (item) => statistic(item.sd, formatPercent),
    },
    {
      key: 'discrimination',
      label: 'Discrimination',
      numeric: true,
      sortValue: (item) => item.discrimination,
      cell: (item) => statistic(item.discrimination, formatIndex),
    },
    {
      key: 'time',
      label: 'Median time',
      numeric: true,
      sortValue: (item) => item.median_time_ms,
      cell: (item) => statistic(item.median_time_ms, formatDuration),
    },
    {
      key: 'wrong',
      label: 'Common wrong answers',
      cell: (item) =>
        item.common_wrong_answers.length === 0 ? (
          <span className="field-help">None</span>
        ) : (
          <ul className="wrong-answers">
            {item.common_wrong_answers.map((wrong) => (
              <li key={wrong.answer}>
                <code>{wrong.answer}</code> × {formatCount(wrong.count)}
              </li>
            ))}
          </ul>
        ),
    },
  ];
}

export interface ItemAnalysisProps {
  items: ItemStatistics[];
  /** A lesson's title from its slug. */
  lessonTitle: (slug: string) => string;
}

/** Facility against discrimination, one point per exercise, and the sortable table of items. */
export function ItemAnalysis({ items, lessonTitle }: ItemAnalysisProps) {
  const [showUnanswered, setShowUnanswered] = useState(false);
  const plotted = plottableItems(items);
  const answered = items.filter((item) => item.attempts > 0);
  const unanswered = items.length - answered.length;
  return (
    <>
      {plotted.length === 0 ? (
        <p className="empty">
          Too few first attempts yet to place any exercise by facility and discrimination.
        </p>
      ) : (
        <ChartFigure caption="Facility against discrimination, one point per exercise. Exercises low on both are the ones to look at first.">
          <ItemScatter
            items={plotted}
            label={`Scatter plot of ${plural(plotted.length, 'exercise')}: facility (0 to 100 %) across, discrimination (−100 to 100) up. The table below gives the numbers.`}
          />
        </ChartFigure>
      )}
      <p className="items-count">
        {answered.length} of {plural(items.length, 'exercise')} answered in this period.
        {unanswered > 0 && (
          <label>
            <input
              type="checkbox"
              checked={showUnanswered}
              onChange={(event) => setShowUnanswered(event.target.checked)}
            />{' '}
            Also list the {plural(unanswered, 'exercise')} without attempts
          </label>
        )}
      </p>
      <SortableTable
        caption="Exercises"
        className="items-table"
        columns={itemColumns(lessonTitle)}
        rows={showUnanswered ? items : answered}
        rowKey={(item) => item.ref}
        initialSort={{ column: 'facility', direction: 'ascending' }}
      />
    </>
  );
}
