// When a Parquet load compresses its table (importer.ts compactAfterGroup, loadParquet).
import { Float64, makeVector, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { compactAfterGroup, loadParquet, PARQUET_CHUNK_TABLE } from '../../src/engine/importer';
import { openTestDatabase } from './helpers/duckdb';

/** The groups after which a load of `groups` row groups compacts, every 8. */
const compactions = (groups: number) => Array.from({ length: groups }, (_, g) => g).filter((g) => compactAfterGroup(g, groups, 8));

describe('Parquet load compaction', () => {
  it('compacts every 8 groups and after the last', () => {
    expect(compactions(1)).toEqual([0]);
    expect(compactions(8)).toEqual([7]);
    // 1M rows of ~124k-row groups: 9 groups.
    expect(compactions(9)).toEqual([7, 8]);
    expect(compactions(13)).toEqual([7, 12]);
    // 5M rows: 41 groups.
    expect(compactions(41)).toEqual([7, 15, 23, 31, 39, 40]);
    // Never more than 8 groups uncompressed.
    for (let groups = 1; groups <= 100; groups++) {
      let last = -1;
      for (const g of compactions(groups)) {
        expect(g - last).toBeLessThanOrEqual(8);
        last = g;
      }
      expect(last).toBe(groups - 1);
    }
  });

  it('loadParquet compacts where compactAfterGroup says and keeps every row', async () => {
    const db = await openTestDatabase();
    const group = (g: number) =>
      tableToIPC(
        new Table({
          customer_id: vectorFromArray([`c${g}a`, `c${g}b`], new Utf8()),
          amount: makeVector(new Float64Array([g, g + 0.5])),
        }),
        'stream',
      );
    const at: number[] = [];
    let inserted = 0;
    const compact = db.compact.bind(db);
    db.compact = async () => {
      at.push(inserted);
      await compact();
    };
    const source = { numRowGroups: () => 9, readRowGroupIPC: async (g: number) => (inserted++, group(g)) };
    const columns = await loadParquet(db, 'pq', source, () => {}, () => false);
    expect(at).toEqual([8, 9]);
    expect(columns.map((c) => c.name)).toEqual(['customer_id', 'amount']);
    const [row] = await db.rows<{ n: number; total: number }>('SELECT CAST(count(*) AS INTEGER) AS n, sum(amount) AS total FROM pq');
    // 9 groups of 2 rows; amounts g + g + 0.5 for g = 0..8: 2 · 36 + 4.5.
    expect(row).toEqual({ n: 18, total: 76.5 });
    expect(await db.readable(PARQUET_CHUNK_TABLE)).toBe(false);
  });

  it("fills DuckDB's row groups however the file's are cut", async () => {
    const db = await openTestDatabase();
    // 8 row groups of 124,503 rows (a size DuckDB's Parquet writer made for the benchmark's file),
    // compacted once, after the last. Inserted one by one, each left a partial DuckDB row group
    // of 1,623 rows behind (16 row groups); moved in one insert they fill ceil(996,024 / 122,880)
    // = 9 row groups, the last with the remaining 996,024 − 8 · 122,880 = 12,984 rows.
    const rows = 124_503;
    const group = (g: number) => tableToIPC(new Table({ amount: makeVector(Float64Array.from({ length: rows }, (_, i) => g * rows + i)) }), 'stream');
    const source = { numRowGroups: () => 8, readRowGroupIPC: async (g: number) => group(g) };
    await loadParquet(db, 'pq', source, () => {}, () => false);
    const sizes = await db.rows<{ n: number }>(
      `SELECT CAST(sum(count) AS INTEGER) AS n FROM pragma_storage_info('pq') WHERE column_id = 0 AND segment_type <> 'VALIDITY' GROUP BY row_group_id ORDER BY row_group_id`,
    );
    expect(sizes.map((r) => r.n)).toEqual([...Array(8).fill(122_880), 12_984]);
    const [row] = await db.rows<{ n: number; total: number }>('SELECT CAST(count(*) AS INTEGER) AS n, sum(amount) AS total FROM pq');
    const n = 8 * rows;
    expect(row).toEqual({ n, total: ((n - 1) * n) / 2 });
  });

  it('a cancelled load leaves no gathered rows behind', async () => {
    const db = await openTestDatabase();
    const group = () => tableToIPC(new Table({ amount: makeVector(new Float64Array([1, 2])) }), 'stream');
    let read = 0;
    const source = { numRowGroups: () => 9, readRowGroupIPC: async () => (read++, group()) };
    await expect(loadParquet(db, 'pq', source, () => {}, () => read >= 3)).rejects.toMatchObject({ code: 'cancelled' });
    expect(await db.readable(PARQUET_CHUNK_TABLE)).toBe(false);
  });
});
