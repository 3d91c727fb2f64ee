// The hand-built clean_tx of the cohort and KPI-trend tests (issue #4), with the channel column.
import type { Database } from '../../src/engine/database';
import { date, num, str } from '../../src/core/sql/ident';
import { cleanOrdersSql } from '../../src/core/sql/quality';
import { POSITIVE_ORDERS_TABLE, positiveOrdersSql } from '../../src/core/sql/cohort';

/** [customer, order, ISO day, amount, channel] */
export type Row = readonly [string, string, string, number, string | null];

export async function cleanTx(db: Database, rows: readonly Row[]): Promise<void> {
  await db.exec(`CREATE OR REPLACE TABLE clean_tx (
    customer_id VARCHAR NOT NULL, order_id VARCHAR NOT NULL, order_ts TIMESTAMP NOT NULL, order_date DATE NOT NULL,
    amount DOUBLE NOT NULL, quantity DOUBLE, product VARCHAR, category VARCHAR, channel VARCHAR, region VARCHAR)`);
  const values = rows.map(
    ([c, o, d, a, ch]) =>
      `(${str(c)}, ${str(o)}, CAST(${str(`${d} 09:00:00`)} AS TIMESTAMP), ${date(d)}, ${num(a)}, 1, NULL, NULL, ${ch === null ? 'NULL' : str(ch)}, NULL)`,
  );
  await db.exec(`INSERT INTO clean_tx VALUES ${values.join(',\n')}`);
  // As the workspace does after building the clean view (and the cohort analysis when it runs).
  await db.exec(cleanOrdersSql());
  await db.exec(`DROP TABLE IF EXISTS ${POSITIVE_ORDERS_TABLE}`);
  await db.exec(positiveOrdersSql());
}

// Months. Horizon = the last order day 2024-04-30 → April.
export const MONTHS: Row[] = [
  // A: first order on the last day of January, the next on the first day of February (period 1).
  ['A', 'A1', '2024-01-31', 100, 'web'],
  ['A', 'A2', '2024-02-01', 50, 'web'],
  ['A', 'A3', '2024-04-15', 30, 'store'],
  // B: first order is a return (January): the cohort is February, the first positive order.
  ['B', 'B1', '2024-01-15', -20, 'web'],
  ['B', 'B2', '2024-02-10', 80, 'store'],
  ['B', 'B3', '2024-02-20', -30, 'store'],
  // C: a return in March counts as revenue but does not make C active.
  ['C', 'C1', '2024-01-05', 200, 'store'],
  ['C', 'C2', '2024-03-05', -50, 'store'],
  // D: only a return → no cohort.
  ['D', 'D1', '2024-02-05', -40, 'web'],
  // E: one order of two lines (40 + 20) on the last day of February; April 10.
  ['E', 'E1', '2024-02-28', 40, 'web'],
  ['E', 'E1', '2024-02-28', 20, 'web'],
  ['E', 'E2', '2024-04-30', 10, 'web'],
  // F: a March order that nets to 0 is not a purchase: cohort April.
  ['F', 'F1', '2024-03-31', 100, 'web'],
  ['F', 'F1', '2024-03-31', -100, 'web'],
  ['F', 'F2', '2024-04-01', 25, 'store'],
  // G: one January order.
  ['G', 'G1', '2024-01-20', 10, 'web'],
];
