// atMost / atLeast: least() and greatest() as CASE expressions (core/sql/clamp.ts), in DuckDB-WASM.
import { describe, expect, it } from 'vitest';
import { atLeast, atMost } from '../../src/core/sql/clamp';
import { openTestDatabase } from './helpers/duckdb';

describe('clamping without least/greatest', () => {
  it('clamps at the limit, keeps values on the right side of it, NULL stays NULL', async () => {
    const db = await openTestDatabase();
    const rows = await db.rows<{ v: number | null; hi: number | null; lo: number | null; bin: number | null }>(
      `SELECT v, ${atMost('v', 7)} AS hi, ${atLeast('v', 0)} AS lo, ${atMost('v // 5 * 5', 10)} AS bin
       FROM (VALUES (-3), (0), (6), (7), (8), (14), (NULL)) AS t(v) ORDER BY v NULLS LAST`,
    );
    // By hand: min(v, 7), max(v, 0), min(trunc(v / 5) * 5, 10): DuckDB's integer // truncates towards zero.
    expect(rows).toEqual([
      { v: -3, hi: -3, lo: 0, bin: 0 },
      { v: 0, hi: 0, lo: 0, bin: 0 },
      { v: 6, hi: 6, lo: 6, bin: 5 },
      { v: 7, hi: 7, lo: 7, bin: 5 },
      { v: 8, hi: 7, lo: 8, bin: 5 },
      { v: 14, hi: 7, lo: 14, bin: 10 },
      { v: null, hi: null, lo: null, bin: null },
    ]);
  });
});
