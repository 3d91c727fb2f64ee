import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers/duckdb';
import { NOTED_MARK } from '../../src/engine/database';

describe('Database (real DuckDB-WASM)', () => {
  it('runs a query and returns plain rows', async () => {
    const db = await openTestDatabase();
    const rows = await db.rows<{ n: number; s: string }>(`SELECT 40 + 2 AS n, 'x' AS s`);
    expect(rows).toEqual([{ n: 42, s: 'x' }]);
  });

  it('gives every value of a many-batch result as plain JS, with NULLs, whatever the type', async () => {
    const db = await openTestDatabase();
    const n = 300_000; // several record batches
    const rows = await db.rows<Record<string, unknown>>(`SELECT CAST(i AS INTEGER) AS int, i * 8589934592 AS big, i / 4 AS dbl,
      CASE WHEN i % 7 = 0 THEN NULL ELSE 'é' || i END AS txt, CASE WHEN i % 5 = 0 THEN NULL ELSE CAST(i AS INTEGER) END AS maybe,
      CASE WHEN i % 3 = 0 THEN NULL ELSE i / 2 END AS maybe_dbl, DATE '1970-01-01' + CAST(i % 1000 AS INTEGER) AS day,
      TIMESTAMP '1970-01-01' + to_seconds(i) AS ts, i % 2 = 0 AS even
      FROM range(${n}) t(i) ORDER BY i`);
    expect(rows).toHaveLength(n);
    for (const i of [0, 1, 2, 6, 7, 35, 2047, 2048, 122_880, 122_881, 299_999]) {
      expect(rows[i]).toEqual({
        int: i,
        big: i * 8589934592,
        dbl: i / 4,
        txt: i % 7 === 0 ? null : `é${i}`,
        maybe: i % 5 === 0 ? null : i,
        maybe_dbl: i % 3 === 0 ? null : i * 0.5,
        day: (i % 1000) * 86_400_000,
        ts: i * 1000,
        even: i % 2 === 0,
      });
    }
  });

  it('reports the failing SQL and DuckDB message', async () => {
    const db = await openTestDatabase();
    await expect(db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({
      sql: 'SELECT * FROM no_such_table',
      causeMessage: expect.stringContaining('no_such_table'),
    });
  });

  it('records the statements of an analysis and the time DuckDB spent on them, not on probes', async () => {
    const db = await openTestDatabase();
    db.startRecording();
    await db.unrecorded(() => db.query('SELECT count(*) FROM range(3000000)'));
    expect(db.recordingMs).toBe(0);
    await db.exec('CREATE OR REPLACE TEMP TABLE t AS SELECT i FROM range(200000) r(i)');
    db.note('SELECT 1');
    const afterCreate = db.recordingMs;
    expect(afterCreate).toBeGreaterThan(0);
    await db.rows('SELECT sum(i) FROM t');
    expect(db.recordingMs).toBeGreaterThan(afterCreate);
    expect(db.stopRecording()).toEqual(['CREATE OR REPLACE TEMP TABLE t AS SELECT i FROM range(200000) r(i)', `${NOTED_MARK}\nSELECT 1`, 'SELECT sum(i) FROM t']);
  });
});
