// "Copy as DuckDB script" must reproduce the app's numbers in native DuckDB. The same
// fixture is analysed by the app's pipeline (DuckDB-WASM) and by the generated script run
// with @duckdb/node-api; the results must be identical.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { duckdbScript, duckdbScriptParts, shortenForDisplay } from '../../src/core/script';
import { valuesTableParts, valuesTableSql } from '../../src/core/sql/values';
import { clv } from '../../src/engine/analyses/clv';
import { INSERTED_MARK, recordedParts, recordedText } from '../../src/engine/database';
import { Workspace } from '../../src/engine/workspace';
import { openTestDatabase } from './helpers/duckdb';
import { cdnowRows, cleanTxStatements } from './helpers/clean-tx';

/**
 * Runs a DuckDB script in native DuckDB (2 threads) with `dir` as the file search path, then
 * each query; rows as the app's Database returns them (dates as epoch ms, no bigints).
 */
async function replayNatively(script: string, dir: string, queries: string[]): Promise<Record<string, unknown>[][]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await instance.connect();
  try {
    await c.run(`SET file_search_path = '${dir.replace(/'/g, "''")}'`);
    await c.run(script);
    const results = [];
    for (const sql of queries) {
      const rows = (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
      results.push(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : v]))));
    }
    return results;
  } finally {
    c.closeSync();
  }
}

describe('DuckDB script', () => {
  it('gives native DuckDB the same quality counts and KPIs as the app', async () => {
    const csv = fs.readFileSync('test/fixtures/dirty-small.csv');
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer('retail.csv', csv);
    const ws = new Workspace(db);
    await ws.addCsv('retail.csv', csv.length, 'utf-8');
    const config = defaultConfig();
    config.policies.dropDuplicates = false;
    await ws.apply(config);
    const app = [];
    for (const sql of ws.reportStatements) app.push(await db.rows(sql));

    const script = duckdbScript({
      title: 'test',
      files: [{ name: 'retail.csv', format: 'csv', encoding: 'utf-8' }],
      setup: ws.setupStatements,
      analysis: [],
    });
    expect(script).toContain("read_csv('retail.csv'");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-script-'));
    fs.writeFileSync(path.join(dir, 'retail.csv'), csv);
    const native = await replayNatively(script, dir, ws.reportStatements);
    expect(native).toEqual(app);
    // And the numbers are the hand-counted ones (see workspace.test.ts).
    expect(native[0][0]).toMatchObject({ rows_read: 12, missing_customer: 2, bad_date: 1, bad_amount: 1, duplicates: 1 });
  });
});

