// Builds clean_tx as a real table (the exact column types of src/core/schema.ts) from
// hand-written rows, so the SQL builders run against real DuckDB-WASM.
import { date, num, str } from '../../../src/core/sql/ident';
import type { Database } from '../../../src/engine/database';
import { cleanOrdersSql } from '../../../src/core/sql/quality';

/** [customer_id, order_id, ISO day, amount] */
export type TxRow = readonly [string, string, string, number];

export async function createCleanTx(db: Database, rows: readonly TxRow[]): Promise<void> {
  await db.exec(`CREATE OR REPLACE TABLE clean_tx (
    customer_id VARCHAR NOT NULL,
    order_id    VARCHAR NOT NULL,
    order_ts    TIMESTAMP NOT NULL,
    order_date  DATE NOT NULL,
    amount      DOUBLE NOT NULL,
    quantity    DOUBLE,
    product     VARCHAR,
    category    VARCHAR,
    channel     VARCHAR,
    region      VARCHAR
  )`);
  if (rows.length > 0) {
    const values = rows.map(
      ([customer, order, day, amount]) =>
        `(${str(customer)}, ${str(order)}, CAST(${str(`${day} 10:30:00`)} AS TIMESTAMP), ${date(day)}, CAST(${num(amount)} AS DOUBLE), 1, NULL, NULL, NULL, NULL)`,
    );
    await db.exec(`INSERT INTO clean_tx VALUES\n${values.join(',\n')}`);
  }
  // As the workspace does after building the clean view.
  await db.exec(cleanOrdersSql());
}

/** DATE values arrive as epoch milliseconds (UTC). */
export function isoDay(ms: unknown): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(ms as number).toISOString().slice(0, 10);
}

export function byId<T extends { customer_id: string }>(rows: T[]): Record<string, T> {
  return Object.fromEntries(rows.map((r) => [r.customer_id, r]));
}
