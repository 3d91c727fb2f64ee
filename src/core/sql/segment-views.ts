// SQL for the Segments view and its exports. Two kinds of query, both over customer_rfm (the
// per-customer metrics and rank counts built once per data set / as_of, see rfm.ts):
//   - the cube (segmentCubeSql), customers grouped by scores, ABC class and lifecycle stage, and
//     the cross-tab cube: the SQL equivalents of what core/scored-customers.ts computes in memory
//     per settings change (recorded for the DuckDB script, and the reference in tests);
//   - per-customer queries (explorer page reference, profile, exports) over
//     segmentationSql(options, { means }) inline, given the mean scores from the cube so that a
//     filtered or paged query still compares with everyone's means and needs no second pass.
// Builders only; user values reach SQL through ident/str/int/num.
import { CLEAN_VIEW } from '../schema';
import { CUSTOMER_ATTRIBUTES_TABLE } from './cohort';
import { date, ident, int, num, str } from './ident';
import { abcClassSql, CUSTOMER_RFM_TABLE, lifecycleStageSql, rfmScoreSql, segmentationSql } from './rfm';
import type { SegmentationOptions } from '../segmentation-options';
import type { ScoreTriple } from '../segments';
import { schemeSpec } from '../segments';
import { segmentLabelCaseSql, segmentStrategyCaseSql, type Language } from '../playbook';

/** One value of the cross-tab attribute per customer (see customerAttributeTableSql). */
export const CUSTOMER_ATTR_TABLE = 'customer_seg_attr';
/** customer_rfm with that value as `attr_value`, for the cross-tab cube. */
export const CUSTOMER_RFM_ATTR_TABLE = 'customer_rfm_attr';
/** Written by the CLV module; when present its columns are appended to customers.csv. */
export const CUSTOMER_CLV_TABLE = 'customer_clv';
export const CLV_COLUMNS = ['p_alive', 'expected_purchases', 'expected_aov', 'clv'] as const;

/** The header of customers.csv, exactly (later modules append columns after these). */
export const CUSTOMER_EXPORT_COLUMNS = [
  'customer_id',
  'first_purchase',
  'last_purchase',
  'recency_days',
  'frequency',
  'monetary',
  'avg_order_value',
  'r_score',
  'f_score',
  'm_score',
  'rfm_code',
  'segment',
  'abc_class',
  'lifecycle_stage',
  'strategy',
] as const;

const BASE = ident(CUSTOMER_RFM_TABLE);

/** The scored customers with segment ids, as a subquery to select from (alias it `s`). */
export function segmentedCustomersSql(options: SegmentationOptions, means: ScoreTriple | null): string {
  return `(\n${segmentationSql(options, { source: 'table', label: 'id', means: means ?? undefined })}\n)`;
}

/**
 * The cube: customers grouped by r_score, f_score, m_score, abc_class, lifecycle with
 * `customers, revenue, recency_sum, frequency_sum` and min/max of recency, frequency, monetary
 * (see core/segment-cube.ts). One pass over customer_rfm, no sort.
 */
export function segmentCubeSql(options: SegmentationOptions): string {
  const scoring = { bins: options.bins, thresholds: options.thresholds };
  return `SELECT r_score, f_score, m_score, abc_class, lifecycle,
  CAST(count(*) AS INTEGER) AS customers,
  CAST(sum(monetary) AS DOUBLE) AS revenue,
  CAST(sum(recency_days) AS DOUBLE) AS recency_sum,
  CAST(sum(frequency) AS DOUBLE) AS frequency_sum,
  CAST(min(recency_days) AS DOUBLE) AS min_recency, CAST(max(recency_days) AS DOUBLE) AS max_recency,
  CAST(min(frequency) AS DOUBLE) AS min_frequency, CAST(max(frequency) AS DOUBLE) AS max_frequency,
  CAST(min(monetary) AS DOUBLE) AS min_monetary, CAST(max(monetary) AS DOUBLE) AS max_monetary
FROM (
  SELECT ${rfmScoreSql('r', scoring)} AS r_score, ${rfmScoreSql('f', scoring)} AS f_score, ${rfmScoreSql('m', scoring)} AS m_score,
    ${abcClassSql(options.abc)} AS abc_class,
    ${lifecycleStageSql(options.lifecycle)} AS lifecycle,
    recency_days, frequency, monetary
  FROM ${BASE}
)
GROUP BY r_score, f_score, m_score, abc_class, lifecycle`;
}