describe('DuckDB script of several files', () => {
  it('reads each file and marks the rows repeated across them as the app does', async () => {
    // Two exports that overlap (O2, O3), the second with a duplicate of its own (O4).
    const files = {
      'q1.csv': 'order_id,customer_id,order_date,amount\nO1,c1,2024-01-05,10\nO2,c2,2024-02-03,20\nO3,c1,2024-03-09,5\n',
      'feb-mar.csv': 'order_id,customer_id,order_date,amount\nO2,c2,2024-02-03,20\nO3,c1,2024-03-09,5\nO4,c3,2024-03-20,7\nO4,c3,2024-03-20,7\n',
    };
    const db = await openTestDatabase();
    const ws = new Workspace(db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-script-'));
    for (const [name, text] of Object.entries(files)) {
      const bytes = new TextEncoder().encode(text);
      db.bindings.registerFileBuffer(name, bytes);
      fs.writeFileSync(path.join(dir, name), bytes);
      await ws.addCsv(name, bytes.length, 'utf-8');
      await ws.apply(defaultConfig()); // one file, then both: the first is not read again
    }
    const app = [];
    for (const sql of ws.reportStatements) app.push(await db.rows(sql));
    const script = duckdbScript({
      title: 'test',
      files: Object.keys(files).map((name) => ({ name, format: 'csv' as const, encoding: 'utf-8' })),
      setup: ws.setupStatements,
      analysis: [],
    });
    const native = await replayNatively(script, dir, ws.reportStatements);
    expect(native).toEqual(app);
    // 7 rows, 3 extra copies; 10 + 20 + 5 + 7.
    expect(native[0][0]).toMatchObject({ rows_read: 7, duplicates: 3 });
    expect(native[1][0]).toMatchObject({ customers: 3, revenue: 42 });
  });
});

describe('DuckDB script of the lifetime-value analysis', () => {
  it('recreates the scores the app computed in memory, so native DuckDB gets the same customer_clv', async () => {
    // The CDNOW sample (2,357 customers, 18 months): the BG/NBD and Gamma-Gamma fits converge,
    // so the analysis goes all the way to per-customer scores.
    const cleanTx = cleanTxStatements(cdnowRows());
    const db = await openTestDatabase();
    for (const sql of cleanTx) await db.exec(sql);
    db.startRecording();
    const result = await clv({ db, config: defaultConfig(), progress: () => {}, isCancelled: () => false }, undefined);
    const recorded = db.stopRecording();
    const statements = recordedText(recorded);
    expect(result.bgnbd.converged && result.gammaGamma?.converged).toBe(true);
    const inserted = statements.filter((s) => s.startsWith(INSERTED_MARK));
    expect(inserted).toHaveLength(1);
    // One row per distinct (frequency, age): the expectations if alive, which the script cannot
    // compute (P(alive) is SQL in both), counted here from the summary the analysis left.
    const [{ xT }] = await db.rows<{ xT: number }>('SELECT CAST(count(*) AS INTEGER) AS "xT" FROM (SELECT DISTINCT x, "T_days" FROM clv_summary)');
    expect(xT).toBeLessThan(result.patterns);
    expect(inserted[0].split('\n').length).toBe(xT + 3); // mark, CREATE … VALUES, the rows, the closing line
    // "Show SQL" prints the same statements with the first 200 histories of the values and how
    // many follow, without writing out the rest.
    const shown = recordedText(recorded, true);
    expect(shown.length).toBe(statements.length);
    const at = statements.indexOf(inserted[0]);
    const lines = inserted[0].split('\n');
    const shownLines = shown[at].split('\n');
    expect(shownLines.slice(0, 202)).toEqual(lines.slice(0, 202)); // mark, CREATE … VALUES, 200 rows
    expect(shownLines[202]).toBe(`-- … ${(xT - 200).toLocaleString('en-US')} more rows: in the copied or downloaded script`);
    expect(shownLines.at(-1)).toBe(lines.at(-1));
    expect(shownLines.length).toBe(204);
    expect(shown.filter((_, i) => i !== at)).toEqual(statements.filter((_, i) => i !== at).map((s) => shortenForDisplay(s)));

    // The downloaded script is a Blob of parts (the worker's script()): the same text.
    const script = duckdbScriptParts({ title: 'clv', files: [], setup: cleanTx, analysis: recordedParts(recorded) }).join('');
    expect(script).toBe(duckdbScript({ title: 'clv', files: [], setup: cleanTx, analysis: statements }));
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const c = await instance.connect();
    await c.run(script);
    const query = 'SELECT customer_id, p_alive, expected_purchases, expected_aov, clv FROM customer_clv ORDER BY customer_id';
    const native = (await c.runAndReadAll(query)).getRowObjectsJS();
    c.closeSync();
    const app = await db.rows(query);
    expect(native.length).toBe(2357);
    expect(native.map((r) => r.customer_id)).toEqual(app.map((r) => r.customer_id));
    // The same up to the last bits: native DuckDB sums a customer's spend on two threads, in
    // another order (expected_aov and clv depend on it), and P(alive) is each build's own exp and
    // ln (native DuckDB's C library and DuckDB-WASM's differ in the last bit on some arguments).
    native.forEach((r, i) => {
      for (const k of ['p_alive', 'expected_purchases', 'expected_aov', 'clv']) {
        const [x, y] = [Number(r[k]), Number(app[i][k])];
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
      }
    });
  });
});

describe('shortenForDisplay', () => {
  it('keeps short statements and cuts long ones at a line, saying how many lines follow', () => {
    expect(shortenForDisplay('SELECT 1', 100)).toBe('SELECT 1');
    const long = ['CREATE TABLE t AS VALUES', ...Array.from({ length: 100 }, (_, i) => `(${i}),`)].join('\n');
    const shown = shortenForDisplay(long, 60);
    // 'CREATE TABLE t AS VALUES' (24) + '\n(0),\n(1),…': the last whole line within 60 characters.
    expect(shown.split('\n').slice(0, -1).join('\n')).toBe(long.slice(0, long.lastIndexOf('\n', 60)));
    expect(shown.split('\n').at(-1)).toMatch(/^-- … \d+ more lines: in the copied or downloaded script$/);
    const kept = shown.split('\n').length - 1;
    expect(shown).toContain(`-- … ${101 - kept} more lines`);
  });
});

describe('valuesTableSql', () => {
  it('writes doubles so DuckDB reads back the same bits, with NaN and infinities, and an empty table', async () => {
    const db = await openTestDatabase();
    const doubles = [0.1, 1 / 3, -2.5e10, 5e-324, 0, NaN, Infinity, -Infinity];
    await db.exec(valuesTableSql('v', [
      { name: 'i', type: 'INTEGER', values: doubles.map((_, i) => i) },
      { name: 'd', type: 'DOUBLE', values: doubles },
    ]));
    const rows = await db.rows<{ i: number; d: number }>('SELECT i, d FROM v ORDER BY i');
    expect(rows.map((r) => r.d)).toEqual(doubles);
    expect((await db.rows('DESCRIBE v')).map((r) => r.column_type)).toEqual(['INTEGER', 'DOUBLE']);
    await db.exec(valuesTableSql('e', [{ name: 'x', type: 'INTEGER', values: [] }]));
    expect(await db.rows('SELECT * FROM e')).toEqual([]);
    expect(() => valuesTableSql('w', [{ name: 'x', type: 'INTEGER', values: [1.5] }])).toThrow(/Not an integer/);
  });
});

describe('a table written from values in parts', () => {
  it('is the same statement whole, in many parts, and runs to the same rows', async () => {
    const n = 12_345;
    const x = Int32Array.from({ length: n }, (_, i) => i);
    const half = Float64Array.from({ length: n }, (_, i) => i / 2);
    const columns = [
      { name: 'x', type: 'INTEGER' as const, values: x },
      { name: 'half', type: 'DOUBLE' as const, values: half },
    ];
    const parts = valuesTableParts('t', columns);
    expect(parts.length).toBeGreaterThan(3); // more rows than one part holds
    const sql = parts.join('');
    expect(sql).toBe(valuesTableSql('t', columns));
    expect(sql.split('\n').length).toBe(n + 2); // CREATE … VALUES, a line per row, ) AS t(…)
    const db = await openTestDatabase();
    await db.exec(sql);
    // By hand: 0 + 1 + … + (n − 1), and half of it.
    const [row] = await db.rows<{ rows: number; sx: number; sh: number; last: number }>('SELECT count(*) AS rows, CAST(sum(x) AS BIGINT) AS sx, sum(half) AS sh, max(x) AS last FROM t');
    expect(row).toEqual({ rows: n, sx: (n * (n - 1)) / 2, sh: (n * (n - 1)) / 4, last: n - 1 });
    // As "Show SQL" prints it: 200 rows and how many follow.
    const shown = valuesTableParts('t', columns, 200).join('').split('\n');
    expect(shown.length).toBe(1 + 200 + 2);
    expect(shown[201]).toBe(`-- … ${(n - 200).toLocaleString('en-US')} more rows: in the copied or downloaded script`);
  });
});
