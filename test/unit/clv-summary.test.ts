// The CLV summary SQL on real DuckDB-WASM: a hand-made fixture whose answers are worked out
// in the comments, and the CDNOW raw transactions, whose 39-week summary must reproduce the
// published cdnow_customers_summary_with_transactions.csv and, through the models, the
// published BG/NBD and Gamma-Gamma estimates.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clvBoundsSql, clvSummarySql, type ClvSummaryRow } from '../../src/core/sql/clv-summary';
import { fitBgNbd } from '../../src/core/models/bgnbd';
import { fitGammaGamma } from '../../src/core/models/gammagamma';
import type { Database } from '../../src/engine/database';
import { openTestDatabase } from './helpers/duckdb';

async function withCleanTx(rows: [string, string, number][]): Promise<Database> {
  const db = await openTestDatabase();
  await db.exec(`CREATE TABLE clean_tx (customer_id VARCHAR, order_date DATE, amount DOUBLE)`);
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows
      .slice(i, i + 1000)
      .map(([c, d, a]) => `('${c}', DATE '${d}', ${a})`)
      .join(', ');
    await db.exec(`INSERT INTO clean_tx VALUES ${values}`);
  }
  return db;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('clvSummarySql on a hand-made fixture', () => {
  const tx: [string, string, number][] = [
    // A: 01-01 has two lines (10 + 5 = one purchase of 15); 01-08: 20; 01-15: 30 and a −5
    // return line (one purchase of 25); 01-20: a refund only (−10: not a purchase);
    // holdout: 02-05 (40).
    ['A', '2024-01-01', 10],
    ['A', '2024-01-01', 5],
    ['A', '2024-01-08', 20],
    ['A', '2024-01-15', 30],
    ['A', '2024-01-15', -5],
    ['A', '2024-01-20', -10],
    ['A', '2024-02-05', 40],
    // B: one $0 purchase (counts, like CDNOW's $0 orders); its next purchase is after the holdout end.
    ['B', '2024-01-22', 0],
    ['B', '2024-02-13', 7],
    // C: first purchase after the calibration end: not in the calibration summary.
    ['C', '2024-02-01', 9],
    // D: a refund-only day first, then purchases on 01-09 and on the calibration end day.
    ['D', '2024-01-02', -5],
    ['D', '2024-01-09', 12],
    ['D', '2024-01-29', 8],
  ];
  let db: Database;
  beforeAll(async () => {
    db = await withCleanTx(tx);
  });

  it('computes x, tx, T, mx and holdout counts in weeks as lifetimes would', async () => {
    const rows = await db.rows<ClvSummaryRow>(
      `${clvSummarySql({ unit: 'weeks', calibrationEnd: '2024-01-29', holdoutEnd: '2024-02-12' })} ORDER BY customer_id`,
    );
    expect(rows.map((r) => r.customer_id)).toEqual(['A', 'B', 'D']);
    const [a, b, d] = rows;
    // A: purchase days 01-01, 01-08, 01-15 → x = 2; tx = 14 days = 2 weeks; T = 28 days = 4 weeks;
    // mx = mean(20, 25) = 22.5; total = 15 + 20 + 25 = 60; holdout: 02-05 → 1 purchase worth 40.
    expect(a).toMatchObject({ x: 2, tx_days: 14, T_days: 28, mx: 22.5, total: 60, x_holdout: 1, value_holdout: 40 });
    expect(a.tx).toBeCloseTo(2, 12);
    expect(a.T).toBeCloseTo(4, 12);
    expect(day(a.first_day)).toBe('2024-01-01');
    // B: x = 0, tx = 0, T = 7 days = 1 week, mx = 0; 02-13 is after the holdout end.
    expect(b).toMatchObject({ x: 0, tx: 0, tx_days: 0, T_days: 7, mx: 0, total: 0, x_holdout: 0, value_holdout: 0 });
    expect(b.T).toBeCloseTo(1, 12);
    // D: first purchase 01-09 (the refund day does not count); 01-29 → x = 1, tx = T = 20 days; mx = 8.
    expect(d).toMatchObject({ x: 1, tx_days: 20, T_days: 20, mx: 8, total: 20, x_holdout: 0 });
    expect(d.tx).toBeCloseTo(20 / 7, 12);
    expect(d.T).toBeCloseTo(20 / 7, 12);
  });

  it('uses days and months as units, and the last purchase day as the default ends', async () => {
    const days = await db.rows<ClvSummaryRow>(`${clvSummarySql({ unit: 'days', calibrationEnd: '2024-01-29', holdoutEnd: null })} ORDER BY customer_id`);
    expect(days[0]).toMatchObject({ customer_id: 'A', tx: 14, T: 28 });
    // Holdout end defaults to the last purchase day (02-13), so B's 02-13 purchase is in it.
    expect(days[1]).toMatchObject({ customer_id: 'B', x_holdout: 1, value_holdout: 7 });
    const months = await db.rows<ClvSummaryRow>(`${clvSummarySql({ unit: 'months', calibrationEnd: '2024-01-29', holdoutEnd: null })} ORDER BY customer_id`);
    expect(months[0].T).toBeCloseTo(28 / (365.25 / 12), 12);
    // No calibration end: everything up to 02-13 is calibration; C is a customer; no holdout.
    const all = await db.rows<ClvSummaryRow>(`${clvSummarySql({ unit: 'days', calibrationEnd: null, holdoutEnd: null })} ORDER BY customer_id`);
    expect(all.map((r) => r.customer_id)).toEqual(['A', 'B', 'C', 'D']);
    // A: 01-01 … 02-05 → x = 3, tx = 35, T = 02-13 − 01-01 = 43 days; mx = mean(20, 25, 40).
    expect(all[0]).toMatchObject({ x: 3, tx: 35, T: 43, x_holdout: 0 });
    expect(all[0].mx).toBeCloseTo(85 / 3, 12);
    const [bounds] = await db.rows<{ data_start: number; data_end: number; cal_end: number; holdout_end: number }>(
      clvBoundsSql({ unit: 'days', calibrationEnd: '2024-01-29', holdoutEnd: null }),
    );
    expect([bounds.data_start, bounds.data_end, bounds.cal_end, bounds.holdout_end].map(day)).toEqual([
      '2024-01-01',
      '2024-02-13',
      '2024-01-29',
      '2024-02-13',
    ]);
  });
});

