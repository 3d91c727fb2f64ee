// SQL for the Segments view and its exports, over two temp tables:
//   customer_rfm — per-customer metrics and rank counts, built once per data set / as_of (rfm.ts);
//   customer_seg — segmentationSql(options) materialised once per settings change, so the
//                  overview, heatmap, distributions, cross-tab, explorer and exports all read one
//                  small table instead of re-segmenting each time.
// Builders only; user values reach SQL through ident/str/int/num.
import { CLEAN_VIEW } from '../schema';
import { date, ident, int, num, str } from './ident';
import { CUSTOMER_RFM_TABLE, segmentationSql } from './rfm';
import type { SegmentationOptions } from '../segmentation-options';
import { schemeSpec } from '../segments';
import { segmentLabelCaseSql, segmentStrategyCaseSql, type Language } from '../playbook';

export const CUSTOMER_SEG_TABLE = 'customer_seg';
/** One value of the cross-tab attribute per customer (see customerAttributeTableSql). */
export const CUSTOMER_ATTR_TABLE = 'customer_seg_attr';
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

const S = ident(CUSTOMER_SEG_TABLE);
const BASE = ident(CUSTOMER_RFM_TABLE);

/** Step 2 materialised: one row per scored customer with SEGMENTATION_COLUMNS (segment = id). */
export function createCustomerSegTableSql(options: SegmentationOptions): string {
  return `CREATE OR REPLACE TEMP TABLE ${S} AS\n${segmentationSql(options, { source: 'table', label: 'id' })}`;
}

/**
 * Per segment id: customers, shares, revenue, average raw values and mean R/F/M scores.
 * Segments without customers are absent (the UI lists the scheme's segments and fills zeros).
 */
export function segmentOverviewSql(): string {
  return `SELECT segment,
  CAST(count(*) AS INTEGER) AS customers,
  CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () AS customer_share,
  CAST(sum(monetary) AS DOUBLE) AS revenue,
  CAST(sum(monetary) / nullif(sum(sum(monetary)) OVER (), 0) AS DOUBLE) AS revenue_share,
  CAST(avg(recency_days) AS DOUBLE) AS avg_recency_days,
  CAST(avg(frequency) AS DOUBLE) AS avg_frequency,
  CAST(avg(monetary) AS DOUBLE) AS avg_monetary,
  CAST(avg(r_score) AS DOUBLE) AS mean_r,
  CAST(avg(f_score) AS DOUBLE) AS mean_f,
  CAST(avg(m_score) AS DOUBLE) AS mean_m
FROM ${S}
GROUP BY segment`;
}

/** Per group of a categorical column of customer_seg (abc_class, lifecycle): counts and revenue. */
export function groupSummarySql(column: 'abc_class' | 'lifecycle'): string {
  return `SELECT ${ident(column)} AS id,
  CAST(count(*) AS INTEGER) AS customers,
  CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () AS customer_share,
  CAST(sum(monetary) AS DOUBLE) AS revenue,
  CAST(sum(monetary) / nullif(sum(sum(monetary)) OVER (), 0) AS DOUBLE) AS revenue_share,
  CAST(avg(recency_days) AS DOUBLE) AS avg_recency_days,
  CAST(avg(frequency) AS DOUBLE) AS avg_frequency,
  CAST(avg(monetary) AS DOUBLE) AS avg_monetary,
  CAST(min(monetary) AS DOUBLE) AS min_monetary,
  CAST(max(monetary) AS DOUBLE) AS max_monetary
FROM ${S}
GROUP BY 1
ORDER BY 1`;
}

/** R score × F score: customers, mean monetary and revenue per cell (empty cells absent). */
export function rfHeatmapSql(): string {
  return `SELECT r_score, f_score,
  CAST(count(*) AS INTEGER) AS customers,
  CAST(avg(monetary) AS DOUBLE) AS mean_monetary,
  CAST(sum(monetary) AS DOUBLE) AS revenue
FROM ${S}
GROUP BY r_score, f_score
ORDER BY r_score, f_score`;
}

/** Customers per score of each dimension, with the range of raw values behind each score. */
export function scoreDistributionSql(): string {
  const part = (dim: 'r' | 'f' | 'm', score: string, value: string) =>
    `SELECT ${str(dim)} AS dim, ${score} AS score, CAST(count(*) AS INTEGER) AS customers,
  CAST(min(${value}) AS DOUBLE) AS min_value, CAST(max(${value}) AS DOUBLE) AS max_value
FROM ${S} GROUP BY ${score}`;
  return `${part('r', 'r_score', 'recency_days')}
UNION ALL
${part('f', 'f_score', 'frequency')}
UNION ALL
${part('m', 'm_score', 'monetary')}
ORDER BY dim, score`;
}

