// The Segments analyses (src/engine/analyses/segmentation.ts) on real DuckDB-WASM over a
// hand-built clean_tx. Expected values are worked out by hand below, not read off the code.
import { cleanOrdersSql } from '../../../src/core/sql/quality';
import { createRequire } from 'node:module';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { openTestDatabase } from '../helpers/duckdb';
import { createCleanTx, isoDay, type TxRow } from './fixture';
import { type Database, recordedText } from '../../../src/engine/database';
import { defaultConfig, type AnalysisConfig } from '../../../src/core/config';
import type { SegmentationOptionsInput } from '../../../src/core/segmentation-options';
import { resolveSegmentationOptions } from '../../../src/core/segmentation-options';
import { parseCsv } from '../../../src/core/csv';
import { segmentationSql } from '../../../src/core/sql/rfm';
import type { AnalysisContext } from '../../../src/engine/analyses/context';
import {
  customerProfile,
  exportCustomers,
  exportSegmentSummary,
  PARETO_MAX_POINTS,
  resetSegmentationCache,
  segmentation,
  segmentCrossTab,
  segmentCustomers,
  suggestLifecycle,
} from '../../../src/engine/analyses/segmentation';
import { markClvTableChanged } from '../../../src/engine/analyses/clv-table';

const require = createRequire(import.meta.url);

// as_of = 2024-12-31 + 1 = 2025-01-01 (the same data as test/fixtures/segments-small.csv).
//   U1: O1 (200 + 100 on 12-30), O2 200 (11-15), O3 100 (06-01): F 3, M 600, recency 2, tenure 214
//   U2: O4 500 (12-01): F 1, M 500, recency 31, tenure 31
//   U3: O5 150 (08-01), O6 150 (09-01), return R6 −50 (09-10): F 2, M 250, recency 122, tenure 153
//   U4: O7 80 − 100 = −20 (not a purchase), O8 60 (05-01): F 1, M 40, recency 245, tenure 245
//   U5: only a return → not scored
//   U6: O10 40 (12-20), O11 40 (12-25): F 2, M 80, recency 7, tenure 12
//   U7: O12 100 (07-15), O13 150 (10-20): F 2, M 250 (ties U3), recency 73, tenure 170
//   U8: O14 20 (12-31): F 1, M 20, recency 1, tenure 1
// n = 7, score = ceil(5k/7), k = 1..7 → 1, 2, 3, 3, 4, 5, 5.
//   R (recency desc): U4 1, U3 2, U7 3, U2 3, U6 4, U1 5, U8 5
//   F: F=1 (U2, U4, U8) k3 → 3; F=2 (U3, U6, U7) k6 → 5; U1 → 5
//   M: U8 1, U4 2, U6 3, U3 = U7 (k5) 4, U2 5, U1 5
// Means: R 23/7, F 29/7, M 24/7 → high = R ≥ 4, F = 5, M ≥ 4.
// Classic eight: U1 important_value; U2 important_winback (R− F− M+); U3, U7 important_retention;
//   U4 general_winback; U6 general_value (R+ F+ M−); U8 general_development (R+ F− M−).
// ABC (total 1740; U3 before U7 by id): U1 0, U2 600, U3 1100, U7 1350 → A; U6 1600/1740 = .920 → B;
//   U4 1680/1740 = .966, U8 1720/1740 = .989 → C.
// Lifecycle 90/90/180: new (tenure ≤ 90) U2, U6, U8; U1 (2 days), U7 (73) active; U3 (122) silent; U4 (245) churned.
const ROWS: TxRow[] = [
  ['U1', 'O1', '2024-12-30', 200],
  ['U1', 'O1', '2024-12-30', 100],
  ['U1', 'O2', '2024-11-15', 200],
  ['U1', 'O3', '2024-06-01', 100],
  ['U2', 'O4', '2024-12-01', 500],
  ['U3', 'O5', '2024-08-01', 150],
  ['U3', 'O6', '2024-09-01', 150],
  ['U3', 'R6', '2024-09-10', -50],
  ['U4', 'O7', '2024-03-01', 80],
  ['U4', 'O7', '2024-03-01', -100],
  ['U4', 'O8', '2024-05-01', 60],
  ['U5', 'R9', '2024-10-01', -30],
  ['U6', 'O10', '2024-12-20', 40],
  ['U6', 'O11', '2024-12-25', 40],
  ['U7', 'O12', '2024-07-15', 100],
  ['U7', 'O13', '2024-10-20', 150],
  ['U8', 'O14', '2024-12-31', 20],
];
// Channels: U1 APP except O2 (WEB 200 vs APP 400 → APP); U7 STORE 100, WEB 150 → WEB; U3 STORE; U2, U4 WEB;
// U6, U8 APP. Main channel per customer = the one with the largest net amount.
const CHANNEL: Record<string, string> = { O1: 'APP', O2: 'WEB', O3: 'APP', O4: 'WEB', O5: 'STORE', O6: 'STORE', R6: 'STORE', O7: 'WEB', O8: 'WEB', R9: 'APP', O10: 'APP', O11: 'APP', O12: 'STORE', O13: 'WEB', O14: 'APP' };

