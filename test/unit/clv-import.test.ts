// The raw CDNOW file through the import pipeline and the `clv` analysis in Node (real
// DuckDB-WASM): DuckDB's sniffer sees one column, the whitespace rewrite (what the worker
// does) gives five headerless columns, the mapping detected from the values finds customer,
// date and amount, and the fit reproduces the published estimates.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnalysisConfig, defaultConfig, DEFAULT_READ } from '../../src/core/config';
import { clv as clvOf } from '../../src/core/models/clv';
import { conditionalExpectedPurchases, pAlive } from '../../src/core/models/bgnbd';
import { looksWhitespaceSeparated, whitespaceToTsv } from '../../src/core/whitespace';
import { clv, discountedPurchases, type ClvResult } from '../../src/engine/analyses/clv';
import type { Database } from '../../src/engine/database';
import { sniffCsv } from '../../src/engine/importer';
import { Workspace } from '../../src/engine/workspace';
import { openTestDatabase } from './helpers/duckdb';

const raw = fs.readFileSync('test/fixtures/cdnow/CDNOW_sample.txt', 'utf8');
const read = { ...DEFAULT_READ, delimiter: 'whitespace' };

async function cdnowWorkspace(): Promise<{ db: Database; ws: Workspace; config: AnalysisConfig; state: Awaited<ReturnType<Workspace['apply']>> }> {
  const db = await openTestDatabase();
  const bytes = new TextEncoder().encode(whitespaceToTsv(raw));
  db.bindings.registerFileBuffer('CDNOW_sample.txt', bytes);
  const ws = new Workspace(db);
  await ws.addCsv('CDNOW_sample.txt', bytes.length, 'utf-8', read);
  const base = defaultConfig();
  // CDNOW has 21 lines identical to an earlier one (separate orders of the same value on
  // the same day): they are real purchases, so exact duplicates are kept.
  const config: AnalysisConfig = { ...base, read: { 'CDNOW_sample.txt': read }, policies: { ...base.policies, dropDuplicates: false } };
  const state = await ws.apply(config);
  return { db, ws, config, state };
}

describe('CDNOW_sample.txt through the import pipeline', () => {
  it('is one column to the sniffer, and looks whitespace-separated', async () => {
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer('CDNOW_sample.txt', new TextEncoder().encode(raw));
    const dialect = await sniffCsv(db, 'CDNOW_sample.txt', DEFAULT_READ);
    expect(dialect.columns.length).toBe(1);
    expect(looksWhitespaceSeparated(raw.slice(0, 65536))).toBe(true);
  });
});

