// Per-customer purchase summary over the clean transactions view: the input of RFM, ABC,
// lifecycle and the CLV models. Builders only; nothing here executes SQL.
//
// Definitions (issue #3, exact):
//  - as_of = the day after the last transaction date in clean_tx, unless given. Never the wall clock.
//    With an explicit as_of, only transactions dated before it are considered (a snapshot as of
//    that day; later rows would otherwise give negative recencies).
//  - An order = a distinct order_id of a customer (clean_tx already substitutes customer-day ids
//    when no order column was mapped). Its net amount = sum of its rows; its date = its first row's day.
//  - first_purchase / last_purchase = dates of the first / last order with positive net amount;
//    recency_days = as_of − last_purchase; frequency = number of positive orders;
//    monetary = sum of all the customer's amounts (net of returns); avg_order_value = monetary / frequency.
//  - Customers without a positive order are not scored (counted by unscoredCustomersSql).
//
// Money is DOUBLE and counts / day differences INTEGER, so Arrow hands JS plain numbers.
import { CLEAN_ORDERS, CLEAN_VIEW } from '../schema';
import { date, ident, num } from './ident';

export interface CustomerSummaryOptions {
  /** ISO day; default (undefined or null) = the day after max(order_date). */
  asOf?: string | null;
  /**
   * With asOf: the first day of the orders that straddle it (straddlingFromSql), null when none
   * does. Left out, the query finds them itself, at a cost (see ordersSql).
   */
  straddlingFrom?: string | null;
}

/**
 * An order whose rows cancel out must not count as a purchase just because binary floating point
 * left 1e-17 behind (0.1 + 0.2 − 0.3 > 0). Net amounts at or below this are treated as zero; no
 * real order is worth a billionth of a currency unit.
 */
export const NET_AMOUNT_EPSILON = 1e-9;

/**
 * monetary is rounded to this many decimals. A double sum depends on the order of its terms
 * (10.2 + 4.8 = 15.000000000000002, 4.8 + 10.2 = 15), and DuckDB's order is not the order of an
 * independent computation; rounding makes customers with the same total tie, as the definition
 * of the scores and of the ABC order requires, whatever the summation order. No currency uses
 * more than 6 decimals.
 */
export const MONEY_DECIMALS = 6;

/** The as_of DATE as a scalar SQL expression. */
export function asOfExpr(opts: CustomerSummaryOptions = {}): string {
  if (opts.asOf) return date(opts.asOf);
  return `(SELECT CAST(max(last_date) + 1 AS DATE) FROM ${ident(CLEAN_ORDERS)})`;
}

/** One row: `as_of DATE` (NULL when clean_tx is empty). */
export function asOfSql(opts: CustomerSummaryOptions = {}): string {
  return `SELECT ${asOfExpr(opts)} AS as_of`;
}

/**
 * `customer_id, order_id, order_date, net` of every order: the materialised clean orders, or,
 * with an explicit as_of, only the rows before it count (the definition above): orders whose
 * last row is before as_of as they are, and the few that straddle it aggregated again from
 * their rows before as_of.
 *
 * Finding those rows costs: DuckDB's estimate of the clean view's rows is far too low (its
 * filters' selectivities multiply), so it builds the join's hash table on the rows before as_of
 * rather than on the few straddling orders (5M rows: ~30 MB more DuckDB-WASM memory for each
 * segment-movement base). Given `straddlingFrom`, only the rows from that day on are read, and
 * none when no order straddles as_of (the usual case: an order's rows share a day).
 */
export function ordersSql(opts: CustomerSummaryOptions = {}): string {
  if (!opts.asOf) return `SELECT customer_id, order_id, order_date, net FROM ${ident(CLEAN_ORDERS)}`;
  const asOf = date(opts.asOf);
  const whole = `SELECT customer_id, order_id, order_date, net FROM ${ident(CLEAN_ORDERS)} WHERE last_date < ${asOf}`;
  if (opts.straddlingFrom === null) return whole;
  const from = opts.straddlingFrom === undefined ? '' : ` AND t.order_date >= ${date(opts.straddlingFrom)}`;
  return `${whole}
    UNION ALL
    SELECT t.customer_id, t.order_id, min(t.order_date) AS order_date, sum(t.amount) AS net
    FROM ${ident(CLEAN_VIEW)} AS t
    JOIN (SELECT customer_id, order_id FROM ${ident(CLEAN_ORDERS)} WHERE ${straddlesSql(asOf)}) AS straddling
      ON t.customer_id = straddling.customer_id AND t.order_id = straddling.order_id
    WHERE t.order_date < ${asOf}${from}
    GROUP BY t.customer_id, t.order_id`;
}

