// KPI trends per calendar period and the inter-purchase time distribution (issue #4). Builders only.
//
// Definitions (orders and positive orders as in cohort.ts):
//  - The periods run from the first to the last period of clean_tx, every period present (empty → 0).
//  - active_customers: customers with a positive order in the period; new_customers: those whose
//    first positive order is in it; returning_customers = active − new.
//  - orders: positive orders in the period; revenue: net amount of all orders in the period (returns
//    included); aov = revenue / orders (NULL without orders), as in the headline KPIs.
//  - repeat_rate: of the customers with a positive order up to the end of the period, the share with
//    two or more (the second positive order at or before the period).
//  - churn_rate: of the customers active in at least one of the previous N periods, the share not
//    active in this one. NULL for the first N periods of the data (the window is not complete) and
//    when nobody was active in the window.
//  - Inter-purchase time: days between consecutive positive orders of the same customer (ordered by
//    date, then order id; two orders on one day give 0). median = quantile_cont(0.5), p80 =
//    quantile_cont(0.8) (linear interpolation between the ranked gaps).
// With a customer filter every figure is restricted to the filtered customers; without one, revenue
// also includes customers who never had a positive order (only returns), so it matches the overview.
import { CLEAN_ORDERS } from '../schema';
import { customerBaseCtesSql, inScopeSql, periodEdgesSql, POSITIVE_ORDERS_TABLE, periodLabelSql, periodNumberSql, periodStartSql, type CohortGrain, type CustomerFilter } from './cohort';
import { ident, int } from './ident';
import { atMost } from './clamp';

export const MAX_CHURN_WINDOW = 52;

export interface KpiTrendOptions extends CustomerFilter {
  grain: CohortGrain;
  /** N: the churn rate looks back this many periods (1..MAX_CHURN_WINDOW). */
  churnWindow: number;
}

/** Orders of the customers in scope, with their period number n: `scoped(customer_id, order_id, order_date, net, n)`. */
function scopedOrdersCte(grain: CohortGrain, filter: CustomerFilter): string {
  const where = inScopeSql(filter, 'o.customer_id');
  return `scoped AS (
    SELECT o.customer_id, o.order_id, o.order_date, o.net, ${periodNumberSql(grain, 'o.order_date')} AS n
    FROM orders AS o${where}
  )`;
}

/**
 * One row per period, ordered: `period VARCHAR (label), period_start DATE, active_customers,
 * new_customers, returning_customers, orders INTEGER, revenue DOUBLE, aov DOUBLE, customers_to_date,
 * repeat_customers_to_date INTEGER, repeat_rate DOUBLE, churn_base, churned INTEGER, churn_rate DOUBLE`.
 */
