// RFM / ABC / lifecycle over a hand-built clean_tx. Every expected number below is worked out by
// hand from the definitions of issue #3 (the working is in the comments), not read off the code.
import type { CustomerRow } from '../../../src/engine/analyses/segmentation';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/duckdb';
import { byId, createCleanTx, isoDay, type TxRow } from './fixture';
import type { Database } from '../../../src/engine/database';
import { asOfSql, customerSummarySql, unscoredCustomersSql } from '../../../src/core/sql/customers';
import {
  createCustomerRfmTableSql,
  medianInterPurchaseSql,
  rfmCode,
  segmentSummarySql,
  segmentationSql,
  SEGMENTATION_COLUMNS,
  suggestLifecycleWindows,
} from '../../../src/core/sql/rfm';

// as_of (default) = day after the last transaction (2024-12-31) = 2025-01-01.
// Useful day counts to 2025-01-01: 2024-12-31 → 1, 2024-12-20 → 12, 2024-10-03 → 90, 2024-10-02 → 91,
// 2024-07-05 → 180, 2024-07-04 → 181, 2024-06-01 → 214, 2024-03-01 → 306, 2024-01-10 → 357.
const MAIN: TxRow[] = [
  // A: order A1 has two lines (100 + 50 = 150) and counts once; A2 200; A3 100.
  ['A', 'A1', '2024-12-31', 100],
  ['A', 'A1', '2024-12-31', 50],
  ['A', 'A2', '2024-11-01', 200],
  ['A', 'A3', '2024-06-01', 100],
  // B: a purchase of 300 and a separate return order of −100: frequency 1, monetary 200.
  ['B', 'B1', '2024-10-03', 300],
  ['B', 'B2', '2024-10-20', -100],
  // C: only a return → not scored.
  ['C', 'C1', '2024-09-01', -50],
  // D: order D1 nets to 80 − 100 = −20 (not a purchase); D2 60 → monetary 40, last purchase 07-05.
  ['D', 'D1', '2024-08-01', 80],
  ['D', 'D1', '2024-08-01', -100],
  ['D', 'D2', '2024-07-05', 60],
  // E: no order column → customer-day ids repeat across lines: two orders (50 and 100).
  ['E', 'E|2024-07-04', '2024-07-04', 30],
  ['E', 'E|2024-07-04', '2024-07-04', 20],
  ['E', 'E|2024-03-01', '2024-03-01', 100],
  // F: 120 + 80.
  ['F', 'F1', '2024-10-02', 120],
  ['F', 'F2', '2024-01-10', 80],
  // G: 20 + 30; first purchase 91 days before as_of (just outside "new").
  ['G', 'G1', '2024-10-02', 20],
  ['G', 'G2', '2024-12-20', 30],
];

type SegRow = CustomerRow;

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
}, 60_000);

async function useData(rows: TxRow[]) {
  await createCleanTx(db, rows);
}

async function segRows(options: Parameters<typeof segmentationSql>[0], sql: Parameters<typeof segmentationSql>[1] = { source: 'inline' }) {
  return byId(await db.rows<SegRow>(`SELECT * FROM (${segmentationSql(options, sql)}) ORDER BY customer_id`));
}

