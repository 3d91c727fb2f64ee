// RFM scores, ABC classes, lifecycle stages and named segments, as SQL over the per-customer summary.
//
// Speed: the work is split in two so that changing bins, thresholds, cut-offs, windows or the
// segment scheme never touches the transactions again.
//   1. createCustomerRfmTableSql(asOf) — run once per data set / reference date:
//        CREATE OR REPLACE TEMP TABLE customer_rfm AS <summary + rank counts + cum_before>
//      This is the only step that scans clean_tx and the only one that sorts customers: it stores,
//      per customer, how many customers are ranked at or below it on each dimension (the
//      numerator of cume_dist()) and the ABC running share.
//   2. segmentationSql(options) — per settings change: integer arithmetic and CASE expressions over
//      customer_rfm, no sort (classic8/crm4 add one pass for the mean scores).
// segmentationSql(options, { source: 'inline' }) embeds step 1 for one-off queries and tests.
//
// Definitions (issue #3, exact):
//  - score with b bins = ceil(b · cume_dist()), ordering recency_days DESC (most recent → highest),
//    frequency ASC, monetary ASC; ties share a score. cume_dist() = k / n with k = number of customers
//    ordered at or before this one including its ties, so the score is computed exactly as
//    (b·k + n − 1) // n: the same integer, without a floating-point product.
//  - thresholds instead of bins: see RfmThresholds in segmentation-options.ts.
//  - rfm_code: the three scores as digits, e.g. "545". A score of 10 has no single digit, so with
//    10 levels every code of that run is written with separators, e.g. "10-4-7" and "3-10-1";
//    codes of one run always share one format (and one sort order).
//  - ABC: customers ordered by monetary DESC, ties customer_id ASC; cum_before = running monetary of
//    the customers before this one / total monetary of scored customers; A if < a, B if < b, else C.
//    (Total ≤ 0, possible only when returns exceed all spend, makes cum_before NULL → everyone C.)
//  - lifecycle: new if first_purchase ≥ as_of − newDays (tenure_days ≤ newDays); else active if
//    recency_days ≤ activeDays; else silent if ≤ silentDays; else churned.
import { customerCtesSql, customerSummarySelectSql, NET_AMOUNT_EPSILON, type CustomerSummaryOptions } from './customers';
import { ident, int, num, str } from './ident';
import {
  effectiveBins,
  resolveSegmentationOptions,
  type AbcCutoffs,
  type LifecycleWindows,
  type RfmThresholds,
  type SegmentationOptions,
  type SegmentationOptionsInput,
} from '../segmentation-options';
import { schemeSpec, segmentCaseSql, segmentOrderSql, usesMeans, type SegmentLabel } from '../segments';

export const CUSTOMER_RFM_TABLE = 'customer_rfm';

/**
 * Columns of every segmentation result, in order. `lifecycle` is the stage id
 * (new|active|silent|churned); `segment` is the segment id or its label (see SegmentationSqlOptions).
 */
export const SEGMENTATION_COLUMNS = [
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
  'abc_class',
  'lifecycle',
  'segment',
] as const;

export const SEGMENT_SUMMARY_COLUMNS = [
  'segment',
  'customers',
  'customer_share',
  'revenue',
  'revenue_share',
  'avg_recency_days',
  'avg_frequency',
  'avg_monetary',
  'segment_order',
] as const;

/**
 * The per-customer base: the customer summary plus, for scoring without re-sorting,
 * `r_rank` (# scored customers with recency_days ≥ this one's), `f_rank` (# with frequency ≤),
 * `m_rank` (# with monetary ≤), `n_scored`, `cum_before` (ABC running share, DOUBLE) and
 * `n_customers` (every customer of the period, scored or not: the same per-customer aggregate
 * counted once more, where a separate query would aggregate the orders again).
 */