/** Mean scores (what "high" is compared with in classic8/crm4) and the number of scored customers. */
export function scoreMeansSql(): string {
  return `SELECT CAST(count(*) AS INTEGER) AS n,
  CAST(avg(r_score) AS DOUBLE) AS r, CAST(avg(f_score) AS DOUBLE) AS f, CAST(avg(m_score) AS DOUBLE) AS m,
  CAST(sum(monetary) AS DOUBLE) AS revenue
FROM ${S}`;
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

/** Counts of customers in the period (scored or not) and the as_of date; see unscoredCustomersSql. */
export function baseFactsSql(): string {
  return `SELECT CAST(count(*) AS INTEGER) AS scored, CAST(sum(monetary) AS DOUBLE) AS revenue FROM ${BASE}`;
}

// ---------------------------------------------------------------------------------------------
// Attributes for the cross-tab
// ---------------------------------------------------------------------------------------------

/** Columns of clean_tx that can describe a customer in the cross-tab. */
export const TX_ATTRIBUTES = ['channel', 'region', 'category'] as const;
export type TxAttribute = (typeof TX_ATTRIBUTES)[number];

export type AttributeRef = { source: 'tx'; column: TxAttribute } | { source: 'customers'; column: string };

/** Which transaction attributes have any value: `channel, region, category` counts of non-NULL rows. */
export function txAttributeCountsSql(): string {
  return `SELECT ${TX_ATTRIBUTES.map((c) => `CAST(count(${ident(c)}) AS INTEGER) AS ${ident(c)}`).join(', ')} FROM ${ident(CLEAN_VIEW)}`;
}

/** The columns of the customer-attributes table other than the id. */
export function customerAttributeColumnsSql(): string {
  return `SELECT column_name FROM information_schema.columns
WHERE table_name = 'customer_attributes' AND column_name NOT IN ('customer_id', '_none')
ORDER BY ordinal_position`;
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
  return `CREATE OR REPLACE TEMP TABLE ${ident(CUSTOMER_ATTR_TABLE)} AS
SELECT customer_id, NULLIF(trim(CAST(${ident(ref.column)} AS VARCHAR)), '') AS value FROM customer_attributes`;
}

/**
 * Segments × attribute values: the `maxValues` values with most customers are columns of their
 * own, the rest are summed as kind 'other', customers without a value are kind 'none'.
 * Rows: segment, kind ('value' | 'other' | 'none'), value, customers, revenue.
 */
export function crossTabSql(maxValues: number): string {
  return `WITH j AS (
  SELECT s.segment, s.monetary, a.value FROM ${S} AS s LEFT JOIN ${ident(CUSTOMER_ATTR_TABLE)} AS a ON a.customer_id = s.customer_id
),
top AS (
  SELECT value FROM j WHERE value IS NOT NULL GROUP BY value ORDER BY count(*) DESC, value ASC LIMIT ${int(maxValues, 1, 1000)}
),
labelled AS (
  SELECT segment, monetary,
    CASE WHEN value IS NULL THEN 'none' WHEN value IN (SELECT value FROM top) THEN 'value' ELSE 'other' END AS kind,
    CASE WHEN value IN (SELECT value FROM top) THEN value END AS value
  FROM j
)
SELECT segment, kind, value, CAST(count(*) AS INTEGER) AS customers, CAST(sum(monetary) AS DOUBLE) AS revenue
FROM labelled
GROUP BY segment, kind, value
ORDER BY segment, kind, value`;
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
  /** A cross-tab column: customers whose attribute (customer_seg_attr) has this value, or none. */
  attribute?: { kind: 'value'; value: string } | { kind: 'none' };
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

/** `WHERE …` over customer_seg AS s (and, for attribute filters, customer_seg_attr AS a). */
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
    terms.push(
      filter.attribute.kind === 'value'
        ? `s.customer_id IN (${sub} AND a.value = ${str(filter.attribute.value)})`
        : `s.customer_id NOT IN (${sub})`,
    );
  }
  const q = search.trim();
  if (q !== '') terms.push(`contains(lower(s.customer_id), lower(${str(q)}))`);
  return terms.length ? `WHERE ${terms.join(' AND ')}` : '';
}

/** One page of customers (customer_seg columns plus tenure_days), sorted by a whitelisted column. */
export function customerPageSql(query: CustomerQuery = {}): string {
  const sort = query.sort ?? 'monetary';
  if (!CUSTOMER_SORT_COLUMNS.includes(sort)) throw new Error(`Cannot sort customers by ${String(sort)}`);
  const dir = (query.descending ?? sort === 'monetary') ? 'DESC' : 'ASC';
  const limit = int(query.limit ?? 50, 1, MAX_PAGE_SIZE);
  const offset = int(query.offset ?? 0, 0);
  const tie = sort === 'customer_id' ? '' : `, s.customer_id ${dir}`;
  return `SELECT s.* FROM ${S} AS s
${customerWhereSql(query.filter, query.search)}
ORDER BY s.${ident(sort)} ${dir} NULLS LAST${tie}
LIMIT ${limit} OFFSET ${offset}`;
}

export function customerCountSql(filter: CustomerFilter = {}, search = ''): string {
  return `SELECT CAST(count(*) AS INTEGER) AS total FROM ${S} AS s ${customerWhereSql(filter, search)}`;
}

/** One customer's segmentation row joined with tenure_days from the base. */
export function customerRowSql(customerId: string): string {
  return `SELECT s.*, b.tenure_days FROM ${S} AS s JOIN ${BASE} AS b ON b.customer_id = s.customer_id WHERE s.customer_id = ${str(customerId)}`;
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
FROM ${S} AS s${join}
${whereAll}
ORDER BY s.customer_id${o.limit !== undefined ? `\nLIMIT ${int(o.limit, 1)}` : ''}`;
}

/** Does a table or view of this name exist (temp or main)? One row: `n INTEGER`. */
export function relationExistsSql(name: string): string {
  return `SELECT CAST((SELECT count(*) FROM duckdb_tables() WHERE table_name = ${str(name)})
  + (SELECT count(*) FROM duckdb_views() WHERE view_name = ${str(name)}) AS INTEGER) AS n`;
}