/** The cross-tab cube: customers and revenue by scores × attribute value (NULL = no value). */
export function crossTabCubeSql(options: SegmentationOptions): string {
  const scoring = { bins: options.bins, thresholds: options.thresholds };
  return `SELECT ${rfmScoreSql('r', scoring)} AS r_score, ${rfmScoreSql('f', scoring)} AS f_score, ${rfmScoreSql('m', scoring)} AS m_score,
  attr_value AS value, CAST(count(*) AS INTEGER) AS customers, CAST(sum(monetary) AS DOUBLE) AS revenue
FROM ${ident(CUSTOMER_RFM_ATTR_TABLE)}
GROUP BY ALL`;
}

/**
 * The Pareto (Lorenz-type) curve over customer_rfm: customers ranked by monetary DESC, customer_id
 * ASC (the ABC order); `rank` (1..n), `n`, `cum_share` (share of total revenue held by the first
 * `rank` customers). Downsampled to at most `maxPoints` rows: the last customer of each of
 * maxPoints equal-width rank buckets, so the final point (n, 1) is always present.
 */
export function paretoCurveSql(maxPoints: number): string {
  const p = int(maxPoints, 1, 100_000);
  return `WITH ranked AS (
  SELECT row_number() OVER (ORDER BY monetary DESC, customer_id ASC) AS rn,
    count(*) OVER () AS n,
    coalesce(sum(monetary) OVER (ORDER BY monetary DESC, customer_id ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
      / nullif(sum(monetary) OVER (), 0), 0) AS cum_share
  FROM ${BASE}
)
SELECT CAST(max(rn) AS INTEGER) AS rank, CAST(max(n) AS INTEGER) AS n, CAST(arg_max(cum_share, rn) AS DOUBLE) AS cum_share
FROM ranked
GROUP BY (rn * ${p} + n - 1) // n
ORDER BY rank`;
}

/** Share of revenue held by the top `share` of customers (rounded up to whole customers). */
export function topShareSql(share: number): string {
  return `WITH ranked AS (
  SELECT row_number() OVER (ORDER BY monetary DESC, customer_id ASC) AS rn, count(*) OVER () AS n,
    sum(monetary) OVER (ORDER BY monetary DESC, customer_id ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
      / nullif(sum(monetary) OVER (), 0) AS cum_share
  FROM ${BASE}
)
SELECT CAST(rn AS INTEGER) AS customers, CAST(n AS INTEGER) AS n, CAST(cum_share AS DOUBLE) AS revenue_share
FROM ranked WHERE rn = greatest(1, CAST(ceil(n * CAST(${num(share)} AS DOUBLE) - 1e-9) AS BIGINT))`;
}

/**
 * One row from customer_rfm: `scored`, `revenue` (of the scored customers) and, when there is at
 * least one scored customer (else NULL), `customers` (of the period, scored or not) and `as_of`
 * (last_purchase + recency_days of any customer). unscoredCustomersSql gives the same counts from
 * the orders.
 */
export function baseFactsSql(): string {
  return `SELECT CAST(count(*) AS INTEGER) AS scored, CAST(sum(monetary) AS DOUBLE) AS revenue,
  CAST(any_value(n_customers) AS INTEGER) AS customers, any_value(last_purchase + recency_days) AS as_of
FROM ${BASE}`;
}

// ---------------------------------------------------------------------------------------------
// Attributes for the cross-tab
// ---------------------------------------------------------------------------------------------

/** Columns of clean_tx that can describe a customer in the cross-tab. */
export const TX_ATTRIBUTES = ['channel', 'region', 'category'] as const;
export type TxAttribute = (typeof TX_ATTRIBUTES)[number];

