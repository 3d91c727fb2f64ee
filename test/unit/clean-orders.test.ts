// The clean orders built in slices of customers (large data) are the same table as in one
// statement: the reference is the single GROUP BY, the comparison exact, row by row.
import { describe, expect, it } from 'vitest';
import { CLEAN_ORDER_ROWS_PER_SLICE, cleanOrdersStatements } from '../../src/core/sql/quality';
import { openTestDatabase } from './helpers/duckdb';

describe('clean orders in slices', () => {
  it('uses one statement up to the slice size and one more per slice above it', () => {
    expect(cleanOrdersStatements(CLEAN_ORDER_ROWS_PER_SLICE)).toHaveLength(1);
    expect(cleanOrdersStatements(CLEAN_ORDER_ROWS_PER_SLICE + 1)).toHaveLength(2);
    expect(cleanOrdersStatements(3 * CLEAN_ORDER_ROWS_PER_SLICE)).toHaveLength(3);
  });

  it('gives exactly the orders of the single aggregate', async () => {
    const db = await openTestDatabase();
    // 20,000 rows, 700 customers, orders of 1-3 lines, some order ids shared by two customers
    // (an order is an order id of a customer), amounts in cents so sums are exact.
    await db.exec(`CREATE TABLE clean_tx AS SELECT
        'C' || CAST(i % 700 AS VARCHAR) AS customer_id,
        'O' || CAST((i // 3) % 5000 AS VARCHAR) AS order_id,
        TIMESTAMP '2023-01-01' + INTERVAL ((i * 7919) % 40000) MINUTE AS order_date,
        CAST(((i * 37) % 2000) - 100 AS DOUBLE) / 4 AS amount
      FROM range(20000) r(i)`);
    const [single] = cleanOrdersStatements(0);
    await db.exec(single.replace('"clean_orders"', '"reference"'));
    const sliced = cleanOrdersStatements(3 * CLEAN_ORDER_ROWS_PER_SLICE);
    for (const sql of sliced) await db.exec(sql);
    const count = async (sql: string) => (await db.rows<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM (${sql})`))[0].n;
    const reference = await count('SELECT * FROM reference');
    expect(reference).toBeGreaterThan(5000);
    expect(await count('SELECT * FROM clean_orders')).toBe(reference);
    expect(await count('SELECT * FROM clean_orders EXCEPT ALL SELECT * FROM reference')).toBe(0);
    expect(await count('SELECT * FROM reference EXCEPT ALL SELECT * FROM clean_orders')).toBe(0);
    // every slice held some customers
    for (let k = 0; k < 3; k++) expect(await count(`SELECT * FROM clean_orders WHERE hash(customer_id) % 3 = ${k}`)).toBeGreaterThan(0);
  });
});