let db: Database;
let version = 0;

beforeAll(async () => {
  db = await openTestDatabase();
}, 60_000);

async function useData(rows: TxRow[], channels: Record<string, string> = {}) {
  await createCleanTx(db, rows);
  for (const [order, channel] of Object.entries(channels)) await db.exec(`UPDATE clean_tx SET channel = '${channel}' WHERE order_id = '${order}'`);
  await dropRelation('customer_attributes');
  await db.exec(`CREATE VIEW customer_attributes AS SELECT CAST(NULL AS VARCHAR) AS customer_id WHERE false`);
  await db.exec('DROP TABLE IF EXISTS customer_clv');
  version++;
}

/** DuckDB refuses DROP TABLE on a view and vice versa. */
async function dropRelation(name: string) {
  for (const kind of ['TABLE', 'VIEW']) await db.exec(`DROP ${kind} IF EXISTS ${name}`).catch(() => undefined);
}

function ctx(segmentation: SegmentationOptionsInput = {}, extra: Partial<AnalysisContext> = {}): AnalysisContext {
  const config: AnalysisConfig = { ...defaultConfig(), segmentation: resolveSegmentationOptions(segmentation) };
  return { db, config, progress: () => {}, isCancelled: () => false, ...extra };
}

const byCustomer = <T extends { customer_id: string }>(rows: T[]) => Object.fromEntries(rows.map((r) => [r.customer_id, r]));