export type AttributeRef =
  | { source: 'tx'; column: TxAttribute }
  | { source: 'customers'; column: string }
  /** Churn risk from the lifetime-value model (customer_clv): bands of P(alive). */
  | { source: 'clv'; column: 'p_alive' };

/**
 * P(alive) bands for the cross-tab, so "high value, low P(alive)" — the customers to save
 * first — is one cell. The labels are codes, the same in every language.
 */
export const P_ALIVE_BANDS = ['P(alive) ≥ 70%', 'P(alive) 30–70%', 'P(alive) < 30%'] as const;

/**
 * One row: per transaction attribute, true when clean_tx has a value in it (NULL otherwise). Each
 * probe stops at the first such row, where counting them would scan every transaction.
 */
export function txAttributePresenceSql(): string {
  return `SELECT ${TX_ATTRIBUTES.map((c) => `(SELECT true FROM ${ident(CLEAN_VIEW)} WHERE ${ident(c)} IS NOT NULL LIMIT 1) AS ${ident(c)}`).join(', ')}`;
}

/** No rows: its result's columns are the customer-attributes table's (the catalog costs ~20 ms in WASM). */
export function customerAttributeColumnsSql(): string {
  return `SELECT * FROM ${ident(CUSTOMER_ATTRIBUTES_TABLE)} LIMIT 0`;
}

/** The customer-attributes columns that can describe a customer in the cross-tab. */
export function customerAttributeColumns(columns: readonly string[]): string[] {
  return columns.filter((c) => c !== 'customer_id' && c !== '_none');
}

/**
 * One value per customer for the cross-tab, as a temp table (customer_id, value VARCHAR).
 * From transactions a customer may have several channels/regions/categories: the one with the
 * largest net amount counts (ties: the alphabetically first), so the cross-tab is a partition of
 * the customers. With an explicit as_of only rows before it count, as in the metrics.
 */
export function customerAttributeTableSql(ref: AttributeRef, asOf: string | null): string {
  if (ref.source === 'tx') {
    if (!TX_ATTRIBUTES.includes(ref.column)) throw new Error(`Not a transaction attribute: ${String(ref.column)}`);
    const col = ident(ref.column);
    const before = asOf ? ` AND order_date < ${date(asOf)}` : '';
    return `CREATE OR REPLACE TEMP TABLE ${ident(CUSTOMER_ATTR_TABLE)} AS
WITH per AS (
  SELECT customer_id, CAST(${col} AS VARCHAR) AS value, sum(amount) AS amount
  FROM ${ident(CLEAN_VIEW)}
  WHERE ${col} IS NOT NULL${before}
  GROUP BY 1, 2
)
SELECT customer_id, first(value ORDER BY amount DESC, value ASC) AS value FROM per GROUP BY customer_id`;
  }
  if (ref.source === 'clv') {
    const [high, mid, low] = P_ALIVE_BANDS.map(str);
    return `CREATE OR REPLACE TEMP TABLE ${ident(CUSTOMER_ATTR_TABLE)} AS
SELECT customer_id, CASE WHEN p_alive >= 0.7 THEN ${high} WHEN p_alive >= 0.3 THEN ${mid} WHEN p_alive >= 0 THEN ${low} END AS value
FROM ${ident(CUSTOMER_CLV_TABLE)}`;
  }
  return `CREATE OR REPLACE TEMP TABLE ${ident(CUSTOMER_ATTR_TABLE)} AS
SELECT customer_id, NULLIF(trim(CAST(${ident(ref.column)} AS VARCHAR)), '') AS value FROM customer_attributes`;
}

/** customer_rfm joined with the attribute table built by customerAttributeTableSql. */
export function customerRfmAttrTableSql(): string {
  return `CREATE OR REPLACE TEMP TABLE ${ident(CUSTOMER_RFM_ATTR_TABLE)} AS
SELECT b.*, a.value AS attr_value FROM ${BASE} AS b LEFT JOIN ${ident(CUSTOMER_ATTR_TABLE)} AS a ON a.customer_id = b.customer_id`;
}

// ---------------------------------------------------------------------------------------------
// Customer explorer
// ---------------------------------------------------------------------------------------------

