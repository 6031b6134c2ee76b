// Sorting of the dashboard's tables: by any column, either way, missing values always last.

export type SortDirection = 'ascending' | 'descending';

/** A cell's value for sorting: null when the statistic is missing (too few data). */
export type SortValue = number | string | null;

/**
 * The rows ordered by `value`, a new array. Missing values go last in either direction (an
 * exercise nobody answered is never "the hardest"); equal values keep the rows' given order.
 */
export function sortRows<T>(
  rows: readonly T[],
  value: (row: T) => SortValue,
  direction: SortDirection,
): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((a, b) => {
      if (a.key === null || b.key === null) {
        return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
      }
      const order =
        typeof a.key === 'number' && typeof b.key === 'number'
          ? a.key - b.key
          : String(a.key).localeCompare(String(b.key), undefined, { numeric: true });
      return order === 0 ? a.index - b.index : sign * order;
    })
    .map(({ row }) => row);
}