describe('segmentation (overview, ABC, lifecycle, heatmap, distributions, Pareto)', () => {
  beforeEach(async () => useData(ROWS, CHANNEL));

  it('counts, as_of and the classic eight with shares and means', async () => {
    const r = await segmentation(ctx(), { datasetVersion: version });
    expect(isoDay(r.asOf)).toBe('2025-01-01');
    expect([r.customers, r.scored, r.unscored, r.revenue, r.levels]).toEqual([8, 7, 1, 1740, 5]);
    expect(r.means!.r).toBeCloseTo(23 / 7, 12);
    expect(r.means!.f).toBeCloseTo(29 / 7, 12);
    expect(r.means!.m).toBeCloseTo(24 / 7, 12);
    // Scheme order, empty segments absent.
    expect(r.segments.map((s) => [s.segment, s.customers, s.revenue])).toEqual([
      ['important_value', 1, 600],
      ['important_retention', 2, 500],
      ['important_winback', 1, 500],
      ['general_value', 1, 80],
      ['general_development', 1, 20],
      ['general_winback', 1, 40],
    ]);
    const retention = r.segments.find((s) => s.segment === 'important_retention')!;
    // U3 (R2 F5 M4, 122 days) and U7 (R3 F5 M4, 73 days)
    expect(retention.customer_share).toBeCloseTo(2 / 7, 12);
    expect(retention.revenue_share).toBeCloseTo(500 / 1740, 12);
    expect([retention.mean_r, retention.mean_f, retention.mean_m]).toEqual([2.5, 5, 4]);
    expect([retention.avg_recency_days, retention.avg_frequency, retention.avg_monetary]).toEqual([97.5, 2, 250]);
  });

  it('ABC classes and lifecycle stages', async () => {
    const r = await segmentation(ctx(), { datasetVersion: version });
    expect(r.abc.map((g) => [g.id, g.customers, g.revenue])).toEqual([
      ['A', 4, 1600],
      ['B', 1, 80],
      ['C', 2, 60],
    ]);
    expect(r.lifecycle.map((g) => [g.id, g.customers])).toEqual([
      ['new', 3],
      ['active', 2],
      ['silent', 1],
      ['churned', 1],
    ]);
    // Class A = 4 of 7 customers, 1600 of 1740.
    expect(r.pareto.classA!.customerShare).toBeCloseTo(4 / 7, 12);
    expect(r.pareto.classA!.revenueShare).toBeCloseTo(1600 / 1740, 12);
  });

  it('R×F heatmap with mean monetary, and score distributions with value ranges', async () => {
    const r = await segmentation(ctx(), { datasetVersion: version });
    // (R, F): U4 (1,3) 40; U3 (2,5) 250; U7 (3,5) 250; U2 (3,3) 500; U6 (4,5) 80; U1 (5,5) 600; U8 (5,3) 20
    expect(r.heatmap.map((c) => [c.r_score, c.f_score, c.customers, c.mean_monetary])).toEqual([
      [1, 3, 1, 40],
      [2, 5, 1, 250],
      [3, 3, 1, 500],
      [3, 5, 1, 250],
      [4, 5, 1, 80],
      [5, 3, 1, 20],
      [5, 5, 1, 600],
    ]);
    const dist = (dim: string) => r.distributions.filter((d) => d.dim === dim).map((d) => [d.score, d.customers, d.min_value, d.max_value]);
    expect(dist('r')).toEqual([
      [1, 1, 245, 245],
      [2, 1, 122, 122],
      [3, 2, 31, 73],
      [4, 1, 7, 7],
      [5, 2, 1, 2],
    ]);
    expect(dist('f')).toEqual([
      [3, 3, 1, 1],
      [5, 4, 2, 3],
    ]);
    expect(dist('m')).toEqual([
      [1, 1, 20, 20],
      [2, 1, 40, 40],
      [3, 1, 80, 80],
      [4, 2, 250, 250],
      [5, 2, 500, 600],
    ]);
  });

  it('Pareto curve: cumulative shares in ABC order, and the top 20%', async () => {
    const r = await segmentation(ctx(), { datasetVersion: version });
    // U1 600, U2 500, U3 250, U7 250, U6 80, U4 40, U8 20 (of 1740)
    const cum = [600, 1100, 1350, 1600, 1680, 1720, 1740];
    expect(r.pareto.points).toHaveLength(8);
    expect(r.pareto.points[0]).toEqual({ x: 0, y: 0 });
    r.pareto.points.slice(1).forEach((p, i) => {
      expect(p.x).toBeCloseTo((i + 1) / 7, 12);
      expect(p.y).toBeCloseTo(cum[i] / 1740, 12);
    });
    // Top 20% of 7 customers = ceil(1.4) = 2 customers: 1100 / 1740.
    expect(r.pareto.top20!.customers).toBe(2);
    expect(r.pareto.top20!.revenueShare).toBeCloseTo(1100 / 1740, 12);
  });

  it('builds the per-customer table once; settings changes only re-segment', async () => {
    const first = await segmentation(ctx(), { datasetVersion: version });
    expect(first.timings).toMatchObject({ rebuiltBase: true, rebuiltSegments: true });
    const again = await segmentation(ctx(), { datasetVersion: version });
    expect(again.timings).toMatchObject({ rebuiltBase: false, rebuiltSegments: false });
    // Without clean_tx (it is only read when the data changes) a new scheme still works.
    await db.exec('ALTER TABLE clean_tx RENAME TO clean_tx_away');
    try {
      const crm4 = await segmentation(ctx({ scheme: 'crm4', bins: 3 }), { datasetVersion: version });
      expect(crm4.timings).toMatchObject({ rebuiltBase: false, rebuiltSegments: true });
      expect(crm4.levels).toBe(3);
      // Playbook edits do not re-segment.
      const edited = await segmentation(ctx({ scheme: 'crm4', bins: 3, strategyOverrides: { other: { en: 'x' } } }), { datasetVersion: version });
      expect(edited.timings.rebuiltSegments).toBe(false);
    } finally {
      await db.exec('ALTER TABLE clean_tx_away RENAME TO clean_tx');
    }
    // A new data version rebuilds.
    const next = await segmentation(ctx(), { datasetVersion: version + 1000 });
    expect(next.timings.rebuiltBase).toBe(true);
  });

  it('records a self-contained DuckDB script even when the metrics were reused ("Show SQL")', async () => {
    await segmentation(ctx(), { datasetVersion: version });
    db.startRecording();
    const again = await segmentation(ctx(), { datasetVersion: version });
    const statements = recordedText(db.stopRecording());
    expect(again.timings.rebuiltBase).toBe(false);
    expect(statements[0]).toMatch(/^-- .*\nCREATE OR REPLACE TEMP TABLE "customer_rfm"/);
    // Replayed on a fresh database holding the same clean_tx, the last statement lists the customers.
    const fresh = await openTestDatabase();
    await createCleanTx(fresh, ROWS);
    let last: Record<string, unknown>[] = [];
    for (const statement of statements) last = await fresh.rows(statement);
    expect(last.map((r) => [r.customer_id, r.rfm_code, r.segment])).toEqual([
      ['U1', '555', 'important_value'],
      ['U2', '335', 'important_winback'],
      ['U3', '254', 'important_retention'],
      ['U4', '132', 'general_winback'],
      ['U6', '453', 'general_value'],
      ['U7', '354', 'important_retention'],
      ['U8', '531', 'general_development'],
    ]);
  });

  it('an explicit as_of shifts recency and ignores later transactions', async () => {
    const r = await segmentation(ctx({ asOf: '2024-12-01' }), { datasetVersion: version });
    // Before 2024-12-01: U2 (12-01), U6, U8 have no purchase yet; U1 loses O1 → last 11-15.
    expect(isoDay(r.asOf)).toBe('2024-12-01');
    expect(r.scored).toBe(4); // U1, U3, U4, U7
    // U5's only row (a return, 2024-10-01) is before as_of: a customer of the period, not scored.
    expect([r.customers, r.unscored]).toEqual([5, 1]);
    const page = await segmentCustomers(ctx({ asOf: '2024-12-01' }), { datasetVersion: version, query: { sort: 'customer_id', descending: false } });
    expect(page.rows.map((c) => [c.customer_id, c.recency_days, c.frequency, c.monetary])).toEqual([
      ['U1', 16, 2, 300],
      ['U3', 91, 2, 250],
      ['U4', 214, 1, 40],
      ['U7', 42, 2, 250],
    ]);
  });

  it('counts the customers of the period when nobody has a purchase (returns only)', async () => {
    await useData([
      ['U1', 'R1', '2024-05-01', -50],
      ['U2', 'R2', '2024-05-03', -20],
      ['U2', 'R3', '2024-05-04', -5],
    ]);
    const r = await segmentation(ctx(), { datasetVersion: version });
    expect([r.customers, r.scored, r.unscored, r.revenue]).toEqual([2, 0, 2, 0]);
    expect(isoDay(r.asOf)).toBe('2024-05-05');
    expect(r.pareto).toEqual({ points: [], top20: null, classA: null });
  });

  it('rejects invalid settings with a message naming them', async () => {
    const bad = ctx();
    bad.config.segmentation = { ...bad.config.segmentation, bins: 12 };
    await expect(segmentation(bad, { datasetVersion: version })).rejects.toThrow(/bins must be a whole number from 3 to 10, got 12/);
  });
});

