// Cohort tables over a hand-built clean_tx. Every expected number is worked out by hand from the
// definitions of issue #4 (working in the comments), not read off the code.
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers/duckdb';
import type { Database } from '../../src/engine/database';
import { cleanTx, MONTHS } from './cohort-fixture';
import { cohortTableSql, type CohortOptions } from '../../src/core/sql/cohort';
import { interPurchaseSummarySql } from '../../src/core/sql/kpi-trends';
import { resolveSegmentationOptions } from '../../src/core/segmentation-options';
import { schemeSegments, schemeSpec, UNASSIGNED_SEGMENT } from '../../src/core/segments';

interface CohortRow {
  cohort: string;
  cohort_start: number;
  period: number;
  cohort_size: number;
  active_customers: number;
  retention: number;
  revenue: number;
  cumulative_revenue_per_customer: number;
}

type Expected = [cohort: string, period: number, size: number, active: number, revenue: number, cumulativePerCustomer: number];

function expectTable(rows: CohortRow[], expected: Expected[]): void {
  expect(rows.map((r) => [r.cohort, r.period, r.cohort_size, r.active_customers])).toEqual(expected.map((e) => e.slice(0, 4)));
  rows.forEach((r, i) => {
    const [, , size, active, revenue, cum] = expected[i];
    expect(r.retention).toBeCloseTo(active / size, 12);
    expect(r.revenue).toBeCloseTo(revenue, 9);
    expect(r.cumulative_revenue_per_customer).toBeCloseTo(cum, 9);
  });
}

let db: Database;
const run = (o: Partial<CohortOptions>) => db.rows<CohortRow>(cohortTableSql({ grain: 'month', mode: 'exact', ...o }));

beforeAll(async () => {
  db = await openTestDatabase();
  await cleanTx(db, MONTHS);
});

