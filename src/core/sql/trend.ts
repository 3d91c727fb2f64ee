// Revenue, customers and orders per calendar month over the clean view (headline chart).
import { CLEAN_VIEW } from '../schema';
import { ident } from './ident';

export function monthlyTrendSql(): string {
  return `SELECT date_trunc('month', order_date) AS month,
  CAST(sum(amount) AS DOUBLE) AS revenue,
  CAST(count(DISTINCT customer_id) AS INTEGER) AS customers,
  CAST(count(DISTINCT order_id) AS INTEGER) AS orders
FROM ${ident(CLEAN_VIEW)} GROUP BY 1 ORDER BY 1`;
}