describe('clvSummarySql on the raw CDNOW sample (39-week calibration to 1997-09-30)', () => {
  let rows: ClvSummaryRow[];
  beforeAll(async () => {
    // CDNOW_sample.txt: master_id, sample_id, YYYYMMDD, number_of_cds, dollar_value, separated by runs of spaces.
    const lines = fs.readFileSync('test/fixtures/cdnow/CDNOW_sample.txt', 'utf8').split(/\r?\n/).filter((l) => l.trim());
    const tx = lines.map((l): [string, string, number] => {
      const [, id, d, , v] = l.trim().split(/\s+/);
      return [String(Number(id)), `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, Number(v)];
    });
    expect(tx.length).toBe(6919);
    const db = await withCleanTx(tx);
    rows = await db.rows<ClvSummaryRow>(clvSummarySql({ unit: 'weeks', calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' }));
  });

  it('reproduces cdnow_customers_summary_with_transactions.csv (x, t_x, T in weeks, zbar) for all 2,357 customers', () => {
    const published = fs
      .readFileSync('test/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv', 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => l.split(',').map(Number));
    expect(rows.length).toBe(2357);
    const byId = new Map(rows.map((r) => [Number(r.customer_id), r]));
    let mismatches = 0;
    for (const [id, x, tx, T, zbar] of published) {
      const r = byId.get(id)!;
      // The published file rounds to 2 decimals.
      const ok = r && r.x === x && Math.abs(r.tx - tx) <= 0.005 + 1e-9 && Math.abs(r.T - T) <= 0.005 + 1e-9 && Math.abs(r.mx - zbar) <= 0.005 + 1e-9;
      if (!ok) mismatches++;
    }
    expect(mismatches).toBe(0);
    // Also the frequency/recency/T of cdnow_customers_summary.csv (the file lifetimes ships).
    const summary = fs.readFileSync('test/fixtures/cdnow/cdnow_customers_summary.csv', 'utf8').split(/\r?\n/).slice(1).filter((l) => l.trim());
    expect(summary.length).toBe(2357);
    for (const l of summary) {
      const [id, x, tx, T] = l.split(',').map(Number);
      const r = byId.get(id)!;
      expect([r.x, Math.abs(r.tx - tx) <= 0.005 + 1e-9, Math.abs(r.T - T) <= 0.005 + 1e-9]).toEqual([x, true, true]);
    }
  });

  it('gives the published BG/NBD and Gamma-Gamma estimates when fitted', () => {
    const bg = fitBgNbd(rows.map((r) => ({ x: r.x, tx: r.tx, T: r.T })));
    // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    expect(bg.converged).toBe(true);
    expect(Math.abs(bg.r - 0.243)).toBeLessThan(0.001);
    expect(Math.abs(bg.alpha - 4.414)).toBeLessThan(0.01);
    expect(Math.abs(bg.a - 0.793)).toBeLessThan(0.005);
    expect(Math.abs(bg.b - 2.426)).toBeLessThan(0.02);
    expect(Math.abs(bg.logLik - -9582.4)).toBeLessThan(0.5);
    const gg = fitGammaGamma(rows.map((r) => ({ x: r.x, mx: r.mx })));
    // Fader & Hardie, note 025: p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat buyers.
    expect(gg.converged).toBe(true);
    expect(gg.customers).toBe(946);
    expect(Math.abs(gg.p - 6.25)).toBeLessThan(0.05);
    expect(Math.abs(gg.q - 3.74)).toBeLessThan(0.05);
    expect(Math.abs(gg.gamma - 15.44)).toBeLessThan(0.05);
  });

  it('counts holdout purchases: 39 further weeks to 1998-06-30', () => {
    // Independent count from the raw file: purchase days (customer, date) after 1997-09-30.
    const lines = fs.readFileSync('test/fixtures/cdnow/CDNOW_sample.txt', 'utf8').split(/\r?\n/).filter((l) => l.trim());
    const holdoutDays = new Set<string>();
    for (const l of lines) {
      const [, id, d] = l.trim().split(/\s+/);
      if (d > '19970930' && d <= '19980630') holdoutDays.add(`${Number(id)}|${d}`);
    }
    expect(rows.reduce((s, r) => s + r.x_holdout, 0)).toBe(holdoutDays.size);
  });
});
