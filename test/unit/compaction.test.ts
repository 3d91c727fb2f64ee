// The tables live in a COMPRESS in-memory database, stored uncompressed when written (a load
// does not pay for compression) and compressed by Database.compact(), which the app runs once
// new data is on screen. What must hold: a commit leaves tables uncompressed, compact() makes
// them much smaller, and every analysis, and every later change to the data (another file, its
// duplicates across files, removing it), gives exactly what it gave on uncompressed tables.
// Expected duplicate counts come from the lines themselves, as in warm-up-data.test.ts.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { warmUpTransactionsCsv } from '../../src/core/warm-up-data';
import { CLEAN_ORDERS } from '../../src/core/schema';
import type { Database } from '../../src/engine/database';
import { analyses } from '../../src/engine/analyses';
import { Workspace } from '../../src/engine/workspace';
import { addCsvText, openTestDatabase } from './helpers/duckdb';

/** How a table's text columns are stored: DuckDB's compression names, one of each. */
async function textStorage(db: Database, table: string): Promise<string[]> {
  const rows = await db.rows<{ c: string }>(
    `SELECT DISTINCT compression AS c FROM pragma_storage_info('${table}') WHERE segment_type = 'VARCHAR' ORDER BY 1`,
  );
  return rows.map((r) => r.c);
}

/** Bytes the tables hold in memory (DuckDB's own count). */
async function tableBytes(db: Database): Promise<number> {
  const [row] = await db.rows<{ bytes: number }>(
    `SELECT CAST(coalesce(sum(memory_usage_bytes), 0) AS DOUBLE) AS bytes FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'`,
  );
  return row.bytes;
}

/** Results without the timings (they differ on every run). */
function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !/timings|Ms$|^ms$/.test(k))
        .map(([k, v]) => [k, withoutTimings(v)]),
    );
  }
  return value;
}

/** The main analyses; cohorts last, as it compresses what is new once it has built positive_orders. */
async function runViews(db: Database) {
  const ctx = { db, config: defaultConfig(), progress: () => {}, isCancelled: () => false };
  return withoutTimings({
    trend: await analyses.monthlyTrend(ctx, undefined),
    segmentation: await analyses.segmentation(ctx, { datasetVersion: 1 }),
    clv: await analyses.clv(ctx, undefined),
    cohorts: await analyses.cohorts(ctx, undefined),
  });
}

/** Lines of a CSV body repeated earlier in it (the first copy is kept), by hand. */
function repeatedLines(lines: string[]): number {
  const seen = new Set<string>();
  let n = 0;
  for (const line of lines) {
    if (seen.has(line)) n++;
    seen.add(line);
  }
  return n;
}

describe('compaction', () => {
  it('a commit that writes more than DuckDB checkpoints for by default (16 MiB) stays uncompressed until compact()', async () => {
    const db = await openTestDatabase();
    // 1.5M rows of an 8-byte number and a 16-byte string: ~36 MB.
    await db.exec(`CREATE TABLE big AS SELECT range AS i, 'customer-' || CAST(range % 1000 AS VARCHAR) AS s FROM range(1500000)`);
    expect(await textStorage(db, 'big')).toEqual(['Uncompressed']);
    await db.compact();
    expect(await textStorage(db, 'big')).not.toContain('Uncompressed');
  });

  it('compresses only when asked, and the analyses read the same numbers from compressed tables', async () => {
    // The same file in two engines: the views run on the load's uncompressed tables in one
    // (trend, segmentation and lifetime value; the cohorts, last, compress what they built), on
    // compacted ones in the other.
    const csv = warmUpTransactionsCsv(60_000);
    const plain = await openTestDatabase();
    const plainWs = new Workspace(plain);
    await addCsvText(plain, plainWs, 'a.csv', csv);
    await plainWs.apply(defaultConfig());
    const before = await runViews(plain);

    const db = await openTestDatabase();
    const ws = new Workspace(db);
    await addCsvText(db, ws, 'a.csv', csv);
    const state = await ws.apply(defaultConfig());
    expect(state.quality!.counts.rows_read).toBe(60_000);
    // Written by the load, not compressed by its commits.
    expect(await textStorage(db, CLEAN_ORDERS)).toEqual(['Uncompressed']);
    const bytesBefore = await tableBytes(db);

    await db.compact();
    const storage = await textStorage(db, CLEAN_ORDERS);
    expect(storage).not.toContain('Uncompressed');
    expect(storage.length).toBeGreaterThan(0);
    const bytesAfter = await tableBytes(db);
    expect(bytesAfter).toBeLessThan(bytesBefore / 2);

    expect(await runViews(db)).toEqual(before);
  });

  it('compresses positive_orders once the cohorts have built it, and builds it again after a new load', async () => {
    const db = await openTestDatabase();
    const ws = new Workspace(db);
    await addCsvText(db, ws, 'a.csv', warmUpTransactionsCsv(30_000));
    await ws.apply(defaultConfig());
    await db.compact(); // as the app does once the data is on screen
    const ctx = { db, config: defaultConfig(), progress: () => {}, isCancelled: () => false };
    const first = withoutTimings(await analyses.cohorts(ctx, undefined));
    expect(await textStorage(db, 'positive_orders')).toEqual(expect.not.arrayContaining(['Uncompressed']));
    expect(await textStorage(db, 'positive_orders')).not.toEqual([]);
    // Built and compressed once: the same result read again from the compressed table.
    expect(withoutTimings(await analyses.cohorts(ctx, undefined))).toEqual(first);
    // New data (another file: customers of its own) drops it; the next cohort analysis builds it again.
    const other = warmUpTransactionsCsv(10_000).replaceAll(',CU', ',XU');
    await addCsvText(db, ws, 'b.csv', other);
    await ws.apply(defaultConfig());
    expect(await ctx.db.query('SELECT 1 FROM positive_orders LIMIT 0').then(() => true, () => false)).toBe(false);
    const second = withoutTimings(await analyses.cohorts(ctx, undefined));
    expect(second).not.toEqual(first);
    expect(await textStorage(db, 'positive_orders')).toEqual(expect.not.arrayContaining(['Uncompressed']));
  });

  it('another file after compaction: duplicates across files are marked in, and cleared from, the compressed tables', async () => {
    const db = await openTestDatabase();
    const ws = new Workspace(db);
    const a = warmUpTransactionsCsv(20_000);
    const [header, ...linesA] = a.trimEnd().split('\n');
    await addCsvText(db, ws, 'a.csv', a);
    const one = await ws.apply(defaultConfig());
    const ownDuplicates = repeatedLines(linesA);
    expect(one.quality!.counts.duplicates).toBe(ownDuplicates);
    await db.compact();

    // The same export's first 500 lines again, under another name: each is a copy of an earlier row.
    const linesB = linesA.slice(0, 500);
    await addCsvText(db, ws, 'b.csv', [header, ...linesB].join('\n') + '\n');
    const two = await ws.apply(defaultConfig());
    expect(two.quality!.counts.rows_read).toBe(20_500);
    expect(two.quality!.counts.duplicates).toBe(repeatedLines([...linesA, ...linesB]));
    expect(two.kpis).toEqual(one.kpis);
    await db.compact();

    ws.remove('b.csv');
    const back = await ws.apply(defaultConfig());
    expect(back.quality!.counts.duplicates).toBe(ownDuplicates);
    expect(back.kpis).toEqual(one.kpis);
  });
});