describe('customer summary', () => {
  it('as_of defaults to the day after the last transaction date', async () => {
    await useData(MAIN);
    const [row] = await db.rows<{ as_of: number }>(asOfSql());
    expect(isoDay(row.as_of)).toBe('2025-01-01');
  });

  it('computes orders, returns, first/last purchase, recency, frequency, monetary, AOV', async () => {
    await useData(MAIN);
    const rows = byId(await db.rows<SegRow & { tenure_days: number }>(`SELECT * FROM (${customerSummarySql()}) ORDER BY customer_id`));
    expect(Object.keys(rows)).toEqual(['A', 'B', 'D', 'E', 'F', 'G']); // C (only a return) is not scored
    const got = (id: string) => {
      const r = rows[id];
      return [isoDay(r.first_purchase), isoDay(r.last_purchase), r.recency_days, r.frequency, r.monetary, r.avg_order_value, r.tenure_days];
    };
    expect(got('A')).toEqual(['2024-06-01', '2024-12-31', 1, 3, 450, 150, 214]);
    expect(got('B')).toEqual(['2024-10-03', '2024-10-03', 90, 1, 200, 200, 90]);
    expect(got('D')).toEqual(['2024-07-05', '2024-07-05', 180, 1, 40, 40, 180]);
    expect(got('E')).toEqual(['2024-03-01', '2024-07-04', 181, 2, 150, 75, 306]);
    expect(got('F')).toEqual(['2024-01-10', '2024-10-02', 91, 2, 200, 100, 357]);
    expect(got('G')).toEqual(['2024-10-02', '2024-12-20', 12, 2, 50, 25, 91]);
    // JS numbers, not BigInt/Decimal: the casts in SQL make Arrow hand out plain numbers.
    expect(typeof rows.A.frequency).toBe('number');
    expect(typeof rows.A.monetary).toBe('number');
  });

  it('counts customers without a positive order separately', async () => {
    await useData(MAIN);
    const [row] = await db.rows<{ customers: number; scored_customers: number; unscored_customers: number; as_of: number }>(
      unscoredCustomersSql(),
    );
    expect(row).toMatchObject({ customers: 7, scored_customers: 6, unscored_customers: 1 });
    expect(isoDay(row.as_of)).toBe('2025-01-01');
  });

  it('an explicit as_of later than the data shifts recency', async () => {
    await useData(MAIN);
    const rows = byId(await db.rows<SegRow>(customerSummarySql({ asOf: '2025-01-31' })));
    expect(rows.A.recency_days).toBe(31);
    expect(rows.E.recency_days).toBe(211);
  });

  it('an explicit as_of inside the data ignores transactions on or after it', async () => {
    await useData(MAIN);
    const rows = byId(await db.rows<SegRow>(customerSummarySql({ asOf: '2024-12-31' })));
    // A1 (2024-12-31) is dropped: A keeps A2 (11-01, 200) and A3 (06-01, 100).
    expect([isoDay(rows.A.last_purchase), rows.A.recency_days, rows.A.frequency, rows.A.monetary]).toEqual(['2024-11-01', 60, 2, 300]);
    expect(rows.G.recency_days).toBe(11);
  });
});

