// The data-quality report over the staged rows, and the clean transactions view that every
// analysis reads. Both are driven by the same row conditions, so the report explains
// exactly what the analyses see.
import type { QualityPolicies } from '../config';
import { CLEAN_ORDERS, CLEAN_VIEW } from '../schema';
import { ident, int, str } from './ident';
import { customerSlice, fillInSlices } from './slices';
import { TYPED } from './stage';

export const QUALITY_CHECKS = [
  'missing_customer',
  'bad_date',
  'bad_amount',
  'extra_fields',
  'returns',
  'cancelled',
  'duplicates',
  'future_date',
  'old_date',
] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

const c = (name: string) => ident(name);

/**
 * Dates far outside the bulk of the data are almost always typos or placeholder values
 * (1900-01-01, 2099-12-31). "Bulk" = 1st..99th percentile of the parsed dates, so one
 * bad value cannot move the bounds.
 */
export const DATE_BOUNDS_TABLE = 'date_bounds';

/**
 * Computed once per staging into a one-row table, so the clean view (read by every analysis)
 * does not repeat it. The percentiles are exactly quantile_disc(ts, [0.01, 0.99]) (for n dates
 * and q = a/100, the element at index max(1, n − ⌊n·(100 − a)/100⌋) − 1, DuckDB's own integer
 * arithmetic for a decimal q), found without holding every date: a count per day, the day that
 * holds each wanted index, then only that day's dates numbered. quantile_disc itself copies all
 * dates into one growing buffer: at 5M rows ~1 s and ~280 MB more wasm heap, which never shrinks.
 * test/unit/date-bounds.test.ts compares both.
 */
export function dateBoundsSql(): string {
  const ts = c(TYPED.ts);
  const index = (a: number) => `greatest(1, total - (total * ${100 - a}) // 100) - 1`;
  return `CREATE OR REPLACE TABLE ${DATE_BOUNDS_TABLE} AS
WITH days AS (
  SELECT CAST(${ts} AS DATE) AS d, count(*) AS n FROM staged WHERE ${ts} IS NOT NULL GROUP BY 1
), cum AS (
  SELECT d, sum(n) OVER (ORDER BY d) - n AS before, sum(n) OVER (ORDER BY d) AS upto FROM days
), totals AS (
  SELECT sum(n) AS total FROM days
), wanted AS (
  SELECT 1 AS k, ${index(1)} AS i FROM totals UNION ALL SELECT 2, ${index(99)} FROM totals
), located AS (
  SELECT w.k, c.d, w.i - c.before AS r FROM wanted AS w JOIN cum AS c ON w.i >= c.before AND w.i < c.upto
), picked AS (
  SELECT l.k, s.t FROM located AS l JOIN (
    SELECT ${ts} AS t, CAST(${ts} AS DATE) AS d, row_number() OVER (PARTITION BY CAST(${ts} AS DATE) ORDER BY ${ts}) - 1 AS r
    FROM staged WHERE ${ts} IS NOT NULL AND CAST(${ts} AS DATE) IN (SELECT d FROM located)
  ) AS s ON s.d = l.d AND s.r = l.r
)
SELECT (SELECT t FROM picked WHERE k = 1) - INTERVAL 3650 DAY AS lo, (SELECT t FROM picked WHERE k = 2) + INTERVAL 365 DAY AS hi`;
}

const DATE_BOUNDS_SQL = `(SELECT lo, hi FROM ${DATE_BOUNDS_TABLE})`;

/** SQL boolean expressions over `staged` (aliased s) joined with the bounds (aliased b). */
export function checkCondition(check: QualityCheck, policies: QualityPolicies): string {
  const ts = `s.${c(TYPED.ts)}`;
  switch (check) {
    case 'missing_customer':
      return `s.${c(TYPED.customer)} IS NULL`;
    case 'bad_date':
      return `${ts} IS NULL`;
    case 'bad_amount':
      return `s.${c(TYPED.amount)} IS NULL`;
    case 'extra_fields':
      return `(s.${c(TYPED.extraFields)} IS NOT NULL)`;
    case 'returns':
      return `(s.${c(TYPED.amount)} < 0 OR s.${c(TYPED.quantity)} < 0)`;
    case 'cancelled':
      return policies.cancelledPrefix
        ? `starts_with(s.${c(TYPED.order)}, ${str(policies.cancelledPrefix)})`
        : 'false';
    case 'duplicates':
      return `s.${c(TYPED.duplicate)}`;
    case 'future_date':
      return `${ts} > b.hi`;
    case 'old_date':
      return `(${ts} < b.lo OR ${ts} < TIMESTAMP '1970-01-01')`;
  }
}