export function kpiTrendSql(options: KpiTrendOptions): string {
  const g = options.grain;
  const window = int(options.churnWindow, 1, MAX_CHURN_WINDOW);
  const edges = periodEdgesSql(g);
  return `WITH ${customerBaseCtesSql(options)},
  ${scopedOrdersCte(g, options)},
  -- One pass over the positive orders, grouped by period and, for a customer's last order of the
  -- period, the next period they buy in (next_n; NULL: never again).
  pos AS (
    SELECT n, ${edges.lastInPeriod} AS last_in_period, CASE WHEN ${edges.lastInPeriod} THEN ${edges.nextPeriod} END AS next_n,
      count(*) FILTER (WHERE ${edges.firstInPeriod}) AS active_customers, count(*) AS orders,
      count(*) FILTER (WHERE seq = 1) AS new_customers, count(*) FILTER (WHERE seq = 2) AS second_orders
    FROM (
      SELECT order_date, seq, gap, next_gap, ${periodNumberSql(g, 'order_date')} AS n
      FROM ${ident(POSITIVE_ORDERS_TABLE)}${inScopeSql(options)}
    )
    GROUP BY ALL
  ),
  bounds AS (
    SELECT ${periodNumberSql(g, 'min(order_date)')} AS first_n, ${periodNumberSql(g, 'max(last_date)')} AS last_n
    FROM ${ident(CLEAN_ORDERS)}
  ),
  grid AS (
    SELECT CAST(r.n AS INTEGER) AS n, b.first_n FROM bounds AS b, range(b.first_n, b.last_n + 1) AS r(n)
  ),
  per AS (
    SELECT n, sum(active_customers) AS active_customers, sum(orders) AS orders,
      sum(new_customers) AS new_customers, sum(second_orders) AS second_orders
    FROM pos GROUP BY n
  ),
  rev AS (SELECT n, sum(net) AS revenue FROM scoped GROUP BY n),
  -- Churn without joining every activity to N periods: between consecutive active periods n and
  -- next of a customer, they are in the base of periods n+1 .. min(next, n+N) and churned in
  -- n+1 .. min(next − 1, n+N). Each interval becomes a +1 at its start and a −1 after its end,
  -- and a running sum over the periods gives the counts. spans: k customers active in n whose
  -- next active period is next_n (NULL: none).
  spans AS (
    SELECT n, next_n, orders AS k FROM pos WHERE last_in_period
  ),
  events AS (
    SELECT n + 1 AS at_n, k AS base_delta, CASE WHEN coalesce(next_n, n + ${window} + 1) > n + 1 THEN k ELSE 0 END AS churn_delta FROM spans
    UNION ALL
    SELECT least(coalesce(next_n + 1, n + ${window} + 1), n + ${window} + 1), -k, 0 FROM spans
    UNION ALL
    SELECT least(coalesce(next_n, n + ${window} + 1), n + ${window} + 1), 0, -k FROM spans
    WHERE coalesce(next_n, n + ${window} + 1) > n + 1
  ),
  event_sums AS (
    SELECT at_n, sum(base_delta) AS base_delta, sum(churn_delta) AS churn_delta FROM events GROUP BY at_n
  ),
  churn AS (
    SELECT grid.n,
      sum(coalesce(e.base_delta, 0)) OVER (ORDER BY grid.n) AS churn_base,
      sum(coalesce(e.churn_delta, 0)) OVER (ORDER BY grid.n) AS churned
    FROM grid LEFT JOIN event_sums AS e ON e.at_n = grid.n
  ),
  rows AS (
    SELECT grid.n, grid.n - grid.first_n >= ${window} AS full_window,
      coalesce(per.active_customers, 0) AS active_customers,
      coalesce(per.new_customers, 0) AS new_customers,
      coalesce(per.orders, 0) AS orders,
      coalesce(rev.revenue, 0) AS revenue,
      sum(coalesce(per.new_customers, 0)) OVER (ORDER BY grid.n) AS customers_to_date,
      sum(coalesce(per.second_orders, 0)) OVER (ORDER BY grid.n) AS repeat_customers_to_date,
      coalesce(churn.churn_base, 0) AS churn_base,
      coalesce(churn.churned, 0) AS churned
    FROM grid
    LEFT JOIN per ON per.n = grid.n
    LEFT JOIN rev ON rev.n = grid.n
    LEFT JOIN churn ON churn.n = grid.n
  ),
  labelled AS (SELECT *, ${periodStartSql(g, 'n')} AS period_start FROM rows)
SELECT ${periodLabelSql(g, 'period_start')} AS period,
  period_start,
  CAST(active_customers AS INTEGER) AS active_customers,
  CAST(new_customers AS INTEGER) AS new_customers,
  CAST(active_customers - new_customers AS INTEGER) AS returning_customers,
  CAST(orders AS INTEGER) AS orders,
  CAST(revenue AS DOUBLE) AS revenue,
  CAST(revenue / nullif(orders, 0) AS DOUBLE) AS aov,
  CAST(customers_to_date AS INTEGER) AS customers_to_date,
  CAST(repeat_customers_to_date AS INTEGER) AS repeat_customers_to_date,
  CAST(repeat_customers_to_date AS DOUBLE) / nullif(customers_to_date, 0) AS repeat_rate,
  CAST(churn_base AS INTEGER) AS churn_base,
  CAST(churned AS INTEGER) AS churned,
  CASE WHEN full_window THEN CAST(churned AS DOUBLE) / nullif(churn_base, 0) END AS churn_rate
FROM labelled
ORDER BY n`;
}

