// KPI trends and inter-purchase times over the hand-built fixture of cohort-fixture.ts. Every expected
// number is worked out by hand from the definitions of issue #4 (working in the comments).
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers/duckdb';
import type { Database } from '../../src/engine/database';
import { cleanTx, MONTHS, type Row } from './cohort-fixture';
import { interPurchaseHistogramSql, interPurchaseSummarySql, kpiTrendSql, type KpiTrendOptions } from '../../src/core/sql/kpi-trends';

// Orders of the fixture (net, + = positive):
//   A1 01-31 100+  A2 02-01 50+  A3 04-15 30+ | B1 01-15 −20  B2 02-10 80+  B3 02-20 −30
//   C1 01-05 200+  C2 03-05 −50 | D1 02-05 −40 (D never buys) | E1 02-28 60+  E2 04-30 10+
//   F1 03-31 0 (not a purchase)  F2 04-01 25+ | G1 01-20 10+
interface TrendRow {
  period: string;
  active_customers: number;
  new_customers: number;
  returning_customers: number;
  orders: number;
  revenue: number;
  aov: number | null;
  customers_to_date: number;
  repeat_customers_to_date: number;
  repeat_rate: number | null;
  churn_base: number;
  churned: number;
  churn_rate: number | null;
}

let db: Database;
const trend = (o: Partial<KpiTrendOptions>) => db.rows<TrendRow>(kpiTrendSql({ grain: 'month', churnWindow: 1, ...o }));

beforeAll(async () => {
  db = await openTestDatabase();
  await cleanTx(db, MONTHS);
});

function close(actual: number | null, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 12);
}

describe('KPI trends per month', () => {
  it('counts active, new, returning, orders, revenue and AOV', async () => {
    const rows = await trend({});
    // Jan: positive A1 C1 G1 (all first orders); revenue 100 − 20 + 200 + 10 = 290.
    // Feb: positive A2 B2 E1; new B, E; revenue 50 + 80 − 30 − 40 + 60 = 120.
    // Mar: no positive order (C2 −50, F1 0): an empty period; revenue −50.
    // Apr: positive A3 F2 E2; new F; revenue 30 + 25 + 10 = 65.
    expect(rows.map((r) => [r.period, r.active_customers, r.new_customers, r.returning_customers, r.orders])).toEqual([
      ['2024-01', 3, 3, 0, 3],
      ['2024-02', 3, 2, 1, 3],
      ['2024-03', 0, 0, 0, 0],
      ['2024-04', 3, 1, 2, 3],
    ]);
    [290, 120, -50, 65].forEach((v, i) => close(rows[i].revenue, v));
    [290 / 3, 40, null, 65 / 3].forEach((v, i) => close(rows[i].aov, v));
  });

  it('repeat-purchase rate = customers with a second positive order so far / customers so far', async () => {
    const rows = await trend({});
    // Second positive orders: A2 (Feb), E2 (Apr). Customers so far: 3, 5, 5, 6.
    expect(rows.map((r) => [r.customers_to_date, r.repeat_customers_to_date])).toEqual([
      [3, 0],
      [5, 1],
      [5, 1],
      [6, 2],
    ]);
    [0, 0.2, 0.2, 2 / 6].forEach((v, i) => close(rows[i].repeat_rate, v));
  });

  it('churn rate over the previous N periods', async () => {
    // N = 1: Jan has no previous month (NULL); Feb: of Jan's {A, C, G}, C and G are not active → 2/3;
    // Mar: of Feb's {A, B, E} nobody is active → 3/3; Apr: nobody was active in March → NULL.
    const one = await trend({ churnWindow: 1 });
    expect(one.map((r) => [r.churn_base, r.churned])).toEqual([
      [0, 0],
      [3, 2],
      [3, 3],
      [0, 0],
    ]);
    [null, 2 / 3, 1, null].forEach((v, i) => close(one[i].churn_rate, v));
    // N = 2: Jan, Feb NULL (window incomplete); Mar: {A, B, C, E, G} all inactive → 1;
    // Apr: Feb–Mar {A, B, E}, A and E active in April → 1/3.
    const two = await trend({ churnWindow: 2 });
    [null, null, 1, 1 / 3].forEach((v, i) => close(two[i].churn_rate, v));
    expect(two[3].churn_base).toBe(3);
  });

  it('restricts every figure to the filtered customers', async () => {
    // Acquired via web: A, E, G. Jan A1 G1 (110); Feb A2 E1 (110, new E); Mar nothing; Apr A3 E2 (40).
    const rows = await trend({ attribute: { column: 'channel', value: 'web' } });
    expect(rows.map((r) => [r.active_customers, r.new_customers, r.orders, r.revenue, r.customers_to_date, r.repeat_customers_to_date])).toEqual([
      [2, 2, 2, 110, 2, 0],
      [2, 1, 2, 110, 3, 1],
      [0, 0, 0, 0, 3, 1],
      [2, 0, 2, 40, 3, 2],
    ]);
    // Churn N = 1: Feb: G of {A, G} → 1/2; Mar: {A, E} → 1; Apr: nobody in March → NULL.
    [null, 0.5, 1, null].forEach((v, i) => close(rows[i].churn_rate, v));
  });

  it('labels quarters and rejects a window outside 1..52', async () => {
    const rows = await trend({ grain: 'quarter' });
    // Q1: positive A1 A2 B2 C1 E1 G1 (6 orders, 5 customers, all new); Q2: A3 E2 F2 (new F).
    expect(rows.map((r) => [r.period, r.active_customers, r.new_customers, r.orders])).toEqual([
      ['2024-Q1', 5, 5, 6],
      ['2024-Q2', 3, 1, 3],
    ]);
    expect(() => kpiTrendSql({ grain: 'month', churnWindow: 0 })).toThrow();
  });
});

