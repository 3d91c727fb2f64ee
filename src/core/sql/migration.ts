// Segment migration between two reference dates (issue #4): the segmentation of issue #3 computed
// as of `from` and as of `to` with the same scheme and scoring settings, joined per customer.
//
// Definitions:
//  - The customers considered are those with any clean transaction dated before `to`.
//  - segment_from: the customer's segment as of `from`; NOT_YET_CUSTOMER when the customer's first
//    transaction is on or after `from`; UNSCORED when they had transactions before `from` but no
//    positive order (only returns).
//  - segment_to: the segment as of `to`; NO_LONGER_SCORED when scored as of `from` but not as of `to`;
//    UNSCORED when scored at neither date.
//  - Customers unscored at both dates (never bought anything) are left out.
//  - monetary_from / monetary_to: the customer's net spend up to each date (NULL when not scored).
// Step 1 (createMigrationTablesSql) builds the two per-customer bases once per pair of dates; the
// queries below read them.
import { CLEAN_ORDERS } from '../schema';
import type { SegmentationOptions } from '../segmentation-options';
import { date, ident, int, str } from './ident';
import type { CustomerSummaryOptions } from './customers';
import { createCustomerRfmTableSql, segmentationSql } from './rfm';

export const NOT_YET_CUSTOMER = 'not_yet_customer';
export const NO_LONGER_SCORED = 'no_longer_scored';
export const UNSCORED = 'unscored';
export const MIGRATION_FROM_TABLE = 'migration_rfm_from';
export const MIGRATION_TO_TABLE = 'migration_rfm_to';
export const MIGRATION_CSV_COLUMNS = ['customer_id', 'segment_from', 'segment_to', 'monetary_from', 'monetary_to'] as const;

export interface MigrationDates {
  /** ISO days, from < to. */
  from: string;
  to: string;
}

function checked(dates: MigrationDates): MigrationDates {
  date(dates.from);
  date(dates.to);
  if (!(dates.from < dates.to)) throw new Error(`The first date (${dates.from}) must be before the second (${dates.to})`);
  return dates;
}

/**
 * Two statements: the per-customer bases as of each date (temp tables). `from` and `to`: the
 * summary options of each date when the caller looked up its straddling orders (ordersSql).
 */
export function createMigrationTablesSql(dates: MigrationDates, options: { from?: CustomerSummaryOptions; to?: CustomerSummaryOptions } = {}): string[] {
  const d = checked(dates);
  return [
    createCustomerRfmTableSql({ ...options.from, asOf: d.from }, MIGRATION_FROM_TABLE),
    createCustomerRfmTableSql({ ...options.to, asOf: d.to }, MIGRATION_TO_TABLE),
  ];
}

/** One row per customer: `customer_id, segment_from, segment_to VARCHAR, monetary_from, monetary_to DOUBLE`. */
export function migrationCustomersSql(options: SegmentationOptions, dates: MigrationDates): string {
  const d = checked(dates);
  return `WITH f AS (
${segmentationSql(options, { source: 'table', table: MIGRATION_FROM_TABLE })}
),
t AS (
${segmentationSql(options, { source: 'table', table: MIGRATION_TO_TABLE })}
),
seen AS (
  SELECT customer_id, min(order_date) AS first_seen FROM ${ident(CLEAN_ORDERS)} WHERE order_date < ${date(d.to)} GROUP BY customer_id
),
moves AS (
  SELECT s.customer_id,
    CASE WHEN f.segment IS NOT NULL THEN f.segment
      WHEN s.first_seen >= ${date(d.from)} THEN ${str(NOT_YET_CUSTOMER)}
      ELSE ${str(UNSCORED)} END AS segment_from,
    CASE WHEN t.segment IS NOT NULL THEN t.segment
      WHEN f.segment IS NOT NULL THEN ${str(NO_LONGER_SCORED)}
      ELSE ${str(UNSCORED)} END AS segment_to,
    CAST(f.monetary AS DOUBLE) AS monetary_from,
    CAST(t.monetary AS DOUBLE) AS monetary_to
  FROM seen AS s LEFT JOIN f ON f.customer_id = s.customer_id LEFT JOIN t ON t.customer_id = s.customer_id
)
SELECT * FROM moves
WHERE NOT (segment_from IN (${str(NOT_YET_CUSTOMER)}, ${str(UNSCORED)}) AND segment_to = ${str(UNSCORED)})`;
}

/**
 * The transition matrix: `segment_from, segment_to, customers INTEGER, monetary_from, monetary_to DOUBLE`
 * (sums; NULL sums as 0), one row per non-empty pair.
 */
export function migrationMatrixSql(options: SegmentationOptions, dates: MigrationDates): string {
  return `SELECT segment_from, segment_to, CAST(count(*) AS INTEGER) AS customers,
  CAST(coalesce(sum(monetary_from), 0) AS DOUBLE) AS monetary_from,
  CAST(coalesce(sum(monetary_to), 0) AS DOUBLE) AS monetary_to
FROM (${migrationCustomersSql(options, dates)}) AS m
GROUP BY segment_from, segment_to
ORDER BY segment_from, segment_to`;
}

/** The customers of one flow (or all when flow is null), ordered by customer id, at most `limit`. */
export function migrationFlowSql(
  options: SegmentationOptions,
  dates: MigrationDates,
  flow: { from: string; to: string } | null,
  limit?: number,
): string {
  const where = flow ? `\nWHERE segment_from = ${str(flow.from)} AND segment_to = ${str(flow.to)}` : '';
  const cap = limit === undefined ? '' : `\nLIMIT ${int(limit, 1, 1_000_000)}`;
  return `SELECT customer_id, segment_from, segment_to, monetary_from, monetary_to
FROM (${migrationCustomersSql(options, dates)}) AS m${where}
ORDER BY customer_id${cap}`;
}
