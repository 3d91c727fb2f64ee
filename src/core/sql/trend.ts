// Revenue, orders and buying customers per calendar month (the headline chart), from the clean
// orders, with the headline KPIs' definitions: an order belongs to the month of its first row,
// with its whole net amount (returns netted); orders and customers count positive orders only.
// Summed over the months, revenue and orders equal the headline KPIs.
import { CLEAN_ORDERS } from '../schema';
import { ident } from './ident';

export function monthlyTrendSql(): string {
  return `SELECT date_trunc('month', order_date) AS month,
  CAST(sum(net) AS DOUBLE) AS revenue,
  CAST(count(DISTINCT customer_id) FILTER (WHERE net > 0) AS INTEGER) AS customers,
  CAST(count(*) FILTER (WHERE net > 0) AS INTEGER) AS orders
FROM ${ident(CLEAN_ORDERS)} GROUP BY 1 ORDER BY 1`;
}
