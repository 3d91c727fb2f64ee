// "Copy as DuckDB script" must reproduce the app's numbers in native DuckDB. The same
// fixture is analysed by the app's pipeline (DuckDB-WASM) and by the generated script run
// with @duckdb/node-api; the results must be identical.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { duckdbScript } from '../../src/core/script';
import { Workspace } from '../../src/engine/workspace';
import { openTestDatabase } from './helpers/duckdb';

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
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const c = await instance.connect();
    await c.run(`SET file_search_path = '${dir.replace(/'/g, "''")}'`);
    await c.run(script);
    const native = [];
    for (const sql of ws.reportStatements) {
      const rows = (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
      native.push(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : v]))));
    }
    c.closeSync();
    expect(native).toEqual(app);
    // And the numbers are the hand-counted ones (see workspace.test.ts).
    expect(native[0][0]).toMatchObject({ rows_read: 12, missing_customer: 2, bad_date: 1, bad_amount: 1, duplicates: 1 });
  });
});