function gapsCtes(filter: CustomerFilter): string {
  return `WITH ${customerBaseCtesSql(filter)},
  gaps AS (
    SELECT seq, gap FROM ${ident(POSITIVE_ORDERS_TABLE)}${inScopeSql(filter)}
  )`;
}

/**
 * One row: `gaps INTEGER, customers_with_repeat INTEGER, median_days, p80_days, p95_days, max_days DOUBLE`
 * (the day figures NULL when nobody bought twice).
 *
 * The percentiles are quantile_cont's (position h = (n − 1)·q in the ranked gaps, linear
 * interpolation between the gaps at floor(h) and ceil(h)), read off a count per gap value: gaps are
 * whole days, so there are a few thousand values where there are millions of gaps, and
 * quantile_cont buffers every one of them per percentile (at 5M rows the three grew DuckDB-WASM's
 * memory by ~50 MB, the high-water mark of the cohorts view).
 */
export function interPurchaseSummarySql(filter: CustomerFilter = {}): string {
  const percentile = (q: number) => {
    const h = `((total.n - 1) * ${q})`;
    // The gap at 0-based rank r is the smallest with more than r gaps at or below it.
    const at = (rank: string) => `min(c.gap) FILTER (WHERE c.through > ${rank})`;
    return `CASE WHEN total.n > 0 THEN CAST(${at(`floor(${h})`)} + (${h} - floor(${h})) * (${at(`ceil(${h})`)} - ${at(`floor(${h})`)}) AS DOUBLE) END`;
  };
  return `${gapsCtes(filter)},
  by_gap AS (
    -- Each customer who bought twice has exactly one second order.
    SELECT gap, count(*) AS n, count(*) FILTER (WHERE seq = 2) AS seconds FROM gaps GROUP BY gap
  ),
  cumulative AS (
    SELECT gap, sum(n) OVER (ORDER BY gap ROWS UNBOUNDED PRECEDING) AS through FROM by_gap WHERE gap IS NOT NULL
  ),
  total AS (
    SELECT coalesce(sum(n) FILTER (WHERE gap IS NOT NULL), 0) AS n, coalesce(sum(seconds), 0) AS seconds, max(gap) AS max_gap FROM by_gap
  )
SELECT CAST(total.n AS INTEGER) AS gaps,
  CAST(total.seconds AS INTEGER) AS customers_with_repeat,
  ${percentile(0.5)} AS median_days,
  ${percentile(0.8)} AS p80_days,
  ${percentile(0.95)} AS p95_days,
  CAST(total.max_gap AS DOUBLE) AS max_days
FROM total LEFT JOIN cumulative AS c ON true
GROUP BY total.n, total.seconds, total.max_gap`;
}

/**
 * The gap histogram: bins [start, start + width) days from 0, gaps ≥ cap collected in one last bin
 * starting at cap (cap a multiple of width). Rows `start_days INTEGER, gaps INTEGER, overflow BOOLEAN`,
 * ordered; empty bins are absent.
 */
export function interPurchaseHistogramSql(width: number, cap: number, filter: CustomerFilter = {}): string {
  const w = int(width, 1, 100_000);
  const c = int(cap, 1, 10_000_000);
  return `${gapsCtes(filter)}
SELECT CAST(${atMost(`gap // ${w} * ${w}`, c)} AS INTEGER) AS start_days,
  CAST(count(*) AS INTEGER) AS gaps,
  gap >= ${c} AS overflow
FROM gaps WHERE gap IS NOT NULL
GROUP BY 1, 3
ORDER BY 1`;
}
