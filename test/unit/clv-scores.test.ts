// customer_clv's SQL (src/core/sql/clv-scores.ts) in DuckDB-WASM: P(alive) as the closed form of
// Fader, Hardie & Lee (2008), the expectations joined on (x, T), the spend per purchase applied.
import { beforeAll, describe, expect, it } from 'vitest';
import { customerClvSql } from '../../src/core/sql/clv-scores';
import type { Database } from '../../src/engine/database';
import { openTestDatabase } from './helpers/duckdb';

// The BG/NBD paper's CDNOW estimates (weeks).
const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('customer_clv in SQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    // Summary rows (times in weeks, T_days the age in days) and the expectations if alive of
    // each (x, T_days): made-up numbers, the SQL only multiplies them.
    await db.exec(`CREATE TABLE summary AS SELECT * FROM (VALUES
      ('new', 0, 0.0, 39.0, 273, 0.0),
      ('same-day', 23, 39.0, 39.0, 273, 10.0),
      ('hand', 2, 30.43, 38.86, 272, 25.0),
      ('many', 1000, 10.0, 100.0, 700, 5.0)
    ) AS t(customer_id, x, tx, "T", "T_days", mx)`);
    await db.exec(`CREATE TABLE scores AS SELECT * FROM (VALUES
      (0, 273, 0.5, 0.4), (23, 273, 20.0, 15.0), (2, 272, 2.0, 1.5), (1000, 700, 900.0, 800.0)
    ) AS t(x, "T_days", expected, discounted)`);
  });

  async function row(id: string, aov = 's.mx * 2'): Promise<{ p_alive: number; expected_purchases: number; expected_aov: number; clv: number }> {
    await db.exec(customerClvSql({ table: 'clv', summary: 'summary', ifAlive: 'scores', bg: PAPER, aov }));
    const [r] = await db.rows<{ p_alive: number; expected_purchases: number; expected_aov: number; clv: number }>(`SELECT * FROM clv WHERE customer_id = '${id}'`);
    return r;
  }

  it('is 1 without repeat purchases (ln(b − 1) is never taken, even for b < 1)', async () => {
    expect((await row('new')).p_alive).toBe(1);
    await db.exec(customerClvSql({ table: 'clv', summary: 'summary', ifAlive: 'scores', bg: { ...PAPER, b: 0.5 }, aov: 's.mx' }));
    const [r] = await db.rows<{ p_alive: number }>(`SELECT p_alive FROM clv WHERE customer_id = 'new'`);
    expect(r.p_alive).toBe(1);
  });

  it('follows the closed form: (b + x − 1) / (a + b + x − 1) when t_x = T, and by hand otherwise', async () => {
    expect((await row('same-day')).p_alive).toBeCloseTo((PAPER.b + 22) / (PAPER.a + PAPER.b + 22), 14);
    const odds = (PAPER.a / (PAPER.b + 1)) * Math.pow((PAPER.alpha + 38.86) / (PAPER.alpha + 30.43), PAPER.r + 2);
    const hand = await row('hand');
    expect(hand.p_alive).toBeCloseTo(1 / (1 + odds), 14);
    // Scaled expectations and the spend: expected 2.0 and discounted 1.5 if alive, aov = 2 · mx.
    expect(hand.expected_purchases).toBeCloseTo(2 / (1 + odds), 14);
    expect(hand.expected_aov).toBe(50);
    expect(hand.clv).toBeCloseTo((50 * 1.5) / (1 + odds), 12);
  });

  it('does not overflow for a huge frequency (P(alive) → 0)', async () => {
    const r = await row('many');
    expect(r.p_alive).toBe(0);
    expect(r.clv).toBe(0);
  });

  it('leaves the spend NULL when there is no Gamma-Gamma fit', async () => {
    const r = await row('hand', 'CAST(NULL AS DOUBLE)');
    expect(r.expected_aov).toBeNull();
    expect(r.clv).toBeNull();
    expect(r.p_alive).toBeGreaterThan(0);
  });
});