/** What the explorer shows: a segment, class, stage, heatmap cell or cross-tab cell (all optional, ANDed). */
export interface CustomerFilter {
  segment?: string;
  abc?: string;
  lifecycle?: string;
  r?: number;
  f?: number;
  m?: number;
  /**
   * A cross-tab column: customers whose attribute (customer_seg_attr) has this value, none, or a
   * value other than the cross-tab's own columns (`except`: the values shown as columns).
   */
  attribute?: { kind: 'value'; value: string } | { kind: 'none' } | { kind: 'other'; except: string[] };
}

export const CUSTOMER_SORT_COLUMNS = [
  'customer_id',
  'first_purchase',
  'last_purchase',
  'recency_days',
  'frequency',
  'monetary',
  'avg_order_value',
  'r_score',
  'f_score',
  'm_score',
  'rfm_code',
  'segment',
  'abc_class',
  'lifecycle',
] as const;
export type CustomerSortColumn = (typeof CUSTOMER_SORT_COLUMNS)[number];

export interface CustomerQuery {
  filter?: CustomerFilter;
  /** Part of the customer id, case-insensitive, matched literally (no wildcards). */
  search?: string;
  sort?: CustomerSortColumn;
  descending?: boolean;
  offset?: number;
  limit?: number;
}

export const MAX_PAGE_SIZE = 500;

/** `WHERE …` over the segmented customers AS s (and, for attribute filters, customer_seg_attr AS a). */
export function customerWhereSql(filter: CustomerFilter = {}, search = ''): string {
  const terms: string[] = [];
  if (filter.segment !== undefined) terms.push(`s.segment = ${str(filter.segment)}`);
  if (filter.abc !== undefined) terms.push(`s.abc_class = ${str(filter.abc)}`);
  if (filter.lifecycle !== undefined) terms.push(`s.lifecycle = ${str(filter.lifecycle)}`);
  if (filter.r !== undefined) terms.push(`s.r_score = ${int(filter.r, 0, 1000)}`);
  if (filter.f !== undefined) terms.push(`s.f_score = ${int(filter.f, 0, 1000)}`);
  if (filter.m !== undefined) terms.push(`s.m_score = ${int(filter.m, 0, 1000)}`);
  if (filter.attribute) {
    const sub = `SELECT a.customer_id FROM ${ident(CUSTOMER_ATTR_TABLE)} AS a WHERE a.value IS NOT NULL`;
    const a = filter.attribute;
    if (a.kind === 'value') terms.push(`s.customer_id IN (${sub} AND a.value = ${str(a.value)})`);
    else if (a.kind === 'none') terms.push(`s.customer_id NOT IN (${sub})`);
    else if (!Array.isArray(a.except)) throw new Error('An "other" attribute filter needs the list of values it excludes');
    else terms.push(`s.customer_id IN (${sub}${a.except.length ? ` AND a.value NOT IN (${a.except.map((v) => str(String(v))).join(', ')})` : ''})`);
  }
  const q = search.trim();
  if (q !== '') terms.push(`contains(lower(s.customer_id), lower(${str(q)}))`);
  return terms.length ? `WHERE ${terms.join(' AND ')}` : '';
}

/**
 * One page of customers from `source` (the segmented customers, or customer_rfm when neither the
 * filter nor the sort needs a score), sorted by a whitelisted column, ties by customer id.
 */
export function customerPageSql(source: string, query: CustomerQuery = {}, select = 's.*'): string {
  const sort = query.sort ?? 'monetary';
  if (!CUSTOMER_SORT_COLUMNS.includes(sort)) throw new Error(`Cannot sort customers by ${String(sort)}`);
  const dir = (query.descending ?? sort === 'monetary') ? 'DESC' : 'ASC';
  const limit = int(query.limit ?? 50, 1, MAX_PAGE_SIZE);
  const offset = int(query.offset ?? 0, 0);
  const tie = sort === 'customer_id' ? '' : `, s.customer_id ${dir}`;
  return `SELECT ${select} FROM ${source} AS s
${customerWhereSql(query.filter, query.search)}
ORDER BY s.${ident(sort)} ${dir} NULLS LAST${tie}
LIMIT ${limit} OFFSET ${offset}`;
}