describe('churn counts against a brute-force count in plain JS', () => {
  it('matches for windows of 1 to 4 months on a generated history', async () => {
    const genDb = await openTestDatabase();
    // 60 customers, each buying in a pseudo-random set of the 24 months of 2022–2023 (a fixed LCG).
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const rows: Row[] = [];
    const active = new Map<string, Set<number>>();
    for (let c = 0; c < 60; c++) {
      const months = new Set<number>();
      const rate = 0.05 + next() * 0.5;
      for (let m = 0; m < 24; m++) if (next() < rate) months.add(m);
      active.set(`K${c}`, months);
      for (const m of months) rows.push([`K${c}`, `K${c}-${m}`, `${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-15`, 10, null]);
    }
    rows.push(['Z', 'Z0', '2022-01-01', 1, null], ['Z', 'Z1', '2023-12-31', 1, null]); // the data spans all 24 months
    active.get('K0')!.add(0);
    active.set('Z', new Set([0, 23]));
    await cleanTx(genDb, rows);
    for (const n of [1, 2, 3, 4]) {
      const got = await genDb.rows<TrendRow>(kpiTrendSql({ grain: 'month', churnWindow: n }));
      const expected = Array.from({ length: 24 }, (_, p) => {
        let base = 0;
        let churned = 0;
        for (const months of active.values()) {
          let inWindow = false;
          for (let q = p - n; q < p; q++) if (months.has(q)) inWindow = true;
          if (!inWindow) continue;
          base++;
          if (!months.has(p)) churned++;
        }
        return [base, churned];
      });
      expect(got.map((r) => [r.churn_base, r.churned])).toEqual(expected);
    }
  });
});