describe('monthly cohorts', () => {
  // Cohorts: 2024-01 = {A (01-31), C (01-05), G (01-20)}; 2024-02 = {B (02-10), E (02-28)};
  // 2024-03 none (F's March order nets to 0); 2024-04 = {F}. D has no positive order.
  it('exact periods, with empty periods, boundary days and a first-order return', async () => {
    expectTable(await run({}), [
      // Jan: k0 A1 100 + C1 200 + G1 10 = 310 (3 active); k1 A2 50; k2 only C's return −50 (0 active);
      // k3 A3 30. Cumulative / 3: 310/3, 360/3, 310/3, 340/3.
      ['2024-01', 0, 3, 3, 310, 310 / 3],
      ['2024-01', 1, 3, 1, 50, 120],
      ['2024-01', 2, 3, 0, -50, 310 / 3],
      ['2024-01', 3, 3, 1, 30, 340 / 3],
      // Feb: k0 B2 80 − B3 30 + E1 60 = 110 (2 active; B1 in January is period −1, left out);
      // k1 March nothing (empty period); k2 E2 10. Cumulative / 2: 55, 55, 60.
      ['2024-02', 0, 2, 2, 110, 55],
      ['2024-02', 1, 2, 0, 0, 55],
      ['2024-02', 2, 2, 1, 10, 60],
      // Apr: F2 25 (F1 in March is period −1).
      ['2024-04', 0, 1, 1, 25, 25],
    ]);
  });

  it('"in this period or later" counts customers whose last active period is ≥ k', async () => {
    // Last active period: A 3, C 0, G 0 | B 0, E 2 | F 0. Revenue is the same as in exact mode.
    expectTable(await run({ mode: 'unbounded' }), [
      ['2024-01', 0, 3, 3, 310, 310 / 3],
      ['2024-01', 1, 3, 1, 50, 120],
      ['2024-01', 2, 3, 1, -50, 310 / 3],
      ['2024-01', 3, 3, 1, 30, 340 / 3],
      ['2024-02', 0, 2, 2, 110, 55],
      ['2024-02', 1, 2, 1, 0, 55],
      ['2024-02', 2, 2, 1, 10, 60],
      ['2024-04', 0, 1, 1, 25, 25],
    ]);
  });

  it('quarters: labels YYYY-Qn, and a return before the first purchase in the same quarter is period 0', async () => {
    // 2024-Q1 = {A, B, C, E, G}; 2024-Q2 = {F}. Q1 k0: 100 + 50 + (−20 + 80 − 30) + (200 − 50) + 60 + 10 = 400
    // (B1 is in B's cohort quarter, so k = 0); k1: A3 30 + E2 10 = 40, active A and E.
    // Q2 k0: F2 25 (F1, 03-31, is Q1 = period −1).
    expectTable(await run({ grain: 'quarter' }), [
      ['2024-Q1', 0, 5, 5, 400, 80],
      ['2024-Q1', 1, 5, 2, 40, 88],
      ['2024-Q2', 0, 1, 1, 25, 25],
    ]);
  });

  it('filters by the channel of the first purchase, all later orders included', async () => {
    // First positive order via web: A (A1), E (E1), G (G1). Not C, B (B2 store), F (F2 store).
    // Jan {A, G}: k0 110, k1 50, k2 0, k3 A3 30 (a store order of a web-acquired customer).
    expectTable(await run({ attribute: { column: 'channel', value: 'web' } }), [
      ['2024-01', 0, 2, 2, 110, 55],
      ['2024-01', 1, 2, 1, 50, 80],
      ['2024-01', 2, 2, 0, 0, 80],
      ['2024-01', 3, 2, 1, 30, 95],
      ['2024-02', 0, 1, 1, 60, 60],
      ['2024-02', 1, 1, 0, 0, 60],
      ['2024-02', 2, 1, 1, 10, 70],
    ]);
  });

  it('quotes filter values and attribute columns (no injection)', async () => {
    expect(await run({ attribute: { column: 'channel', value: "web' OR '1'='1" } })).toEqual([]);
    await db.exec(`CREATE OR REPLACE TABLE customer_attributes (customer_id VARCHAR, "tier ""x""; --" VARCHAR)`);
    await db.exec(`INSERT INTO customer_attributes VALUES ('A', 'gold'), ('E', 'gold'), ('C', 'silver')`);
    // Gold: A (Jan cohort, size 1) and E (Feb cohort). A: 100, 50, 0, 30 → cumulative 100, 150, 150, 180.
    expectTable(await run({ attribute: { column: 'tier "x"; --', value: 'gold' } }), [
      ['2024-01', 0, 1, 1, 100, 100],
      ['2024-01', 1, 1, 1, 50, 150],
      ['2024-01', 2, 1, 0, 0, 150],
      ['2024-01', 3, 1, 1, 30, 180],
      ['2024-02', 0, 1, 1, 60, 60],
      ['2024-02', 1, 1, 0, 0, 60],
      ['2024-02', 2, 1, 1, 10, 70],
    ]);
  });

  it('segment filters partition the cohorts', async () => {
    const options = resolveSegmentationOptions({ scheme: 'crm4', bins: 3 });
    const all = await run({});
    const segments = [...schemeSegments(schemeSpec(options)).map((s) => s.id), UNASSIGNED_SEGMENT.id];
    const sizes = new Map<string, number>();
    for (const id of segments) {
      for (const r of await run({ segment: { id, options } })) if (r.period === 0) sizes.set(r.cohort, (sizes.get(r.cohort) ?? 0) + r.cohort_size);
    }
    // The six scored customers fall in exactly one segment each: sizes add up to 3, 2, 1.
    expect(Object.fromEntries(sizes)).toEqual({ '2024-01': 3, '2024-02': 2, '2024-04': 1 });
    expect(await run({ segment: { id: 'no such segment', options } })).toEqual([]);
    expect(all.length).toBe(8);
  });
});

describe('no purchases', () => {
  it('gives an empty table (the view explains it) when nobody has a positive order', async () => {
    const returnsOnly = await openTestDatabase();
    await cleanTx(returnsOnly, [
      ['R', 'R1', '2024-01-10', -5, null],
      ['S', 'S1', '2024-02-10', 10, null],
      ['S', 'S1', '2024-02-10', -10, null],
    ]);
    expect(await returnsOnly.rows(cohortTableSql({ grain: 'month', mode: 'exact' }))).toEqual([]);
    expect(await returnsOnly.rows(cohortTableSql({ grain: 'week', mode: 'unbounded' }))).toEqual([]);
  });
});