describe('cross-tab, explorer, profile', () => {
  beforeAll(async () => useData(ROWS, CHANNEL));

  it('segments × main channel (largest net spend), and a customer-file attribute', async () => {
    const r = await segmentation(ctx(), { datasetVersion: version });
    expect(r.attributes.map((a) => a.ref)).toEqual([{ source: 'tx', column: 'channel' }]);
    const x = await segmentCrossTab(ctx(), { datasetVersion: version, attribute: { source: 'tx', column: 'channel' } });
    // Main channels: U1 APP (400 vs 200), U2 WEB, U3 STORE, U4 WEB, U6 APP, U7 WEB (150 vs 100), U8 APP.
    expect(x.columns).toEqual([
      { kind: 'value', value: 'APP', customers: 3 },
      { kind: 'value', value: 'WEB', customers: 3 },
      { kind: 'value', value: 'STORE', customers: 1 },
    ]);
    expect(x.cells.filter((c) => c.segment === 'important_retention').map((c) => [c.value, c.customers])).toEqual([
      ['STORE', 1],
      ['WEB', 1],
    ]);
    // A cross-tab's "other" column: a value, but none of the ones shown (here: not APP).
    const notApp = { attribute: { kind: 'other' as const, except: ['APP'] } };
    const other = await segmentCustomers(ctx(), { datasetVersion: version, query: { filter: notApp, sort: 'customer_id', descending: false } });
    expect(other.rows.map((c) => c.customer_id)).toEqual(['U2', 'U3', 'U4', 'U7']);
    const otherCsv = await exportCustomers(ctx(), { datasetVersion: version, language: 'en', filter: notApp });
    expect(parseCsv((await otherCsv.blob.text()).replace(/^\uFEFF/, '')).slice(1).map((r) => r[0])).toEqual(['U2', 'U3', 'U4', 'U7']);
    // A customer file with a region column for some customers; U9 is not a customer in the data.
    await dropRelation('customer_attributes');
    await db.exec(`CREATE TABLE customer_attributes AS SELECT * FROM (VALUES ('U1', 'North'), ('U3', 'South'), ('U7', 'South'), ('U9', 'East')) AS t(customer_id, "区域 ""x""")`);
    resetSegmentationCache(db);
    const r2 = await segmentation(ctx(), { datasetVersion: version });
    const ref = r2.attributes.find((a) => a.ref.source === 'customers')!.ref;
    expect(ref).toEqual({ source: 'customers', column: '区域 "x"' });
    const y = await segmentCrossTab(ctx(), { datasetVersion: version, attribute: ref });
    expect(y.columns).toEqual([
      { kind: 'value', value: 'South', customers: 2 },
      { kind: 'value', value: 'North', customers: 1 },
      { kind: 'none', value: null, customers: 4 },
    ]);
    // The explorer filters by a cross-tab cell.
    const south = await segmentCustomers(ctx(), { datasetVersion: version, query: { filter: { segment: 'important_retention', attribute: { kind: 'value', value: 'South' } } } });
    expect(south.rows.map((c) => c.customer_id).sort()).toEqual(['U3', 'U7']);
    const none = await segmentCustomers(ctx(), { datasetVersion: version, query: { filter: { attribute: { kind: 'none' } }, sort: 'customer_id', descending: false } });
    expect(none.rows.map((c) => c.customer_id)).toEqual(['U2', 'U4', 'U6', 'U8']);
    await expect(segmentCrossTab(ctx(), { datasetVersion: version, attribute: { source: 'customers', column: 'nope' } })).rejects.toThrow(/No attribute/);
  });

  it('offers churn risk from the lifetime-value model as a dimension and in the profile', async () => {
    const clvRef = { source: 'clv', column: 'p_alive' } as const;
    await dropRelation('customer_clv');
    expect((await segmentation(ctx(), { datasetVersion: version })).attributes.some((a) => a.ref.source === 'clv')).toBe(false);
    await expect(segmentCrossTab(ctx(), { datasetVersion: version, attribute: clvRef })).rejects.toThrow(/No attribute/);
    // Hand-made predictions: U1 0.9 (≥ 70%), U2 0.5 and U3 0.3 (30–70%), U4 0.1 (< 30%); others unscored.
    await db.exec(`CREATE TABLE customer_clv AS SELECT * FROM (VALUES ('U1', 0.9, 2.5, 120.0, 300.0), ('U2', 0.5, 0.4, 80.0, 32.0), ('U3', 0.3, 0.2, 60.0, 12.0), ('U4', 0.1, 0.01, NULL, NULL))
      AS t(customer_id, p_alive, expected_purchases, expected_aov, clv)`);
    markClvTableChanged(db); // as the lifetime-value analysis does when it writes the table
    expect((await segmentation(ctx(), { datasetVersion: version })).attributes.some((a) => a.ref.source === 'clv')).toBe(true);
    const x = await segmentCrossTab(ctx(), { datasetVersion: version, attribute: clvRef });
    expect(x.columns).toEqual([
      { kind: 'value', value: 'P(alive) 30–70%', customers: 2 },
      { kind: 'value', value: 'P(alive) < 30%', customers: 1 },
      { kind: 'value', value: 'P(alive) ≥ 70%', customers: 1 },
      { kind: 'none', value: null, customers: 3 },
    ]);
    // U2 is important win-back with P(alive) 0.5: a customer to save.
    expect(x.cells.find((c) => c.segment === 'important_winback')).toMatchObject({ value: 'P(alive) 30–70%', customers: 1 });
    const p = await customerProfile(ctx(), { datasetVersion: version, customerId: 'U1' });
    expect(p.clv).toEqual({ p_alive: 0.9, expected_purchases: 2.5, expected_aov: 120, clv: 300 });
    expect((await customerProfile(ctx(), { datasetVersion: version, customerId: 'U6' })).clv).toBeNull();
    await dropRelation('customer_clv');
  });

  it('explorer: filters, search (literal, case-insensitive), whitelisted sort, pages', async () => {
    const c = ctx();
    const all = await segmentCustomers(c, { datasetVersion: version, query: {} });
    // Default: monetary descending, ties by customer id descending.
    expect(all.rows.map((r) => r.customer_id)).toEqual(['U1', 'U2', 'U7', 'U3', 'U6', 'U4', 'U8']);
    const page2 = await segmentCustomers(c, { datasetVersion: version, query: { sort: 'recency_days', descending: false, limit: 3, offset: 3 } });
    // recency asc: U8 1, U1 2, U6 7, U2 31, U7 73, U3 122, U4 245
    expect([page2.total, page2.rows.map((r) => r.customer_id)]).toEqual([7, ['U2', 'U7', 'U3']]);
    const cell = await segmentCustomers(c, { datasetVersion: version, query: { filter: { r: 5, f: 3 } } });
    expect(cell.rows.map((r) => r.customer_id)).toEqual(['U8']);
    const abc = await segmentCustomers(c, { datasetVersion: version, query: { filter: { abc: 'C' }, sort: 'customer_id' } });
    expect(abc.rows.map((r) => r.customer_id)).toEqual(['U4', 'U8']);
    const stage = await segmentCustomers(c, { datasetVersion: version, query: { filter: { lifecycle: 'new', segment: 'general_value' } } });
    expect(stage.rows.map((r) => r.customer_id)).toEqual(['U6']);
    const search = await segmentCustomers(c, { datasetVersion: version, query: { search: 'u1' } });
    expect(search.rows.map((r) => r.customer_id)).toEqual(['U1']);
    const wildcard = await segmentCustomers(c, { datasetVersion: version, query: { search: "%'_" } });
    expect(wildcard.total).toBe(0);
    await expect(segmentCustomers(c, { datasetVersion: version, query: { sort: 'monetary; DROP TABLE x' as never } })).rejects.toThrow(/Cannot sort/);
    await expect(segmentCustomers(c, { datasetVersion: version, query: { limit: 100_000 } })).rejects.toThrow(/integer in \[1, 500\]/);
  });

  it('profile: scores, class, stage, means and the order timeline', async () => {
    const p = await customerProfile(ctx(), { datasetVersion: version, customerId: 'U3' });
    expect(p.row).toMatchObject({ customer_id: 'U3', r_score: 2, f_score: 5, m_score: 4, rfm_code: '254', abc_class: 'A', lifecycle: 'silent', segment: 'important_retention', tenure_days: 153 });
    expect(p.orders.map((o) => [o.order_id, isoDay(o.order_date), o.net, o.lines])).toEqual([
      ['R6', '2024-09-10', -50, 1],
      ['O6', '2024-09-01', 150, 1],
      ['O5', '2024-08-01', 150, 1],
    ]);
    expect(p.orderCount).toBe(3);
    const unscored = await customerProfile(ctx(), { datasetVersion: version, customerId: 'U5' });
    expect(unscored.row).toBeNull();
    expect(unscored.orders.map((o) => o.net)).toEqual([-30]);
  });

  it('suggests lifecycle windows from the median gap between purchases', async () => {
    // Gaps: U1 06-01→11-15 167, 11-15→12-30 45; U3 08-01→09-01 31; U6 5; U7 07-15→10-20 97.
    // Sorted 5, 31, 45, 97, 167 → median 45 → active ≈ 2·45 = 90 → 91 (weeks), silent 180 → 182.
    const s = await suggestLifecycle(ctx(), { datasetVersion: version });
    expect(s).toEqual({ medianDays: 45, gaps: 5, customersWithRepeat: 4, windows: { newDays: 91, activeDays: 91, silentDays: 182 } });
  });
});