/** One customer's segmentation row joined with tenure_days from the base. */
export function customerRowSql(segmented: string, customerId: string): string {
  return `SELECT s.*, b.tenure_days FROM ${segmented} AS s JOIN ${BASE} AS b ON b.customer_id = s.customer_id WHERE s.customer_id = ${str(customerId)}`;
}

/**
 * A customer's orders (newest first): order_id, order_date, net amount, lines, and the main
 * channel / category of the order. With an explicit as_of only orders before it, as in the metrics.
 */
export function customerOrdersSql(customerId: string, asOf: string | null, limit: number): string {
  const before = asOf ? ` AND t.order_date < ${date(asOf)}` : '';
  return `SELECT t.order_id, min(t.order_date) AS order_date, CAST(sum(t.amount) AS DOUBLE) AS net,
  CAST(count(*) AS INTEGER) AS lines,
  first(t.channel ORDER BY t.amount DESC) AS channel,
  string_agg(DISTINCT t.category, ', ') AS categories
FROM ${ident(CLEAN_VIEW)} AS t
WHERE t.customer_id = ${str(customerId)}${before}
GROUP BY t.order_id
ORDER BY order_date DESC, t.order_id DESC
LIMIT ${int(limit, 1, 100_000)}`;
}

export function customerOrderCountSql(customerId: string, asOf: string | null): string {
  const before = asOf ? ` AND order_date < ${date(asOf)}` : '';
  return `SELECT CAST(count(DISTINCT order_id) AS INTEGER) AS orders FROM ${ident(CLEAN_VIEW)} WHERE customer_id = ${str(customerId)}${before}`;
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

export interface CustomerExportOptions {
  options: SegmentationOptions;
  /** The mean scores of these settings (from the cube). */
  means: ScoreTriple | null;
  language: Language;
  filter?: CustomerFilter;
  /** Append the CLV columns from customer_clv (LEFT JOIN; NULL for customers it lacks). */
  withClv?: boolean;
  /** 'csv': dates as ISO text; 'parquet': typed DATE columns. */
  format?: 'csv' | 'parquet';
  /** Keyset pagination: customers with an id greater than this, in id order. */
  afterId?: string | null;
  limit?: number;
}

/** The rows of customers.csv (CUSTOMER_EXPORT_COLUMNS, then CLV_COLUMNS), ordered by customer_id. */
export function customerExportSql(o: CustomerExportOptions): string {
  const spec = schemeSpec(o.options);
  const seg = 's.segment';
  const asText = o.format !== 'parquet';
  const day = (col: string) => (asText ? `strftime(s.${col}, '%Y-%m-%d') AS ${col}` : `s.${col}`);
  const where = customerWhereSql(o.filter ?? {});
  const after = o.afterId !== undefined && o.afterId !== null ? `s.customer_id > ${str(o.afterId)}` : '';
  const whereAll = after ? (where ? `${where} AND ${after}` : `WHERE ${after}`) : where;
  const clv = o.withClv
    ? `,\n  ${CLV_COLUMNS.map((c) => `CAST(c.${ident(c)} AS DOUBLE) AS ${ident(c)}`).join(', ')}`
    : '';
  const join = o.withClv ? `\nLEFT JOIN ${ident(CUSTOMER_CLV_TABLE)} AS c ON CAST(c.customer_id AS VARCHAR) = s.customer_id` : '';
  return `SELECT s.customer_id, ${day('first_purchase')}, ${day('last_purchase')},
  s.recency_days, s.frequency, s.monetary, s.avg_order_value, s.r_score, s.f_score, s.m_score, s.rfm_code,
  ${segmentLabelCaseSql(spec, o.language, seg)} AS segment,
  s.abc_class, s.lifecycle AS lifecycle_stage,
  ${segmentStrategyCaseSql(spec, o.language, o.options.strategyOverrides ?? {}, seg)} AS strategy${clv}
FROM ${segmentedCustomersSql(o.options, o.means)} AS s${join}
${whereAll}
ORDER BY s.customer_id${o.limit !== undefined ? `\nLIMIT ${int(o.limit, 1)}` : ''}`;
}
