// The clv analysis's messages and failure modes on small clean_tx tables (real DuckDB-WASM):
// every case ends in a specific message, never in silent nonsense or a stale customer_clv.
import { describe, expect, it } from 'vitest';
import { type AnalysisConfig, defaultConfig } from '../../src/core/config';
import { clv } from '../../src/engine/analyses/clv';
import { CancelledError, type Database, EngineError } from '../../src/engine/database';
import { openTestDatabase } from './helpers/duckdb';
import { cdnowRows, cleanTxStatements, type TxRow } from './helpers/clean-tx';

async function withCleanTx(rows: TxRow[]): Promise<Database> {
  const db = await openTestDatabase();
  for (const sql of cleanTxStatements(rows)) await db.exec(sql);
  return db;
}

const run = (db: Database, clvPatch: Partial<AnalysisConfig['clv']> = {}, isCancelled = () => false) => {
  const config = defaultConfig();
  return clv({ db, config: { ...config, clv: { ...config.clv, ...clvPatch } }, progress: () => {}, isCancelled }, undefined);
};

async function tableExists(db: Database, name: string): Promise<boolean> {
  const [{ n }] = await db.rows<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM duckdb_tables() WHERE table_name = '${name}'`);
  return n > 0;
}

describe('clv analysis messages', () => {
  it('says there is nothing to model when the clean data is empty', async () => {
    const db = await withCleanTx([]);
    await expect(run(db)).rejects.toMatchObject({ userMessage: 'clv.error.noData', code: 'input' });
  });

  it('rejects a holdout end that is not after the calibration end, and a calibration end before the data', async () => {
    const db = await withCleanTx([['a', '2024-01-01', 5], ['a', '2024-02-01', 5]]);
    await expect(run(db, { calibrationEnd: '2024-01-20', holdoutEnd: '2024-01-10' })).rejects.toMatchObject({ userMessage: 'clv.error.holdoutBeforeCalibration' });
    await expect(run(db, { calibrationEnd: '2023-01-01' })).rejects.toMatchObject({ userMessage: 'clv.error.calibrationBeforeData' });
    await expect(run(db, { horizon: -1 })).rejects.toBeInstanceOf(EngineError);
  });

  it('reports non-convergence when nobody bought twice, and leaves no customer_clv behind', async () => {
    const db = await withCleanTx([['a', '2024-01-01', 5], ['b', '2024-01-05', 7], ['c', '2024-02-01', 9]]);
    await db.exec(`CREATE TABLE customer_clv AS SELECT 'stale' AS customer_id`);
    const r = await run(db);
    expect(r.bgnbd.converged).toBe(false);
    expect(r.messages.map((m) => m.key)).toContain('clv.msg.bgNotConverged');
    expect(r.holdoutByFrequency).toBeNull();
    expect(await tableExists(db, 'customer_clv')).toBe(false);
  });

  it('excludes repeat buyers with non-positive spend from Gamma-Gamma with a message', async () => {
    // CDNOW plus two repeat buyers whose repeat purchases are worth $0.
    const rows = cdnowRows();
    rows.push(['zero1', '1997-01-10', 20], ['zero1', '1997-03-01', 0], ['zero2', '1997-02-10', 20], ['zero2', '1997-04-01', 0], ['zero2', '1997-05-01', 0]);
    // And a customer first seen on the calibration end day (T = 0): scored, not fitted.
    rows.push(['late', '1997-09-30', 12]);
    const db = await withCleanTx(rows);
    const r = await run(db, { calibrationEnd: '1997-09-30' });
    expect(r.gammaGamma!.excluded).toBe(2);
    expect(r.messages).toContainEqual({ key: 'clv.msg.ggExcluded', params: { n: 2 } });
    expect(r.messages).toContainEqual({ key: 'clv.msg.newCustomers', params: { n: 1 } });
    expect(r.customers).toBe(2357 + 3);
    const [late] = await db.rows<{ p_alive: number; expected_purchases: number }>(`SELECT * FROM customer_clv WHERE customer_id = 'late'`);
    // x = 0: P(alive) = 1 under BG/NBD; a new customer's expected purchases are positive.
    expect(late.p_alive).toBe(1);
    expect(late.expected_purchases).toBeGreaterThan(0);
    // Their expected order value uses a spend of 0: p·γ/(p·x + q − 1) (note 025 eq. 5 with mx = 0).
    const gg = r.gammaGamma!;
    const [z] = await db.rows<{ expected_aov: number }>(`SELECT expected_aov FROM customer_clv WHERE customer_id = 'zero2'`);
    expect(z.expected_aov).toBeCloseTo((gg.p * gg.gamma) / (gg.p * 2 + gg.q - 1), 9);
    // CDNOW's spend is nearly independent of frequency (lifetimes' docs: 0.11): no warning.
    expect(Math.abs(r.spendCorrelation!)).toBeLessThan(0.3);
    expect(r.messages.map((m) => m.key)).not.toContain('clv.msg.correlated');
  });

  it('warns when spend and frequency are correlated', async () => {
    // CDNOW's purchase days, but every line worth $10 per line the customer has in the file:
    // frequent buyers spend more per purchase.
    const rows = cdnowRows();
    const lines = new Map<string, number>();
    for (const [id] of rows) lines.set(id, (lines.get(id) ?? 0) + 1);
    const db = await withCleanTx(rows.map(([id, d]) => [id, d, 10 * lines.get(id)!]));
    const r = await run(db, { calibrationEnd: '1997-09-30' });
    expect(r.spendCorrelation!).toBeGreaterThan(0.3);
    expect(r.messages.map((m) => m.key)).toContain('clv.msg.correlated');
  });

  it('stops with CancelledError when cancelled', async () => {
    const db = await withCleanTx(cdnowRows());
    await expect(run(db, {}, () => true)).rejects.toBeInstanceOf(CancelledError);
  });
});