export function customerRfmBaseSql(opts: CustomerSummaryOptions = {}): string {
  // Recency and frequency take few distinct values (days, order counts): their rank counts are a
  // running sum over a count per value, joined back, instead of a window sorting every customer.
  // m_rank = n − (# with a larger monetary) = n − rank() + 1 over monetary DESC, the order the
  // ABC running share sorts by anyway (one sort where there were four: DuckDB-WASM, 1M rows
  // ~100k customers, 351 → 245 ms; the same ranks).
  return `WITH ${customerCtesSql(opts)},
summary AS (
${indent(customerSummarySelectSql(), 2)}
),
r_counts AS (
  SELECT recency_days, CAST(sum(count(*)) OVER (ORDER BY recency_days DESC) AS INTEGER) AS r_rank FROM summary GROUP BY recency_days
),
f_counts AS (
  SELECT frequency, CAST(sum(count(*)) OVER (ORDER BY frequency ASC) AS INTEGER) AS f_rank FROM summary GROUP BY frequency
)
SELECT s.*,
  r.r_rank,
  f.f_rank,
  CAST(count(*) OVER () - rank() OVER (ORDER BY s.monetary DESC) + 1 AS INTEGER) AS m_rank,
  CAST(count(*) OVER () AS INTEGER) AS n_scored,
  CAST(coalesce(sum(s.monetary) OVER (ORDER BY s.monetary DESC, s.customer_id ASC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
    / nullif(sum(s.monetary) OVER (), 0) AS DOUBLE) AS cum_before,
  (SELECT CAST(count(*) AS INTEGER) FROM cust) AS n_customers
FROM summary AS s
JOIN r_counts AS r ON r.recency_days = s.recency_days
JOIN f_counts AS f ON f.frequency = s.frequency`;
}

/** Step 1 (see the top of this file): materialise the base once per data set and as_of. */
export function createCustomerRfmTableSql(opts: CustomerSummaryOptions = {}, table: string = CUSTOMER_RFM_TABLE): string {
  return `CREATE OR REPLACE TEMP TABLE ${ident(table)} AS\n${customerRfmBaseSql(opts)}`;
}

type Dimension = 'r' | 'f' | 'm';

/** INTEGER score expression over the base columns, for quantile bins or thresholds. */
export function rfmScoreSql(dim: Dimension, scoring: { bins: number; thresholds: RfmThresholds | null }): string {
  if (scoring.thresholds) {
    const cuts = scoring.thresholds[dim];
    const terms = cuts.map((cut) => {
      const c = `CAST(${num(cut)} AS DOUBLE)`;
      // R: 1 + #{cut ≥ recency}; F, M: 1 + #{cut ≤ value}.
      const test = dim === 'r' ? `recency_days <= ${c}` : dim === 'f' ? `frequency >= ${c}` : `monetary >= ${c}`;
      return `(CASE WHEN ${test} THEN 1 ELSE 0 END)`;
    });
    return `CAST(1 + ${terms.join(' + ')} AS INTEGER)`;
  }
  const rank = dim === 'r' ? 'r_rank' : dim === 'f' ? 'f_rank' : 'm_rank';
  const b = int(scoring.bins, 1, 1000);
  return `CAST((${b} * ${rank} + n_scored - 1) // n_scored AS INTEGER)`;
}

/** VARCHAR rfm_code over r_score, f_score, m_score (see the format note at the top). */
export function rfmCodeSql(levels: number): string {
  if (levels <= 9) return `CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR)`;
  return `concat_ws('-', CAST(r_score AS VARCHAR), CAST(f_score AS VARCHAR), CAST(m_score AS VARCHAR))`;
}

/** The rfm_code of one customer, exactly as rfmCodeSql writes it. */
export function rfmCode(r: number, f: number, m: number, levels: number): string {
  return levels <= 9 ? `${r}${f}${m}` : `${r}-${f}-${m}`;
}