describe('exports', () => {
  const HEADER =
    'customer_id,first_purchase,last_purchase,recency_days,frequency,monetary,avg_order_value,r_score,f_score,m_score,rfm_code,segment,abc_class,lifecycle_stage,strategy';

  beforeEach(async () => useData(ROWS, CHANNEL));

  it('customers.csv: BOM, exact header, one row per scored customer in id order, CRLF', async () => {
    const file = await exportCustomers(ctx(), { datasetVersion: version, language: 'en' });
    expect(file.filename).toBe('customers.csv');
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toBe(
      'U1,2024-06-01,2024-12-30,2,3,600,200,5,5,5,555,Important value,A,active,"VIP treatment: a named contact or priority hotline, early access to new products and referral rewards; personal touch about monthly, no blanket discounts. KPI: retention rate and referrals."',
    );
    const rows = parseCsv(text).slice(1);
    expect(rows.map((r) => r[0])).toEqual(['U1', 'U2', 'U3', 'U4', 'U6', 'U7', 'U8']);
    expect(rows.map((r) => [r[11], r[12], r[13]])).toEqual([
      ['Important value', 'A', 'active'],
      ['Important win-back', 'A', 'new'],
      ['Important retention', 'A', 'silent'],
      ['General win-back', 'C', 'churned'],
      ['General value', 'B', 'new'],
      ['Important retention', 'A', 'active'],
      ['General development', 'C', 'new'],
    ]);
    expect(rows[2].slice(1, 11)).toEqual(['2024-08-01', '2024-09-01', '122', '2', '250', '125', '2', '5', '4', '254']);
  });

  it('Chinese labels and strategies, the user\'s playbook edits, one segment only', async () => {
    const c = ctx({ strategyOverrides: { important_retention: { zh: '专人回访，=送券' } } });
    const file = await exportCustomers(c, { datasetVersion: version, language: 'zh', filter: { segment: 'important_retention' }, name: 'important_retention' });
    expect(file.filename).toBe('customers-important_retention.csv');
    const rows = parseCsv(await file.blob.text()).slice(1);
    expect(rows.map((r) => [r[0], r[11], r[14]])).toEqual([
      ['U3', '重要保持客户', '专人回访，=送券'],
      ['U7', '重要保持客户', '专人回访，=送券'],
    ]);
  });

  it('escapes formula-like ids and quotes commas; keeps negative money a number', async () => {
    await useData([
      ['=HYPERLINK("x")', 'a1', '2024-05-01', 10],
      ['+1,2', 'b1', '2024-05-02', 30],
      ['+1,2', 'b2', '2024-05-03', -40],
      ['+1,2', 'b3', '2024-04-01', 5],
    ]);
    const text = await (await exportCustomers(ctx(), { datasetVersion: version, language: 'en' })).blob.text();
    // "+1,2": purchases b1 30, b3 5, return −40 → monetary −5, AOV −2.5 (written as numbers).
    expect(text).toContain(`\r\n"'+1,2",2024-04-01,2024-05-02,2,2,-5,-2.5,`);
    expect(text).toContain(`\r\n"'=HYPERLINK(""x"")",2024-05-01,2024-05-01,3,1,10,10,`);
  });

  it('appends the CLV columns when customer_clv exists', async () => {
    await db.exec(`CREATE OR REPLACE TABLE customer_clv AS SELECT * FROM (VALUES ('U1', 0.9, 2.5, 210.0, 480.25), ('U3', 0.4, 0.5, 120.0, 55.5)) AS t(customer_id, p_alive, expected_purchases, expected_aov, clv)`);
    const file = await exportCustomers(ctx(), { datasetVersion: version, language: 'en' });
    const [header, ...rows] = parseCsv(await file.blob.text());
    expect(header.join(',')).toBe(`${HEADER},p_alive,expected_purchases,expected_aov,clv`);
    const u = byCustomer(rows.map((r) => ({ customer_id: r[0], clv: r.slice(15) })));
    expect(u.U1.clv).toEqual(['0.9', '2.5', '210', '480.25']);
    expect(u.U2.clv).toEqual(['', '', '', '']);
  });

  it('segments.csv: every segment of the scheme in order, with texts in the language', async () => {
    const file = await exportSegmentSummary(ctx({ scheme: 'crm4' }), { datasetVersion: version, language: 'zh' });
    const [header, ...rows] = parseCsv(await file.blob.text());
    expect(header.slice(0, 6)).toEqual(['segment_id', 'segment', 'customers', 'customer_share', 'revenue', 'revenue_share']);
    // crm4: U1 high_value_loyal; U3, U7 churn_risk; U4 low_value_silent; U2, U6, U8 other; potential_growth empty.
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['high_value_loyal', '高价值忠诚客户', '1', '600'],
      ['potential_growth', '潜力成长客户', '0', '0'],
      ['churn_risk', '流失风险客户', '2', '500'],
      ['low_value_silent', '低价值沉默客户', '1', '40'],
      ['other', '其他客户', '3', '600'],
    ]);
  });

  it('Parquet of the customer table (typed dates), readable with parquet-wasm', async () => {
    const pq = require('parquet-wasm/node') as typeof import('parquet-wasm/node');
    const c = ctx({}, { writeParquet: async (ipc) => pq.writeParquet(pq.Table.fromIPCStream(ipc)) });
    const file = await exportCustomers(c, { datasetVersion: version, language: 'en', format: 'parquet' });
    expect(file.filename).toBe('customers.parquet');
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    const table = tableFromIPC(pq.readParquet(bytes).intoIPCStream());
    expect(table.schema.fields.map((f) => f.name)).toEqual(HEADER.split(','));
    expect(table.numRows).toBe(7);
    const first = table.get(0)!.toJSON() as Record<string, unknown>;
    expect([first.customer_id, first.frequency, first.monetary, first.rfm_code, first.segment]).toEqual(['U1', 3, 600, '555', 'Important value']);
    expect(isoDay(Number(first.first_purchase))).toBe('2024-06-01');
  });
});