function straddlesSql(asOf: string): string {
  return `order_date < ${asOf} AND last_date >= ${asOf}`;
}

/** One row: `first_day VARCHAR`, the first day of the orders that straddle asOf (NULL: none does). */
export function straddlingFromSql(asOf: string): string {
  return `SELECT CAST(min(order_date) AS VARCHAR) AS first_day FROM ${ident(CLEAN_ORDERS)} WHERE ${straddlesSql(date(asOf))}`;
}

/**
 * CTEs shared by the summary queries: `params(as_of)`, `orders(customer_id, order_id, order_date, net)`
 * and `cust(customer_id, first_purchase, last_purchase, frequency, monetary, as_of)` including
 * customers with no positive order (frequency 0). Splice after `WITH`.
 */
export function customerCtesSql(opts: CustomerSummaryOptions = {}): string {
  const positive = `net > ${num(NET_AMOUNT_EPSILON)}`;
  return `params AS (
    SELECT ${asOfExpr(opts)} AS as_of
  ),
  orders AS (
    ${ordersSql(opts)}
  ),
  cust AS (
    SELECT o.customer_id,
      min(o.order_date) FILTER (WHERE ${positive}) AS first_purchase,
      max(o.order_date) FILTER (WHERE ${positive}) AS last_purchase,
      count(*) FILTER (WHERE ${positive}) AS frequency,
      round(sum(o.net), ${MONEY_DECIMALS}) AS monetary
    FROM orders AS o
    GROUP BY o.customer_id
  )`;
}

/**
 * One row per scored customer:
 * `customer_id VARCHAR, first_purchase DATE, last_purchase DATE, recency_days INTEGER,
 *  frequency INTEGER, monetary DOUBLE, avg_order_value DOUBLE, tenure_days INTEGER`
 * (tenure_days = as_of − first_purchase: the lifecycle "new" test and the CLV models' T).
 * Unordered; wrap it to sort or page.
 */
export function customerSummarySql(opts: CustomerSummaryOptions = {}): string {
  return `WITH ${customerCtesSql(opts)}
${customerSummarySelectSql()}`;
}

/** customerSummarySql's SELECT alone, over the `cust` and `params` CTEs of customerCtesSql. */
export function customerSummarySelectSql(): string {
  return `SELECT c.customer_id,
  c.first_purchase,
  c.last_purchase,
  CAST(p.as_of - c.last_purchase AS INTEGER) AS recency_days,
  CAST(c.frequency AS INTEGER) AS frequency,
  CAST(c.monetary AS DOUBLE) AS monetary,
  CAST(c.monetary / c.frequency AS DOUBLE) AS avg_order_value,
  CAST(p.as_of - c.first_purchase AS INTEGER) AS tenure_days
FROM cust AS c CROSS JOIN params AS p
WHERE c.frequency > 0`;
}

/**
 * One row: `customers INTEGER` (all customers in the period), `scored_customers INTEGER`,
 * `unscored_customers INTEGER` (no order with a positive net amount: only returns, or orders netting
 * to zero or less) and `as_of DATE`. The quality report shows the unscored count.
 */
export function unscoredCustomersSql(opts: CustomerSummaryOptions = {}): string {
  return `WITH ${customerCtesSql(opts)}
SELECT CAST(count(*) AS INTEGER) AS customers,
  CAST(count(*) FILTER (WHERE c.frequency > 0) AS INTEGER) AS scored_customers,
  CAST(count(*) FILTER (WHERE c.frequency = 0) AS INTEGER) AS unscored_customers,
  (SELECT as_of FROM params) AS as_of
FROM cust AS c`;
}