export function abcClassSql(cutoffs: AbcCutoffs): string {
  return `CASE WHEN cum_before < CAST(${num(cutoffs.a)} AS DOUBLE) THEN 'A' WHEN cum_before < CAST(${num(cutoffs.b)} AS DOUBLE) THEN 'B' ELSE 'C' END`;
}

export function lifecycleStageSql(w: LifecycleWindows): string {
  return `CASE WHEN tenure_days <= ${int(w.newDays, 0)} THEN 'new'
    WHEN recency_days <= ${int(w.activeDays, 0)} THEN 'active'
    WHEN recency_days <= ${int(w.silentDays, 0)} THEN 'silent'
    ELSE 'churned' END`;
}

export interface SegmentationSqlOptions {
  /** 'table' (default): read the temp table made by createCustomerRfmTableSql; 'inline': compute it in the query. */
  source?: 'table' | 'inline';
  /** The temp table name when source = 'table'. */
  table?: string;
  /** What the segment column holds: the stable id (default, for joins and exports) or the name in a language. */
  label?: SegmentLabel;
  /**
   * The mean R/F/M scores over all scored customers, when the caller already has them (from a
   * summary of the same settings): the query then needs no second pass, and a filtered or paged
   * query still compares with the means of everyone. Must be exactly avg(score) (sum / n as a
   * double), as the summary computes them.
   */
  means?: { r: number; f: number; m: number };
}

function baseFrom(options: SegmentationOptions, sql: SegmentationSqlOptions): string {
  if (sql.source === 'inline') return `(\n${indent(customerRfmBaseSql({ asOf: options.asOf }), 2)}\n)`;
  return ident(sql.table ?? CUSTOMER_RFM_TABLE);
}

function resolved(input: SegmentationOptionsInput | SegmentationOptions): SegmentationOptions {
  return resolveSegmentationOptions(input as SegmentationOptionsInput);
}

/**
 * Step 2: one row per scored customer with exactly SEGMENTATION_COLUMNS. Unordered: wrap it to sort
 * or page (`SELECT * FROM (…) ORDER BY customer_id LIMIT …`).
 *
 * With source 'table', `asOf` in the options is not re-applied: it was fixed when the table was made.
 */
export function segmentationSql(
  input: SegmentationOptionsInput | SegmentationOptions = {},
  sql: SegmentationSqlOptions = {},
): string {
  const options = resolved(input);
  const levels = effectiveBins(options);
  const spec = schemeSpec(options);
  const means = usesMeans(spec);
  const scoring = { bins: options.bins, thresholds: options.thresholds };
  return `WITH scored AS (
  SELECT customer_id, first_purchase, last_purchase, recency_days, frequency, monetary, avg_order_value,
    ${rfmScoreSql('r', scoring)} AS r_score,
    ${rfmScoreSql('f', scoring)} AS f_score,
    ${rfmScoreSql('m', scoring)} AS m_score,
    ${abcClassSql(options.abc)} AS abc_class,
    ${lifecycleStageSql(options.lifecycle)} AS lifecycle
  FROM ${baseFrom(options, sql)} AS base
)${
    means
      ? `,
means AS (
  ${sql.means ? givenMeansSql(sql.means) : 'SELECT avg(r_score) AS mean_r, avg(f_score) AS mean_f, avg(m_score) AS mean_m FROM scored'}
)`
      : ''
  }
SELECT customer_id, first_purchase, last_purchase, recency_days, frequency, monetary, avg_order_value,
  r_score, f_score, m_score,
  ${rfmCodeSql(levels)} AS rfm_code,
  abc_class, lifecycle,
  ${indent(segmentCaseSql(spec, sql.label ?? 'id'), 2).trimStart()} AS segment
FROM scored${means ? ' CROSS JOIN means' : ''}`;
}

/** Literal means, written as text cast to DOUBLE so the exact double round-trips (a decimal literal would go through DECIMAL). */
function givenMeansSql(m: { r: number; f: number; m: number }): string {
  const lit = (v: number) => `CAST(${str(num(v))} AS DOUBLE)`;
  return `SELECT ${lit(m.r)} AS mean_r, ${lit(m.f)} AS mean_f, ${lit(m.m)} AS mean_m`;
}