describe('weekly cohorts (ISO weeks)', () => {
  let rows: CohortRow[];
  beforeAll(async () => {
    const weekDb = await openTestDatabase();
    await cleanTx(weekDb, [
      // 2020-12-31 (Thu) and 2021-01-03 (Sun) are ISO week 2020-W53; 2021-01-04 (Mon) is 2021-W01.
      ['X', 'X1', '2020-12-31', 10, null],
      ['X', 'X2', '2021-01-04', 20, null],
      ['Y', 'Y1', '2021-01-03', 5, null],
      ['Z', 'Z1', '2021-01-04', 7, null],
      ['Z', 'Z2', '2021-01-17', 3, null], // Sunday of 2021-W02: Z's period 1
      // 2019-12-30 (Mon) belongs to ISO year 2020: 2020-W01.
      ['W', 'W1', '2019-12-30', 1, null],
    ]);
    rows = await weekDb.rows<CohortRow>(cohortTableSql({ grain: 'week', mode: 'exact' }));
  });

  it('labels with the ISO year and week, up to the last week of the data', async () => {
    // Horizon: 2021-W02 (Monday 2021-01-11). W's cohort starts 2019-12-30: 378 days = 54 weeks → periods 0..54.
    expect([...new Set(rows.map((r) => r.cohort))]).toEqual(['2020-W01', '2020-W53', '2021-W01']);
    const w = rows.filter((r) => r.cohort === '2020-W01');
    expect(w.length).toBe(55);
    expect(w.filter((r) => r.active_customers > 0).map((r) => r.period)).toEqual([0]);
    expect(new Date(w[0].cohort_start).toISOString().slice(0, 10)).toBe('2019-12-30');
  });

  it('counts whole weeks across the year end', async () => {
    // 2020-W53 = {X, Y}: k0 10 + 5 (2 active), k1 X2 20, k2 nothing. 2021-W01 = {Z}: 7, then 3.
    expectTable(
      rows.filter((r) => r.cohort !== '2020-W01'),
      [
        ['2020-W53', 0, 2, 2, 15, 7.5],
        ['2020-W53', 1, 2, 1, 20, 17.5],
        ['2020-W53', 2, 2, 0, 0, 17.5],
        ['2021-W01', 0, 1, 1, 7, 7],
        ['2021-W01', 1, 1, 1, 3, 10],
      ],
    );
  });
});

describe('two orders of one customer on one day', () => {
  // H: orders H1 (70) and H2 (30) on 2024-01-10, H3 (5) on 2024-03-02. positive_orders numbers
  // same-day orders in no set order; whichever comes first, by hand: cohort 2024-01 of 1 customer,
  // k0 active 1 revenue 100, k1 active 0, k2 active 1 revenue 5 (cumulative 100, 100, 105); gaps
  // 0 (the second order on the same day) and 52 (01-10 → 03-02, 2024 a leap year); one repeat
  // customer. The same with the amounts swapped between the order ids (the other tie order).
  for (const [first, second] of [[70, 30], [30, 70]]) {
    it(`gives the same cohort and gaps (H1 ${first}, H2 ${second})`, async () => {
      const own = await openTestDatabase();
      await cleanTx(own, [
        ['H', 'H1', '2024-01-10', first, 'web'],
        ['H', 'H2', '2024-01-10', second, 'web'],
        ['H', 'H3', '2024-03-02', 5, 'web'],
      ]);
      expectTable(await own.rows<CohortRow>(cohortTableSql({ grain: 'month', mode: 'exact' })), [
        ['2024-01', 0, 1, 1, 100, 100],
        ['2024-01', 1, 1, 0, 0, 100],
        ['2024-01', 2, 1, 1, 5, 105],
      ]);
      const [gaps] = await own.rows<{ gaps: number; customers_with_repeat: number; median_days: number; max_days: number }>(interPurchaseSummarySql());
      expect(gaps).toMatchObject({ gaps: 2, customers_with_repeat: 1, median_days: 26, max_days: 52 });
    });
  }
});