describe('segmentation (bins = 5, defaults)', () => {
  // Scores with n = 6 scored customers, score = ceil(5 · k / 6), k = customers ordered at or before (ties included):
  //  R (recency DESC): E 181 k1→1, D 180 k2→2, F 91 k3→3, B 90 k4→4, G 12 k5→5, A 1 k6→5
  //  F (frequency ASC): B,D = 1 share k2→2; E,F,G = 2 share k5→5; A = 3 k6→5
  //  M (monetary ASC): D 40 k1→1, G 50 k2→2, E 150 k3→3, B,F = 200 share k5→5, A 450 k6→5
  // ABC: order A 450, B 200, F 200 (tie: id asc), E 150, G 50, D 40; total 1090.
  //  cum_before: A 0, B .413, F .596, E 850/1090 = .780 → A; G 1000/1090 = .917 → B; D 1050/1090 = .963 → C
  // Lifecycle (90/90/180): B first purchase = as_of − 90 → new; G first = as_of − 91 and recency 12 → active;
  //  A recency 1 → active; F recency 91 → silent; D recency 180 → silent; E recency 181 → churned.
  // Classic eight: mean R = 20/6 = 3.33, mean F = 24/6 = 4, mean M = 21/6 = 3.5; high = strictly above.
  const expected: Record<string, [number, number, number, string, string, string, string]> = {
    A: [5, 5, 5, '555', 'A', 'active', 'important_value'], // R+ F+ M+
    B: [4, 2, 5, '425', 'A', 'new', 'important_development'], // R+ F− M+
    D: [2, 2, 1, '221', 'C', 'silent', 'general_winback'], // R− F− M−
    E: [1, 5, 3, '153', 'A', 'churned', 'general_retention'], // R− F+ M−
    F: [3, 5, 5, '355', 'A', 'silent', 'important_retention'], // R− F+ M+
    G: [5, 5, 2, '552', 'B', 'active', 'general_value'], // R+ F+ M−
  };

  it('produces exactly the documented columns', async () => {
    await useData(MAIN);
    const table = await db.query(segmentationSql({}, { source: 'inline' }));
    expect(table.schema.fields.map((f) => f.name)).toEqual([...SEGMENTATION_COLUMNS]);
    expect(table.numRows).toBe(6);
  });

  it('scores, codes, ABC classes, lifecycle stages and classic-eight segments (inline)', async () => {
    await useData(MAIN);
    const rows = await segRows({});
    for (const [id, [r, f, m, code, abc, stage, segment]] of Object.entries(expected)) {
      expect([id, rows[id].r_score, rows[id].f_score, rows[id].m_score, rows[id].rfm_code, rows[id].abc_class, rows[id].lifecycle, rows[id].segment]).toEqual([
        id, r, f, m, code, abc, stage, segment,
      ]);
    }
    expect(rows.C).toBeUndefined();
  });

  it('gives the same result from the temp table, and re-segments without rebuilding it', async () => {
    await useData(MAIN);
    await db.exec(createCustomerRfmTableSql());
    const rows = await segRows({}, {});
    for (const [id, [r, f, m, code, abc, stage, segment]] of Object.entries(expected)) {
      expect([rows[id].r_score, rows[id].f_score, rows[id].m_score, rows[id].rfm_code, rows[id].abc_class, rows[id].lifecycle, rows[id].segment]).toEqual([
        r, f, m, code, abc, stage, segment,
      ]);
    }
    // The temp table no longer needs clean_tx: drop it and re-segment with another scheme.
    await db.exec('DROP TABLE clean_tx');
    const crm4 = await segRows({ scheme: 'crm4' }, {});
    expect(Object.fromEntries(Object.values(crm4).map((r) => [r.customer_id, r.segment]))).toEqual({
      A: 'high_value_loyal', // R+ F+ M+
      B: 'potential_growth', // R+ F− M+
      D: 'low_value_silent', // R− F− M−
      E: 'other', // R− F+ M−
      F: 'churn_risk', // R− F+ M+
      G: 'other', // R+ F+ M−
    });
  });

  it('named grid (bins 5): R against (F+M)/2', async () => {
    await useData(MAIN);
    const rows = await segRows({ scheme: 'grid11' });
    expect(Object.fromEntries(Object.values(rows).map((r) => [r.customer_id, r.segment]))).toEqual({
      A: 'champions', // R5, FM 5
      B: 'loyal', // R4, FM 3.5
      D: 'hibernating', // R2, FM 1.5
      E: 'cant_lose', // R1, FM 4
      F: 'loyal', // R3, FM 5
      G: 'loyal', // R5, FM 3.5
    });
  });

  it('segment labels in a language', async () => {
    await useData(MAIN);
    const zh = await segRows({}, { source: 'inline', label: 'zh' });
    expect(zh.A.segment).toBe('重要价值客户');
    expect(zh.D.segment).toBe('一般挽留客户');
    const en = await segRows({ scheme: 'grid11' }, { source: 'inline', label: 'en' });
    expect(en.E.segment).toBe("Can't lose them");
  });

  it('segment summary: counts, shares, revenue, means, in scheme order', async () => {
    await useData(MAIN);
    const rows = await db.rows<Record<string, number | string>>(segmentSummarySql({ scheme: 'crm4' }, { source: 'inline' }));
    expect(rows.map((r) => r.segment)).toEqual(['high_value_loyal', 'potential_growth', 'churn_risk', 'low_value_silent', 'other']);
    const other = rows[4];
    // other = E (181 days, 2 orders, 150) + G (12 days, 2 orders, 50)
    expect(other.customers).toBe(2);
    expect(other.customer_share).toBeCloseTo(2 / 6, 12);
    expect(other.revenue).toBe(200);
    expect(other.revenue_share).toBeCloseTo(200 / 1090, 12);
    expect(other.avg_recency_days).toBe(96.5);
    expect(other.avg_frequency).toBe(2);
    expect(other.avg_monetary).toBe(100);
    expect(other.segment_order).toBe(5);
    expect(rows[0]).toMatchObject({ segment: 'high_value_loyal', customers: 1, revenue: 450 });
  });
});