/**
 * Per segment: `segment, customers INTEGER, customer_share DOUBLE, revenue DOUBLE (sum of monetary),
 * revenue_share DOUBLE (of scored customers' total; NULL when that is 0), avg_recency_days,
 * avg_frequency, avg_monetary DOUBLE, segment_order INTEGER` (the scheme's display order),
 * ordered by segment_order. Segments without customers are absent.
 */
export function segmentSummarySql(
  input: SegmentationOptionsInput | SegmentationOptions = {},
  sql: SegmentationSqlOptions = {},
): string {
  const options = resolved(input);
  const spec = schemeSpec(options);
  return `WITH seg AS (
${indent(segmentationSql(options, sql), 2)}
)
SELECT segment,
  CAST(count(*) AS INTEGER) AS customers,
  CAST(count(*) AS DOUBLE) / CAST(sum(count(*)) OVER () AS DOUBLE) AS customer_share,
  CAST(sum(monetary) AS DOUBLE) AS revenue,
  CAST(sum(monetary) / nullif(sum(sum(monetary)) OVER (), 0) AS DOUBLE) AS revenue_share,
  CAST(avg(recency_days) AS DOUBLE) AS avg_recency_days,
  CAST(avg(frequency) AS DOUBLE) AS avg_frequency,
  CAST(avg(monetary) AS DOUBLE) AS avg_monetary,
  CAST(${segmentOrderSql(spec, sql.label ?? 'id', 'segment')} AS INTEGER) AS segment_order
FROM seg
GROUP BY segment
ORDER BY segment_order, segment`;
}

/**
 * Days between consecutive positive orders of the same customer (same-day repeat orders give 0):
 * `median_days DOUBLE` (NULL when nobody bought twice), `gaps INTEGER`, `customers_with_repeat INTEGER`.
 * Feeds suggestLifecycleWindows.
 */
export function medianInterPurchaseSql(opts: CustomerSummaryOptions = {}): string {
  return `WITH ${customerCtesSql(opts)},
  gaps AS (
    SELECT o.customer_id,
      o.order_date - lag(o.order_date) OVER (PARTITION BY o.customer_id ORDER BY o.order_date, o.order_id) AS gap
    FROM orders AS o
    WHERE o.net > ${num(NET_AMOUNT_EPSILON)}
  )
SELECT CAST(median(gap) AS DOUBLE) AS median_days,
  CAST(count(gap) AS INTEGER) AS gaps,
  CAST(count(DISTINCT customer_id) FILTER (WHERE gap IS NOT NULL) AS INTEGER) AS customers_with_repeat
FROM gaps`;
}

/**
 * Lifecycle windows suggested from the median gap between purchases: a customer is still "active"
 * within about two typical gaps and "silent" up to four (rounded up to whole weeks, at least 2 weeks
 * / 4 weeks, at most the MAX_WINDOW of 10 years); "new" uses the active window. A rule of thumb to
 * start from, shown next to the data's median; the defaults (90/90/180) apply when nobody bought twice.
 */
export function suggestLifecycleWindows(medianDays: number | null | undefined): LifecycleWindows {
  if (medianDays === null || medianDays === undefined || !Number.isFinite(medianDays) || medianDays < 0) {
    return { newDays: 90, activeDays: 90, silentDays: 180 };
  }
  const weeks = (days: number) => Math.ceil(days / 7) * 7;
  const activeDays = Math.min(3650, Math.max(14, weeks(2 * medianDays)));
  const silentDays = Math.min(3650 * 2, Math.max(28, weeks(4 * medianDays)));
  return { newDays: activeDays, activeDays, silentDays };
}

function indent(sql: string, n: number): string {
  const pad = ' '.repeat(n);
  return sql
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}
