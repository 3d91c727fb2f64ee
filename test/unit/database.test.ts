import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers/duckdb';
import { NOTED_MARK } from '../../src/engine/database';

describe('Database (real DuckDB-WASM)', () => {
  it('runs a query and returns plain rows', async () => {
    const db = await openTestDatabase();
    const rows = await db.rows<{ n: number; s: string }>(`SELECT 40 + 2 AS n, 'x' AS s`);
    expect(rows).toEqual([{ n: 42, s: 'x' }]);
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
