// A minimal clean_tx (customer, day, amount) for the lifetime-value analysis, as SQL statements so
// that DuckDB-WASM and native DuckDB can both be given the same table; and the CDNOW sample's rows.
import fs from 'node:fs';

export type TxRow = [customer: string, day: string, amount: number];

/** CREATE TABLE clean_tx and INSERTs of the rows, 1,000 per statement. */
export function cleanTxStatements(rows: readonly TxRow[]): string[] {
  const statements = [`CREATE TABLE clean_tx (customer_id VARCHAR, order_date DATE, amount DOUBLE)`];
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows.slice(i, i + 1000).map(([c, d, a]) => `('${c}', DATE '${d}', ${a})`);
    statements.push(`INSERT INTO clean_tx VALUES ${values.join(', ')}`);
  }
  return statements;
}

/** test/fixtures/cdnow/CDNOW_sample.txt: customer id, ISO day, amount per line. */
export function cdnowRows(): TxRow[] {
  return fs
    .readFileSync('test/fixtures/cdnow/CDNOW_sample.txt', 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => {
      const [id, , d, , v] = l.trim().split(/\s+/);
      return [id, `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, Number(v)];
    });
}
