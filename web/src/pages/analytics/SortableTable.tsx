import { useState, type ReactNode } from 'react';
import { sortRows, type SortDirection, type SortValue } from './sortRows';

export interface Column<T> {
  key: string;
  label: string;
  cell: (row: T) => ReactNode;
  /** What the column sorts by; a column without one does not sort. */
  sortValue?: (row: T) => SortValue;
  /** Numbers: right-aligned, and sorted largest first on the first click. */
  numeric?: boolean;
  /** The cell names its row (`<th scope="row">`). */
  rowHeader?: boolean;
}

export interface SortState {
  column: string;
  direction: SortDirection;
}

export interface SortableTableProps<T> {
  /** Names the table for assistive technology; the current order is added to it. */
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Without one, rows keep their given order until a header is pressed. */
  initialSort?: SortState;
  className?: string;
}

/**
 * A table whose column headers are buttons that sort by that column (again: the other way).
 * The sorted column's header carries aria-sort, and the caption says the order in words.
 */
export function SortableTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  className,
}: SortableTableProps<T>) {
  const [sort, setSort] = useState<SortState>(
    initialSort ?? { column: '', direction: 'ascending' },
  );
  const sortedBy = columns.find((column) => column.key === sort.column && column.sortValue);
  const shown = sortedBy?.sortValue ? sortRows(rows, sortedBy.sortValue, sort.direction) : rows;

  function sortBy(column: Column<T>) {
    setSort((current) =>
      current.column === column.key
        ? {
            column: column.key,
            direction: current.direction === 'ascending' ? 'descending' : 'ascending',
          }
        : { column: column.key, direction: column.numeric ? 'descending' : 'ascending' },
    );
  }

  return (
    <div className="table-scroll">
      <table className={className ? `data-table ${className}` : 'data-table'}>
        <caption className="visually-hidden">
          {caption}
          {sortedBy && `, sorted by ${sortedBy.label.toLowerCase()}, ${sort.direction}`}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const active = column.key === sortedBy?.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={active ? sort.direction : undefined}
                >
                  {column.sortValue ? (
                    <button type="button" className="sort-button" onClick={() => sortBy(column)}>
                      {column.label}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => {
                const className = column.numeric ? 'numeric' : undefined;
                return column.rowHeader ? (
                  <th key={column.key} scope="row" className={className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.key} className={className}>
                    {column.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A statistic the server could not compute (too few data): a dash, read out in words. */
export function Missing() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">not enough data</span>
    </>
  );
}