describe('inter-purchase time', () => {
  // Gaps between consecutive positive orders: A 01-31→02-01 = 1, 02-01→04-15 = 29 + 31 + 14 = 74 (2024 is
  // a leap year); E 02-28→04-30 = 2 + 31 + 29 = 62. Sorted 1, 62, 74.
  it('median and 80th percentile (linear interpolation)', async () => {
    const [s] = await db.rows<Record<string, number>>(interPurchaseSummarySql());
    expect(s.gaps).toBe(3);
    expect(s.customers_with_repeat).toBe(2);
    expect(s.median_days).toBeCloseTo(62, 12);
    // Position 0.8 · (3 − 1) = 1.6 → 62 + 0.6 · (74 − 62) = 69.2.
    expect(s.p80_days).toBeCloseTo(69.2, 12);
    expect(s.max_days).toBe(74);
  });

  // The percentiles are read off a count per gap value; ties and the interpolation between two
  // different values across a tie are where that could go wrong.
  it('percentiles over tied gaps, by hand', async () => {
    const own = await openTestDatabase();
    // X: 01-01, 01-11, 01-21, 01-31, 02-10 → gaps 10, 10, 10, 10; Y: 01-01, 01-04, 03-04 → 3, 60 (2024: 31 + 29).
    await cleanTx(own, [
      ['X', 'X1', '2024-01-01', 1, 'web'], ['X', 'X2', '2024-01-11', 1, 'web'], ['X', 'X3', '2024-01-21', 1, 'web'],
      ['X', 'X4', '2024-01-31', 1, 'web'], ['X', 'X5', '2024-02-10', 1, 'web'],
      ['Y', 'Y1', '2024-01-01', 1, 'web'], ['Y', 'Y2', '2024-01-04', 1, 'web'], ['Y', 'Y3', '2024-03-04', 1, 'web'],
    ]);
    const [s] = await own.rows<Record<string, number>>(interPurchaseSummarySql());
    // Ranked: 3, 10, 10, 10, 10, 60 (n = 6). Median: h = 2.5 → ranks 2 and 3, both 10.
    // p80: h = 4 → rank 4 = 10. p95: h = 4.75 → 10 + 0.75 · (60 − 10) = 47.5.
    expect(s).toMatchObject({ gaps: 6, customers_with_repeat: 2, max_days: 60 });
    expect(s.median_days).toBeCloseTo(10, 12);
    expect(s.p80_days).toBeCloseTo(10, 12);
    expect(s.p95_days).toBeCloseTo(47.5, 12);
  });

  it("percentiles equal DuckDB's quantile_cont over 2,000 customers' gaps", async () => {
    const own = await openTestDatabase();
    const rows: Row[] = [];
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let c = 0; c < 2000; c++) {
      let day = Date.UTC(2022, 0, 1) + Math.floor(next() * 300) * 864e5;
      const orders = 1 + Math.floor(next() * 6);
      for (let o = 0; o < orders; o++) {
        rows.push([`C${c}`, `C${c}-${o}`, new Date(day).toISOString().slice(0, 10), 5, 'web']);
        // Many ties (weekly buyers), some same-day orders, a long tail.
        day += (next() < 0.3 ? 7 : next() < 0.1 ? 0 : Math.floor(next() ** 3 * 400)) * 864e5;
      }
    }
    await cleanTx(own, rows);
    const [s] = await own.rows<Record<string, number>>(interPurchaseSummarySql());
    const [ref] = await own.rows<Record<string, number>>(`SELECT CAST(count(gap) AS INTEGER) AS gaps,
      quantile_cont(gap, 0.5) AS median_days, quantile_cont(gap, 0.8) AS p80_days, quantile_cont(gap, 0.95) AS p95_days FROM positive_orders`);
    expect(ref.gaps).toBeGreaterThan(4000);
    expect(s.gaps).toBe(ref.gaps);
    for (const k of ['median_days', 'p80_days', 'p95_days']) expect(s[k]).toBeCloseTo(ref[k], 9);
  });

  it('histogram bins with an overflow bin', async () => {
    const rows = await db.rows(interPurchaseHistogramSql(30, 60));
    expect(rows).toEqual([
      { start_days: 0, gaps: 1, overflow: false },
      { start_days: 60, gaps: 2, overflow: true },
    ]);
    const wide = await db.rows(interPurchaseHistogramSql(30, 90));
    expect(wide).toEqual([
      { start_days: 0, gaps: 1, overflow: false },
      { start_days: 60, gaps: 2, overflow: false },
    ]);
  });

  it('nobody bought twice → NULL figures', async () => {
    const [s] = await db.rows<Record<string, number | null>>(interPurchaseSummarySql({ attribute: { column: 'channel', value: 'store' } }));
    // Acquired in store: B (one positive order), C (one), F (F2 only). No gaps.
    expect(s).toMatchObject({ gaps: 0, customers_with_repeat: 0, median_days: null, p80_days: null });
  });
});
