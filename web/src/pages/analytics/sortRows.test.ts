import { describe, expect, it } from 'vitest';
import { sortRows } from './sortRows';

interface Row {
  name: string;
  facility: number | null;
}

const kRows: Row[] = [
  { name: 'b', facility: 80 },
  { name: 'a', facility: null },
  { name: 'c', facility: 20 },
  { name: 'e', facility: 80 },
  { name: 'd', facility: null },
];

function names(rows: Row[]): string[] {
  return rows.map((row) => row.name);
}

describe('sortRows', () => {
  it('sorts numbers either way, keeping missing values last and ties in their given order', () => {
    expect(names(sortRows(kRows, (row) => row.facility, 'ascending'))).toEqual([
      'c',
      'b',
      'e',
      'a',
      'd',
    ]);
    expect(names(sortRows(kRows, (row) => row.facility, 'descending'))).toEqual([
      'b',
      'e',
      'c',
      'a',
      'd',
    ]);
  });

  it('sorts text naturally ("item 2" before "item 10") and leaves its input alone', () => {
    const rows = ['item 10', 'Item 2', 'item 1'].map((name) => ({ name, facility: 0 }));
    expect(names(sortRows(rows, (row) => row.name, 'ascending'))).toEqual([
      'item 1',
      'Item 2',
      'item 10',
    ]);
    expect(names(sortRows(rows, (row) => row.name, 'descending'))).toEqual([
      'item 10',
      'Item 2',
      'item 1',
    ]);
    expect(names(rows)).toEqual(['item 10', 'Item 2', 'item 1']);
  });

  it('keeps zero apart from missing', () => {
    const rows = [
      { name: 'missing', facility: null },
      { name: 'zero', facility: 0 },
    ];
    expect(names(sortRows(rows, (row) => row.facility, 'descending'))).toEqual(['zero', 'missing']);
  });
});