/**
 * One row of counts over the staged rows: rows_read, each check, return_only_customers. The
 * counts of the clean view (rows, customers, orders) come with the headline KPIs, whose
 * per-order aggregate they share (see headlineKpisSql).
 */
export function qualityCountsSql(policies: QualityPolicies): string {
  const counts = QUALITY_CHECKS.map((k) => `CAST(count(*) FILTER (WHERE ${checkCondition(k, policies)}) AS INTEGER) AS ${ident(k)}`);
  return `WITH b AS ${DATE_BOUNDS_SQL},
counts AS (
  SELECT CAST(count(*) AS INTEGER) AS rows_read, ${counts.join(', ')}
  FROM staged s, b
),
return_only AS (
  SELECT CAST(count(*) AS INTEGER) AS return_only_customers FROM (
    SELECT s.${c(TYPED.customer)} FROM staged s
    WHERE s.${c(TYPED.customer)} IS NOT NULL AND s.${c(TYPED.amount)} IS NOT NULL
    GROUP BY 1 HAVING max(s.${c(TYPED.amount)}) <= 0 AND min(s.${c(TYPED.amount)}) < 0)
)
SELECT * FROM counts, return_only`;
}

/**
 * An original column as text, close to how an export writes it: a column read with a type (a
 * CSV's typed money and dates, any Parquet column) would otherwise reach the report as a raw
 * number or epoch ms, and DuckDB writes a midnight timestamp with its 00:00:00 and a whole
 * number as 12.0.
 */
export function asShownSql(column: string, type: string): string {
  const x = `s.${ident(column)}`;
  if (/^TIMESTAMP/i.test(type)) return `CASE WHEN ${x} = date_trunc('day', ${x}) THEN strftime(${x}, '%Y-%m-%d') ELSE CAST(${x} AS VARCHAR) END`;
  if (/^(DOUBLE|FLOAT|REAL)$/i.test(type)) return `regexp_replace(CAST(${x} AS VARCHAR), '\\.0$', '')`;
  return `CAST(${x} AS VARCHAR)`;
}

/** A few example rows for one check, with the file and data-row number they came from. */
export function qualityExamplesSql(check: QualityCheck | 'return_only', policies: QualityPolicies, originalColumns: { name: string; type: string }[], limit = 5): string {
  const cols = ['s."_file"', 's."_row"', ...originalColumns.map((c) => `${asShownSql(c.name, c.type)} AS ${ident(c.name)}`)].join(', ');
  if (check === 'return_only') {
    return `SELECT ${cols} FROM staged s WHERE s.${c(TYPED.customer)} IN (
      SELECT ${c(TYPED.customer)} FROM staged WHERE ${c(TYPED.customer)} IS NOT NULL AND ${c(TYPED.amount)} IS NOT NULL
      GROUP BY 1 HAVING max(${c(TYPED.amount)}) <= 0 AND min(${c(TYPED.amount)}) < 0)
    ORDER BY s."_file", s."_row" LIMIT ${int(limit, 1, 1000)}`;
  }
  // Rows with extra fields also show the first of them (named as TYPED.extraFields; the UI labels it).
  const extra = check === 'extra_fields' ? `, s.${c(TYPED.extraFields)}` : '';
  return `WITH b AS ${DATE_BOUNDS_SQL}
SELECT ${cols}${extra} FROM staged s, b WHERE ${checkCondition(check, policies)} ORDER BY s."_file", s."_row" LIMIT ${int(limit, 1, 1000)}`;
}

/** Rows with no customer id become one anonymous customer when the user keeps them. */
export const ANONYMOUS_CUSTOMER = '(no customer id)';

