// The date bounds (quality.ts dateBoundsSql) find the 1st and 99th percentile dates without
// quantile_disc's buffer of every date; they must be exactly quantile_disc's (the reference,
// DuckDB's own aggregate), whatever the count, ties and NULLs.
import { describe, expect, it } from 'vitest';
import { dateBoundsSql } from '../../src/core/sql/quality';
import { openTestDatabase } from './helpers/duckdb';

const db = await openTestDatabase();

async function compare(valuesSql: string) {
  await db.exec(`CREATE OR REPLACE TABLE staged AS ${valuesSql}`);
  await db.exec(dateBoundsSql());
  const [ours] = await db.rows<{ lo: number | null; hi: number | null }>(`SELECT lo, hi FROM date_bounds`);
  const [reference] = await db.rows<{ lo: number | null; hi: number | null }>(
    `SELECT q[1] - INTERVAL 3650 DAY AS lo, q[2] + INTERVAL 365 DAY AS hi FROM (SELECT quantile_disc("__ts", [0.01, 0.99]) AS q FROM staged WHERE "__ts" IS NOT NULL)`,
  );
  return { ours, reference };
}

describe('date bounds', () => {
  // Counts around the multiples of 100 where the index formula turns, and larger ones.
  for (const n of [1, 2, 3, 10, 99, 100, 101, 199, 200, 201, 1000, 12_345]) {
    it(`equal quantile_disc for ${n} dates with ties and NULLs`, async () => {
      // Pseudo-random times over ~40 days (many per day, some identical), every 7th NULL.
      const { ours, reference } = await compare(
        `SELECT CASE WHEN i % 7 = 3 THEN NULL ELSE TIMESTAMP '2024-01-01' + INTERVAL (((i * 7919) % 3500) * 997) SECOND END AS "__ts"
         FROM range(${n}) r(i)`,
      );
      expect(reference.lo).not.toBeUndefined();
      expect(ours).toEqual(reference);
    });
  }

  it('are NULL without dates', async () => {
    const { ours, reference } = await compare(`SELECT CAST(NULL AS TIMESTAMP) AS "__ts" FROM range(5)`);
    expect(ours).toEqual({ lo: null, hi: null });
    expect(reference).toEqual({ lo: null, hi: null });
  });

  it('put the bounds 10 years before the 1st and 1 year after the 99th percentile (by hand)', async () => {
    // 100 days 2024-01-01 .. 2024-04-09: the 1st percentile is the 1st day, the 99th the 99th.
    await db.exec(`CREATE OR REPLACE TABLE staged AS SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) DAY AS "__ts" FROM range(100) r(i)`);
    await db.exec(dateBoundsSql());
    const [b] = await db.rows<{ lo: string; hi: string }>(`SELECT CAST(lo AS VARCHAR) AS lo, CAST(hi AS VARCHAR) AS hi FROM date_bounds`);
    // 2024-01-01 − 3650 days (2016 and 2020 have 29 February) = 2014-01-03; day index 98 = 2024-04-08, + 365 days.
    expect(b).toEqual({ lo: '2014-01-03 00:00:00', hi: '2025-04-08 00:00:00' });
  });
});
