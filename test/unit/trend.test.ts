// Headline KPIs and the monthly chart from the clean orders, on a hand-built clean_tx whose
// expected values are worked out by hand below.
import { beforeAll, describe, expect, it } from 'vitest';
import { headlineKpisSql } from '../../src/core/sql/quality';
import { monthlyTrendSql, monthlyTrendStatements } from '../../src/core/sql/trend';
import type { Database } from '../../src/engine/database';
import { cleanTx, type Row } from './cohort-fixture';
import { openTestDatabase } from './helpers/duckdb';

// A1 of customer A has rows on 31 Jan and 1 Feb; customer B also has an order called A1 (a
// different order: an order is an order id *of a customer*); B2 is a return only.
const ROWS: Row[] = [
  ['A', 'A1', '2024-01-31', 100, null],
  ['A', 'A1', '2024-02-01', 20, null],
  ['A', 'A2', '2024-02-10', 50, null],
  ['B', 'A1', '2024-02-15', 30, null],
  ['B', 'B2', '2024-03-01', -10, null],
];

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  await cleanTx(db, ROWS);
}, 60_000);

describe('headline KPIs', () => {
  it('count orders per customer, net of returns, and dates of the rows', async () => {
    const [k] = await db.rows<Record<string, number>>(headlineKpisSql());
    // Orders: A/A1 (120), A/A2 (50), B/A1 (30) are positive; B/B2 (−10) is not an order.
    expect(k).toMatchObject({ customers: 2, orders: 3, revenue: 190, clean_rows: 5, clean_orders: 4 });
    expect(k.aov).toBeCloseTo(190 / 3, 12);
    expect(new Date(k.first_date).toISOString().slice(0, 10)).toBe('2024-01-31');
    // The last row's day, not the last order's first day.
    expect(new Date(k.last_date).toISOString().slice(0, 10)).toBe('2024-03-01');
  });
});

describe('monthly trend', () => {
  it('puts each order in the month of its first row and adds up to the KPIs', async () => {
    const rows = await db.rows<{ month: number; revenue: number; customers: number; orders: number }>(monthlyTrendSql());
    expect(rows.map((r) => [new Date(r.month).toISOString().slice(0, 7), r.revenue, r.orders, r.customers])).toEqual([
      // January: A/A1 with both its rows (100 + 20), though the second is dated 1 February.
      ['2024-01', 120, 1, 1],
      // February: A/A2 (50) and B/A1 (30), two customers.
      ['2024-02', 80, 2, 2],
      // March: only B's return — revenue −10, no order, no buying customer.
      ['2024-03', -10, 0, 0],
    ]);
  });
});

describe('monthly trend in slices of the customers (large data)', () => {
  it('gives the same months, counting each buying customer once, and leaves no table behind', async () => {
    for (const slices of [2, 3]) {
      const { statements, resultIndex } = monthlyTrendStatements(slices);
      expect(statements.length).toBe(slices + 2);
      let rows: { month: number; revenue: number; customers: number; orders: number }[] = [];
      for (const [i, sql] of statements.entries()) {
        if (i === resultIndex) rows = await db.rows(sql);
        else await db.exec(sql);
      }
      // The same hand-worked months as above (March: a return only, no buying customer).
      expect(rows.map((r) => [new Date(r.month).toISOString().slice(0, 7), r.revenue, r.orders, r.customers])).toEqual([
        ['2024-01', 120, 1, 1],
        ['2024-02', 80, 2, 2],
        ['2024-03', -10, 0, 0],
      ]);
      expect(await db.readable('trend_buyers')).toBe(false);
    }
  });
});

describe('orders as of a day', () => {
  it('count only the rows before it, also of an order that straddles it', async () => {
    const { customerSummarySql } = await import('../../src/core/sql/customers');
    const at = async (asOf: string) =>
      (await db.rows<{ customer_id: string; frequency: number; monetary: number }>(`${customerSummarySql({ asOf })} ORDER BY customer_id`)).map((r) => [r.customer_id, r.frequency, r.monetary]);
    // A/A1 has rows on 31 Jan (100) and 1 Feb (20): as of 1 Feb only the first counts.
    expect(await at('2024-02-01')).toEqual([['A', 1, 100]]);
    expect(await at('2024-02-02')).toEqual([['A', 1, 120]]);
    // As of 16 Feb: A has A1 (120) and A2 (50); B has its A1 (30).
    expect(await at('2024-02-16')).toEqual([['A', 2, 170], ['B', 1, 30]]);
  });

  it('the same with the straddling orders looked up first (the app reads only their rows)', async () => {
    const { customerSummarySql, straddlingFromSql } = await import('../../src/core/sql/customers');
    const straddling = async (asOf: string) => (await db.rows<{ first_day: string | null }>(straddlingFromSql(asOf)))[0].first_day;
    // A/A1 (31 Jan – 1 Feb) straddles 1 Feb; nothing straddles 16 Feb (every other order is one day).
    expect(await straddling('2024-02-01')).toBe('2024-01-31');
    expect(await straddling('2024-02-16')).toBeNull();
    const at = async (asOf: string, straddlingFrom: string | null) =>
      (await db.rows<{ customer_id: string; frequency: number; monetary: number }>(`${customerSummarySql({ asOf, straddlingFrom })} ORDER BY customer_id`)).map((r) => [
        r.customer_id,
        r.frequency,
        r.monetary,
      ]);
    expect(await at('2024-02-01', '2024-01-31')).toEqual([['A', 1, 100]]);
    expect(await at('2024-02-16', null)).toEqual([['A', 2, 170], ['B', 1, 30]]);
    // A first day after the straddling rows would lose A/A1's 31 January row: the rows are read from it.
    expect(await at('2024-02-01', '2024-02-01')).toEqual([]);
  });
});