describe('monetary ties and larger data', () => {
  it('customers with the same total tie even when their double sums differ in the last bit', async () => {
    // a: 10.2 + 4.8 = 15.000000000000002 in doubles; b: 15. Both must get the same M score.
    await useData([
      ['a', 'a1', '2024-05-01', 10.2],
      ['a', 'a2', '2024-05-02', 4.8],
      ['b', 'b1', '2024-05-01', 15],
      ['c', 'c1', '2024-05-01', 1],
    ]);
    const page = await segmentCustomers(ctx(), { datasetVersion: version, query: { sort: 'customer_id', descending: false } });
    // M: c 1 (k1 → ceil(5/3) = 2), a = b = 15 (k3 → 5).
    expect(page.rows.map((r) => [r.customer_id, r.monetary, r.m_score])).toEqual([
      ['a', 15, 5],
      ['b', 15, 5],
      ['c', 1, 2],
    ]);
  });

  it('Pareto points are downsampled to at most 500, ending at (1, 1)', async () => {
    await createCleanTx(db, []);
    await db.exec(`INSERT INTO clean_tx SELECT 'c' || i, 'o' || i, TIMESTAMP '2024-01-01' + INTERVAL (i % 300) DAY, DATE '2024-01-01' + CAST(i % 300 AS INTEGER), (i % 97) + 1, 1, NULL, NULL, NULL, NULL FROM range(3000) t(i)`);
    await db.exec(cleanOrdersSql());
    version++;
    const r = await segmentation(ctx(), { datasetVersion: version });
    expect(r.scored).toBe(3000);
    expect(r.pareto.points.length).toBeLessThanOrEqual(PARETO_MAX_POINTS);
    expect(r.pareto.points.length).toBeGreaterThan(400);
    expect(r.pareto.points.at(-1)!.x).toBe(1);
    expect(r.pareto.points.at(-1)!.y).toBeCloseTo(1, 12);
    for (let i = 1; i < r.pareto.points.length; i++) {
      expect(r.pareto.points[i].x).toBeGreaterThan(r.pareto.points[i - 1].x);
      expect(r.pareto.points[i].y).toBeGreaterThanOrEqual(r.pareto.points[i - 1].y - 1e-12);
    }
    const big = await exportCustomers(ctx(), { datasetVersion: version, language: 'en' });
    expect(big.rows).toBe(3000);
    expect(parseCsv(await big.blob.text())).toHaveLength(3001);
  });

  it('the cube (segments assigned per score cell in TypeScript) agrees with the per-customer SQL for every scheme', async () => {
    // 3000 customers from the previous test. Reference: segmentationSql with its own avg() means.
    const custom = [
      { id: 'hi', name: { en: 'Hi', zh: '高' }, strategy: { en: '', zh: '' }, r: [2, 3] as [number, number], f: [1, 3] as [number, number], m: [2, 3] as [number, number] },
    ];
    for (const input of [
      { scheme: 'classic8' as const, bins: 5 },
      { scheme: 'crm4' as const, bins: 4 },
      { scheme: 'grid11' as const, bins: 10 },
      { scheme: 'grid11' as const, bins: 3 },
      { scheme: 'custom' as const, bins: 3, customRules: custom },
      { scheme: 'classic8' as const, thresholds: { r: [30, 90, 180], f: [2, 3, 5], m: [20, 50, 80] } },
      // Only the cut-offs, then only the windows, then only the scheme change: the parts that did
      // not change are reused, the rest recomputed.
      { scheme: 'classic8' as const, thresholds: { r: [30, 90, 180], f: [2, 3, 5], m: [20, 50, 80] }, abc: { a: 0.5, b: 0.9 } },
      { scheme: 'classic8' as const, thresholds: { r: [30, 90, 180], f: [2, 3, 5], m: [20, 50, 80] }, abc: { a: 0.5, b: 0.9 }, lifecycle: { newDays: 20, activeDays: 40, silentDays: 60 } },
      { scheme: 'crm4' as const, thresholds: { r: [30, 90, 180], f: [2, 3, 5], m: [20, 50, 80] }, abc: { a: 0.5, b: 0.9 }, lifecycle: { newDays: 20, activeDays: 40, silentDays: 60 } },
    ]) {
      const c = ctx(input);
      const r = await segmentation(c, { datasetVersion: version });
      const reference = await db.rows<{ segment: string; n: number; r: number }>(
        `SELECT segment, CAST(count(*) AS INTEGER) AS n, CAST(sum(monetary) AS DOUBLE) AS r FROM (${segmentationSql(c.config.segmentation)}) GROUP BY 1 ORDER BY 1`,
      );
      const got = [...r.segments].sort((x, y) => (x.segment < y.segment ? -1 : 1));
      expect(got.map((s) => [s.segment, s.customers]), JSON.stringify(input)).toEqual(reference.map((s) => [s.segment, s.n]));
      got.forEach((s, i) => expect(s.revenue).toBeCloseTo(reference[i].r, 6));
      for (const [column, groups] of [['abc_class', r.abc], ['lifecycle', r.lifecycle]] as const) {
        const ref = await db.rows<{ g: string; n: number }>(
          `SELECT ${column} AS g, CAST(count(*) AS INTEGER) AS n FROM (${segmentationSql(c.config.segmentation)}) GROUP BY 1 ORDER BY 1`,
        );
        expect([...groups].sort((x, y) => (x.id < y.id ? -1 : 1)).map((g) => [g.id, g.customers]), `${column} ${JSON.stringify(input)}`).toEqual(ref.map((g) => [g.g, g.n]));
      }
      // The explorer (per-customer SQL given the cube's means) lists the same customers per segment.
      for (const s of got) {
        const page = await segmentCustomers(c, { datasetVersion: version, query: { filter: { segment: s.segment }, limit: 1 } });
        expect(page.total).toBe(s.customers);
      }
    }
  });
});