describe('the clv analysis on CDNOW (39-week calibration to 1997-09-30, holdout to 1998-06-30)', () => {
  let db: Database;
  let result: ClvResult;
  let state: Awaited<ReturnType<typeof cdnowWorkspace>>['state'];
  let ws: Workspace;
  let config: AnalysisConfig;
  const progress: string[] = [];
  beforeAll(async () => {
    const w = await cdnowWorkspace();
    db = w.db;
    ws = w.ws;
    state = w.state;
    config = { ...w.config, clv: { ...w.config.clv, calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' } };
    result = await clv({ db, config, progress: (_f, label) => progress.push(label ?? ''), isCancelled: () => false }, undefined);
  });

  it('reads the file as five headerless columns mapped from their values', () => {
    expect(state.files[0].delimiter).toBe('whitespace');
    expect(state.columns.map((c) => c.name)).toEqual(['column0', 'column1', 'column2', 'column3', 'column4']);
    // master_id (column0) identifies the customer, YYYYMMDD integers are dates, dollar_value is the amount.
    expect(state.mapping).toEqual({ customer_id: 'column0', order_date: 'column2', amount: 'column4' });
    expect(state.quality!.counts.rows_read).toBe(6919);
    expect(state.quality!.counts.duplicates).toBe(21);
    // 2,357 customers in the sample (Fader, Hardie & Lee 2005).
    expect(state.kpis!.customers).toBe(2357);
  });

  it('reproduces the published BG/NBD and Gamma-Gamma estimates', () => {
    const bg = result.bgnbd;
    // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    expect(bg.converged).toBe(true);
    expect(Math.abs(bg.r - 0.243)).toBeLessThan(0.001);
    expect(Math.abs(bg.alpha - 4.414)).toBeLessThan(0.01);
    expect(Math.abs(bg.a - 0.793)).toBeLessThan(0.005);
    expect(Math.abs(bg.b - 2.426)).toBeLessThan(0.02);
    expect(Math.abs(bg.logLik - -9582.4)).toBeLessThan(0.5);
    // Fader & Hardie, note 025: p = 6.25, q = 3.74, gamma = 15.44 on 946 repeat buyers.
    const gg = result.gammaGamma!;
    expect(gg.converged).toBe(true);
    expect(gg.customers).toBe(946);
    expect(Math.abs(gg.p - 6.25)).toBeLessThan(0.05);
    expect(Math.abs(gg.q - 3.74)).toBeLessThan(0.05);
    expect(Math.abs(gg.gamma - 15.44)).toBeLessThan(0.05);
    expect(result.customers).toBe(2357);
    expect(result.holdoutLength).toBeCloseTo(273 / 7, 10);
    expect(progress).toContain('clv.progress.fitBgNbd');
  });

  it('writes customer_clv with one row per customer and the scores of the fitted models', async () => {
    const cols = await db.rows<{ column_name: string; column_type: string }>(`DESCRIBE customer_clv`);
    expect(cols.map((c) => [c.column_name, c.column_type])).toEqual([
      ['customer_id', 'VARCHAR'],
      ['p_alive', 'DOUBLE'],
      ['expected_purchases', 'DOUBLE'],
      ['expected_aov', 'DOUBLE'],
      ['clv', 'DOUBLE'],
    ]);
    const [{ n }] = await db.rows<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM customer_clv`);
    expect(n).toBe(2357);
    // Customer 00004 (sample id 1): purchases 1997-01-01, 01-18, 08-02 in calibration →
    // x = 2, tx = 213/7, T = 272/7 weeks; repeat spend (29.73 + 14.96)/2.
    const [c] = await db.rows<{ p_alive: number; expected_purchases: number; expected_aov: number; clv: number }>(`SELECT * FROM customer_clv WHERE customer_id = '00004'`);
    const bg = result.bgnbd;
    const gg = result.gammaGamma!;
    expect(c.p_alive).toBeCloseTo(pAlive(bg, 2, 213 / 7, 272 / 7), 12);
    expect(c.expected_purchases).toBeCloseTo(conditionalExpectedPurchases(bg, 52, 2, 213 / 7, 272 / 7), 12);
    // Note 025 eq. 5, by hand: p(γ + x·mx)/(px + q − 1).
    const mx = (29.73 + 14.96) / 2;
    const aov = (gg.p * (gg.gamma + 2 * mx)) / (gg.p * 2 + gg.q - 1);
    expect(c.expected_aov).toBeCloseTo(aov, 9);
    expect(c.clv).toBeCloseTo(aov * discountedPurchases(bg, 2, 213 / 7, 272 / 7, 52, 'weeks', 0.1), 9);
  });

  it('discounts like core/models/clv.ts when the unit is months and the horizon whole months', () => {
    const bg = result.bgnbd;
    const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
    const [x, tx, T, mx] = [3, 5.5, 9, 40];
    const aov = (gg.p * (gg.gamma + x * mx)) / (gg.p * x + gg.q - 1);
    expect(aov * discountedPurchases(bg, x, tx, T, 12, 'months', 0.1)).toBeCloseTo(clvOf(bg, gg, x, tx, T, mx, 12, 'month', 0.1), 10);
  });

  it('validates on the holdout: actual purchases by calibration frequency counted independently', () => {
    // Count from the raw file: per customer, calibration purchase days (≤ 1997-09-30) and holdout days.
    const cal = new Map<string, Set<string>>();
    const hold = new Map<string, Set<string>>();
    for (const l of raw.split(/\r?\n/)) {
      if (!l.trim()) continue;
      const [id, , d] = l.trim().split(/\s+/);
      const m = d <= '19970930' ? cal : d <= '19980630' ? hold : null;
      if (!m) continue;
      if (!m.has(id)) m.set(id, new Set());
      m.get(id)!.add(d);
    }
    const byF = new Map<number, { n: number; sum: number }>();
    for (const [id, days] of cal) {
      const f = Math.min(days.size - 1, 7);
      const e = byF.get(f) ?? { n: 0, sum: 0 };
      e.n++;
      e.sum += hold.get(id)?.size ?? 0;
      byF.set(f, e);
    }
    const rows = result.holdoutByFrequency!;
    expect(rows.map((r) => r.frequency)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const r of rows) {
      expect(r.customers).toBe(byF.get(r.frequency)!.n);
      expect(r.actual).toBeCloseTo(byF.get(r.frequency)!.sum / byF.get(r.frequency)!.n, 12);
      expect(r.predicted).toBeGreaterThan(0);
    }
    // Predictions rise with calibration frequency (FHL 2005, figure 3).
    for (let i = 1; i < rows.length; i++) expect(rows[i].predicted).toBeGreaterThan(rows[i - 1].predicted);
    // Total repeat purchases, actual: calibration repeat days + holdout days.
    let repeats = 0;
    for (const [id, days] of cal) repeats += days.size - 1 + (hold.get(id)?.size ?? 0);
    expect(result.tracking.actualCumulative.at(-1)).toBe(repeats);
    // FHL 2005 figure 2: the model tracks cumulative repeat sales within a few percent over 78 weeks.
    expect(Math.abs(result.tracking.expectedCumulative.at(-1)! / repeats - 1)).toBeLessThan(0.05);
    expect(result.tracking.stepDays).toBe(7);
  });

  it('drops customer_clv when the clean data changes, so exports never join stale scores', async () => {
    await ws.apply({ ...config, policies: { ...config.policies, dropDuplicates: true } });
    const [{ n }] = await db.rows<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM duckdb_tables() WHERE table_name = 'customer_clv'`);
    expect(n).toBe(0);
  });
});
