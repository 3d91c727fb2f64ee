// Revenue, orders and buying customers per calendar month (the headline chart), from the clean
// orders, with the headline KPIs' definitions: an order belongs to the month of its first row,
// with its whole net amount (returns netted); orders and customers count positive orders only.
// Summed over the months, revenue and orders equal the headline KPIs.
import { CLEAN_ORDERS } from '../schema';
import { ident } from './ident';
import { customerSlice, fillInSlices } from './slices';

const MONTH = `date_trunc('month', order_date)`;

export function monthlyTrendSql(): string {
  return `SELECT ${MONTH} AS month,
  CAST(sum(net) AS DOUBLE) AS revenue,
  CAST(count(DISTINCT customer_id) FILTER (WHERE net > 0) AS INTEGER) AS customers,
  CAST(count(*) FILTER (WHERE net > 0) AS INTEGER) AS orders
FROM ${ident(CLEAN_ORDERS)} GROUP BY 1 ORDER BY 1`;
}

/** Buying customers per month and slice, for the sliced trend (a temporary table). */
export const TREND_BUYERS_TABLE = 'trend_buyers';

/**
 * The trend as statements whose result is that of the `resultIndex`-th: monthlyTrendSql for one
 * slice; for more, the DISTINCT's hash table (one entry per customer and month) is built slice by
 * slice of the customers' hash space (see slices.ts) into a temporary table,
 * whose counts add up since a customer falls in one slice only, then joined to the month's
 * revenue and orders, then dropped.
 */
export function monthlyTrendStatements(slices: number): { statements: string[]; resultIndex: number } {
  const k = Math.max(1, Math.floor(slices));
  if (k === 1) return { statements: [monthlyTrendSql()], resultIndex: 0 };
  const buyers = ident(TREND_BUYERS_TABLE);
  const statements = fillInSlices(TREND_BUYERS_TABLE, { temp: true }, k, (i) =>
    `SELECT ${MONTH} AS month, count(DISTINCT customer_id) AS customers FROM ${ident(CLEAN_ORDERS)}
WHERE net > 0 AND ${customerSlice('customer_id', k, i)} GROUP BY 1`,
  );
  statements.push(`SELECT m.month AS month, m.revenue AS revenue, CAST(coalesce(b.customers, 0) AS INTEGER) AS customers, m.orders AS orders
FROM (SELECT ${MONTH} AS month, CAST(sum(net) AS DOUBLE) AS revenue, CAST(count(*) FILTER (WHERE net > 0) AS INTEGER) AS orders
  FROM ${ident(CLEAN_ORDERS)} GROUP BY 1) m
LEFT JOIN (SELECT month, sum(customers) AS customers FROM ${buyers} GROUP BY 1) b ON b.month = m.month
ORDER BY m.month`);
  statements.push(`DROP TABLE ${buyers}`);
  return { statements, resultIndex: k };
}