describe('segmentation with other settings', () => {
  it('bins = 10 (more bins than distinct values) and the separated rfm_code', async () => {
    await useData(MAIN);
    const rows = await segRows({ bins: 10 });
    // ceil(10k/6): k 1..6 → 2, 4, 5, 7, 9, 10
    // R: E2 D4 F5 B7 G9 A10; F: B,D (k2) 4, E,F,G (k5) 9, A 10; M: D2 G4 E5 B,F(k5) 9 A10
    expect(Object.fromEntries(Object.values(rows).map((r) => [r.customer_id, r.rfm_code]))).toEqual({
      A: '10-10-10',
      B: '7-4-9',
      D: '4-4-2',
      E: '2-9-5',
      F: '5-9-9',
      G: '9-9-4',
    });
    expect(rfmCode(10, 4, 9, 10)).toBe('10-4-9');
    expect(rfmCode(5, 4, 3, 5)).toBe('543');
  });

  it('bins = 3 and the grid scaled to 3 levels', async () => {
    await useData(MAIN);
    const rows = await segRows({ bins: 3, scheme: 'grid11' });
    // ceil(3k/6) = ceil(k/2). R: E1 D1 F2 B2 G3 A3; F: B,D 1, E,F,G 3, A 3; M: D1 G1 E2 B,F 3 A3.
    // Grid levels for 3 bins: 1→1, 2→3, 3→5.
    const got = Object.fromEntries(Object.values(rows).map((r) => [r.customer_id, [r.rfm_code, r.segment]]));
    expect(got).toEqual({
      A: ['333', 'champions'], // R5, FM (5+5)/2
      B: ['213', 'loyal'], // R3, FM (1+5)/2 = 3
      D: ['111', 'lost'], // R1, FM 1
      E: ['132', 'cant_lose'], // R1, FM (5+3)/2 = 4
      F: ['233', 'loyal'], // R3, FM 5
      G: ['331', 'loyal'], // R5, FM (5+1)/2 = 3
    });
  });

  it('user thresholds instead of quantile bins', async () => {
    await useData(MAIN);
    const rows = await segRows({ thresholds: { r: [30, 90, 180], f: [2, 3, 5], m: [100, 200, 400] } });
    // R = 1 + #{cut ≥ recency}; F, M = 1 + #{cut ≤ value}
    expect(Object.fromEntries(Object.values(rows).map((r) => [r.customer_id, r.rfm_code]))).toEqual({
      A: '434', // 1 day; 3 orders; 450
      B: '313', // 90 days (≤ 90 and ≤ 180); 1; 200 (≥ 100, ≥ 200)
      D: '211', // 180; 1; 40
      E: '122', // 181; 2; 150
      F: '223', // 91; 2; 200
      G: '421', // 12; 2; 50
    });
  });

  it('lifecycle with an explicit as_of and custom windows', async () => {
    await useData(MAIN);
    const late = await segRows({ asOf: '2025-01-31' });
    // recency +30: A 31, B 120, D 210, E 211, F 121, G 42; first purchases all > 90 days ago.
    expect(Object.fromEntries(Object.values(late).map((r) => [r.customer_id, r.lifecycle]))).toEqual({
      A: 'active',
      B: 'silent',
      D: 'churned',
      E: 'churned',
      F: 'silent',
      G: 'active',
    });
    const custom = await segRows({ lifecycle: { newDays: 12, activeDays: 30, silentDays: 90 } });
    // Nobody's first purchase is within 12 days. A 1 and G 12 days → active (≤ 30); B 90 → silent (≤ 90);
    // F 91, D 180, E 181 → churned.
    expect(Object.fromEntries(Object.values(custom).map((r) => [r.customer_id, r.lifecycle]))).toEqual({
      A: 'active',
      B: 'silent',
      D: 'churned',
      E: 'churned',
      F: 'churned',
      G: 'active',
    });
  });

  it('ABC classes exactly at the 0.80 and 0.95 boundaries, ties by customer id', async () => {
    // monetary: p 50, q 15, r 15, s 15, t 5 (total 100); rows deliberately not in id order.
    await useData([
      ['s', 's1', '2024-05-01', 15],
      ['t', 't1', '2024-05-01', 5],
      ['q', 'q1', '2024-05-01', 15],
      ['p', 'p1', '2024-05-01', 50],
      ['r', 'r1', '2024-05-01', 15],
    ]);
    const rows = await segRows({});
    // cum_before: p 0, q .50, r .65, s .80 (not < .80 → B), t .95 (not < .95 → C)
    expect(Object.values(rows).map((r) => r.abc_class)).toEqual(['A', 'A', 'A', 'B', 'C']);
    const other = await segRows({ abc: { a: 0.5, b: 0.8 } });
    expect(Object.values(other).map((r) => r.abc_class)).toEqual(['A', 'B', 'B', 'C', 'C']);
  });

  it('a single customer gets the top score in every dimension', async () => {
    await useData([['solo', 'o1', '2024-05-01', 10]]);
    const rows = await segRows({});
    // n = 1: ceil(5 · 1/1) = 5. Every score equals its mean, so none is "high".
    expect(rows.solo).toMatchObject({ r_score: 5, f_score: 5, m_score: 5, rfm_code: '555', abc_class: 'A', lifecycle: 'new', segment: 'general_winback' });
  });

  it('all-equal customers share the top score', async () => {
    await useData([
      ['x', 'x1', '2024-05-01', 10],
      ['y', 'y1', '2024-05-01', 10],
      ['z', 'z1', '2024-05-01', 10],
    ]);
    const rows = await segRows({ scheme: 'grid11' });
    for (const id of ['x', 'y', 'z']) expect([rows[id].rfm_code, rows[id].segment]).toEqual(['555', 'champions']);
    // ABC: cum_before 0, 1/3, 2/3 → all A
    expect(Object.values(rows).map((r) => r.abc_class)).toEqual(['A', 'A', 'A']);
  });

  it('an order whose lines cancel out (0.1 + 0.2 − 0.3) is not a purchase despite floating-point residue', async () => {
    await useData([
      ['n', 'n1', '2024-05-01', 0.1],
      ['n', 'n1', '2024-05-01', 0.2],
      ['n', 'n1', '2024-05-01', -0.3],
      ['n', 'n2', '2024-04-01', 10],
    ]);
    const [row] = await db.rows<SegRow>(customerSummarySql());
    // as_of = 2024-05-02; the only purchase is n2 on 04-01 → 31 days.
    expect([row.frequency, isoDay(row.last_purchase), row.recency_days]).toEqual([1, '2024-04-01', 31]);
    expect(row.monetary).toBeCloseTo(10, 9);
  });

  it('data with only returns scores nobody', async () => {
    await useData([['c', 'c1', '2024-05-01', -10]]);
    expect(await db.rows(segmentationSql({}, { source: 'inline' }))).toEqual([]);
    const [row] = await db.rows(unscoredCustomersSql());
    expect(row).toMatchObject({ customers: 1, scored_customers: 0, unscored_customers: 1 });
  });
});

describe('inter-purchase time', () => {
  it('median days between consecutive positive orders', async () => {
    await useData(MAIN);
    // A: 06-01 → 11-01 153, 11-01 → 12-31 60; E: 03-01 → 07-04 125; F: 01-10 → 10-02 266; G: 10-02 → 12-20 79.
    // B and D have one positive order each. Sorted 60, 79, 125, 153, 266 → median 125.
    const [row] = await db.rows(medianInterPurchaseSql());
    expect(row).toEqual({ median_days: 125, gaps: 5, customers_with_repeat: 4 });
  });

  it('suggests windows from the median', () => {
    // active ≈ 2 gaps, silent ≈ 4 gaps, rounded up to weeks: 250 → 252, 500 → 504.
    expect(suggestLifecycleWindows(125)).toEqual({ newDays: 252, activeDays: 252, silentDays: 504 });
    expect(suggestLifecycleWindows(3)).toEqual({ newDays: 14, activeDays: 14, silentDays: 28 });
    expect(suggestLifecycleWindows(null)).toEqual({ newDays: 90, activeDays: 90, silentDays: 180 });
  });
});
