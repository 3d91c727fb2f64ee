// How quality-report examples write typed values: as an export would, not as DuckDB's defaults.
import { describe, expect, it } from 'vitest';
import { asShownSql } from '../../src/core/sql/quality';
import { openTestDatabase } from './helpers/duckdb';

describe('asShownSql', () => {
  it('writes midnight timestamps as dates and whole numbers without .0', async () => {
    const db = await openTestDatabase();
    await db.exec(`CREATE TABLE s AS SELECT * FROM (VALUES
      (TIMESTAMP '2024-01-05 00:00:00', 1.0::DOUBLE, 'a'),
      (TIMESTAMP '2024-01-05 10:30:00', 12.5::DOUBLE, 'b.0'),
      (TIMESTAMP '2024-12-31 00:00:01', 100.0::DOUBLE, '10'),
      (NULL, 10.05::DOUBLE, NULL),
      (TIMESTAMP '2024-02-29 00:00:00', -3.0::DOUBLE, 'x'),
      (TIMESTAMP '2024-03-01 00:00:00', 1e20::DOUBLE, 'y')
    ) t(ts, amount, label)`);
    const rows = await db.rows<{ ts: string | null; amount: string; label: string | null }>(
      `SELECT ${asShownSql('ts', 'TIMESTAMP')} AS ts, ${asShownSql('amount', 'DOUBLE')} AS amount, ${asShownSql('label', 'VARCHAR')} AS label FROM s`,
    );
    expect(rows).toEqual([
      { ts: '2024-01-05', amount: '1', label: 'a' },
      { ts: '2024-01-05 10:30:00', amount: '12.5', label: 'b.0' },
      { ts: '2024-12-31 00:00:01', amount: '100', label: '10' },
      { ts: null, amount: '10.05', label: null },
      { ts: '2024-02-29', amount: '-3', label: 'x' },
      { ts: '2024-03-01', amount: '1e+20', label: 'y' },
    ]);
  });
});
