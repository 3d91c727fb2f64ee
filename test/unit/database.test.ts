import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers/duckdb';

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
});