/**
 * The clean transactions (see schema.ts). A view, not a copy: policies can change without
 * re-reading the file, and DuckDB pushes projections and filters into the staged table.
 */
export function cleanViewSql(policies: QualityPolicies): string {
  const where = [
    `${checkCondition('bad_date', policies)} IS NOT TRUE`,
    `NOT ${checkCondition('bad_amount', policies)}`,
    `NOT ${checkCondition('extra_fields', policies)}`,
    `NOT ${checkCondition('future_date', policies)}`,
    `NOT ${checkCondition('old_date', policies)}`,
  ];
  if (policies.excludeMissingCustomer) where.push(`NOT ${checkCondition('missing_customer', policies)}`);
  if (policies.dropDuplicates) where.push(`NOT ${checkCondition('duplicates', policies)}`);
  if (!policies.netReturns) {
    where.push(`NOT ${checkCondition('returns', policies)}`, `NOT ${checkCondition('cancelled', policies)}`);
  }
  const customer = `COALESCE(s.${c(TYPED.customer)}, ${str(ANONYMOUS_CUSTOMER)})`;
  const day = `CAST(s.${c(TYPED.ts)} AS DATE)`;
  return `CREATE OR REPLACE VIEW ${ident(CLEAN_VIEW)} AS
SELECT ${customer} AS customer_id,
  COALESCE(s.${c(TYPED.order)}, ${customer} || '|' || CAST(${day} AS VARCHAR)) AS order_id,
  s.${c(TYPED.ts)} AS order_ts, ${day} AS order_date,
  s.${c(TYPED.amount)} AS amount, s.${c(TYPED.quantity)} AS quantity,
  s.${c(TYPED.product)} AS product, s.${c(TYPED.category)} AS category,
  s.${c(TYPED.channel)} AS channel, s.${c(TYPED.region)} AS region
FROM staged s, ${DATE_BOUNDS_SQL} b
WHERE ${where.join('\n  AND ')}`;
}

/** The orders of the clean view as a table (see schema.ts): rebuilt whenever the view changes. */
export function cleanOrdersSql(): string {
  return cleanOrdersStatements(1)[0];
}

/**
 * The statements that build the clean orders: one aggregate, or, for `slices` > 1, one per slice
 * of the customers' hash space (each order aggregated whole in one statement: the same rows as
 * one aggregate, in another physical order).
 */
export function cleanOrdersStatements(slices: number): string[] {
  const k = Math.max(1, Math.floor(slices));
  return fillInSlices(CLEAN_ORDERS, { temp: false }, k, (i) => `SELECT customer_id, order_id, min(order_date) AS order_date, max(order_date) AS last_date, sum(amount) AS net,
  CAST(count(*) AS INTEGER) AS lines
FROM ${ident(CLEAN_VIEW)}${k > 1 ? `\nWHERE ${customerSlice('customer_id', k, i)}` : ''}
GROUP BY customer_id, order_id`);
}

/**
 * Headline KPIs from the clean orders. Orders are orders with a positive net amount (a
 * return or cancellation is not an order), revenue is net of returns, AOV = revenue / orders.
 * The same pass counts the clean view for the quality report: clean_rows and clean_orders
 * (every order of a customer, whatever its net amount). The dates are those of the first and
 * last rows (an order's later rows may fall on a later day than the order).
 */
export function headlineKpisSql(): string {
  return `SELECT CAST(count(DISTINCT customer_id) AS INTEGER) AS customers,
  CAST(count(*) FILTER (WHERE net > 0) AS INTEGER) AS orders,
  CAST(COALESCE(sum(net), 0) AS DOUBLE) AS revenue,
  CAST(sum(net) / NULLIF(count(*) FILTER (WHERE net > 0), 0) AS DOUBLE) AS aov,
  min(order_date) AS first_date,
  max(last_date) AS last_date,
  CAST(COALESCE(sum(lines), 0) AS INTEGER) AS clean_rows,
  CAST(count(*) AS INTEGER) AS clean_orders
FROM ${ident(CLEAN_ORDERS)}`;
}
