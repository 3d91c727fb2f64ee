import { describe, expect, it } from 'vitest';
import { sortRows } from '../../../src/core/models/columns';

describe('sortRows', () => {
  // Keys: x (whole), T (fractional, weeks), tx. Expected order written out by hand.
  const x = [2, 0, 2, 1, 2, 0];
  const T = [3.5, 1.25, 3.5, 10 / 7, 0.5, 1.25];
  const tx = [1.5, 0, 0.25, 1, 0.5, 0];

  it('orders row indices by the first key, then the next on ties', () => {
    const rows = Uint32Array.from([0, 1, 2, 3, 4, 5]);
    // x = 0: rows 1 and 5 (equal on every key: kept as a tie, either order); x = 1: row 3;
    // x = 2: row 4 (T 0.5), then rows 2 and 0 (T 3.5; tx 0.25 before 1.5).
    const sorted = [...sortRows(rows, [x, T, tx])];
    expect(sorted.slice(0, 2).sort()).toEqual([1, 5]);
    expect(sorted.slice(2)).toEqual([3, 4, 2, 0]);
  });

  it('sorts a plain array of indices in place and returns it', () => {
    const rows = [5, 4, 3, 2, 1, 0];
    expect(sortRows(rows, [T])).toBe(rows);
    expect(rows.map((i) => T[i])).toEqual([0.5, 1.25, 1.25, 10 / 7, 3.5, 3.5]);
  });

  it('leaves rows already in order as they are (ties included)', () => {
    const rows = Uint32Array.from([1, 5, 3, 4, 2, 0]);
    expect([...sortRows(rows, [x, T, tx])]).toEqual([1, 5, 3, 4, 2, 0]);
    expect([...sortRows(Uint32Array.from([5, 1]), [x, T, tx])]).toEqual([5, 1]);
  });

  it('handles no rows and one row', () => {
    expect([...sortRows(new Uint32Array(0), [x])]).toEqual([]);
    expect(sortRows([3], [x])).toEqual([3]);
  });
});
