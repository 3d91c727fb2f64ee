// Real DuckDB-WASM in Node (the blocking build): the same engine the browser runs, no mocks.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Database } from '../../../src/engine/database';
import type { Workspace } from '../../../src/engine/workspace';

const require = createRequire(import.meta.url);

export async function openTestDatabase(): Promise<Database> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate(() => {});
  bindings.open({});
  const db = new Database(bindings);
  await db.configure();
  return db;
}

/** Add a CSV text to a workspace as a file of that name (UTF-8), as a drop would. */
export async function addCsvText(db: Database, ws: Workspace, name: string, csv: string): Promise<void> {
  const bytes = new TextEncoder().encode(csv);
  db.bindings.registerFileBuffer(name, bytes);
  await ws.addCsv(name, bytes.length, 'utf-8');
}
