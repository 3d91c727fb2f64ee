// Per-customer summary for the BG/NBD and Gamma-Gamma models, built in SQL from the clean
// view. It follows lifetimes' `summary_data_from_transaction_data` and
// `calibration_and_holdout_data` (with freq='D', i.e. from calendar days):
//
// * A purchase is a (customer, day): all of a customer's lines on one UTC day are one
//   transaction, valued at their net sum (lifetimes sums the monetary column per period).
//   A day whose lines net to less than zero is a refund, not a purchase, and is left out;
//   zero-value days count (CDNOW has $0 orders, and the published summary counts them).
// * Calibration: purchase days on or before the calibration end (inclusive, as lifetimes'
//   `<= calibration_period_end`). Customers whose first purchase is later are not in the
//   summary.
//   x  = number of distinct purchase days − 1,
//   tx = last purchase day − first purchase day,
//   T  = calibration end − first purchase day (a purchase on the end day has tx = T),
//   all divided by the unit's length in days (weeks = days / 7: lifetimes'
//   freq='D', freq_multiplier=7, which is how cdnow_customers_summary.csv was made;
//   months = days / 30.4375, the mean Gregorian month).
//   mx = mean net value of the repeat purchase days (the first purchase day excluded), 0 for
//   customers without repeat purchases (lifetimes' monetary_value, fillna(0)).
// * Holdout: purchase days after the calibration end and on or before the holdout end;
//   x_holdout = their number, value_holdout = their net total (0 when none), and the holdout
//   length = holdout end − calibration end, in the unit.
// * Both ends default to the last purchase day in the data (no holdout).
import { CLEAN_VIEW } from '../schema';
import { date, ident, num } from './ident';

export type ClvUnit = 'days' | 'weeks' | 'months';

/** Length of one time unit in days. */
export const UNIT_DAYS: Readonly<Record<ClvUnit, number>> = { days: 1, weeks: 7, months: 365.25 / 12 };

export interface ClvSummarySpec {
  unit: ClvUnit;
  /** ISO day (inclusive); null = the last purchase day. */
  calibrationEnd: string | null;
  /** ISO day (inclusive); null = the last purchase day. */
  holdoutEnd: string | null;
}

/** One row per customer of `clvSummarySql`. Dates are epoch ms (UTC). */
export interface ClvSummaryRow {
  customer_id: string;
  x: number;
  tx: number;
  T: number;
  /** tx and T in whole days, the exact keys for grouping identical histories. */
  tx_days: number;
  T_days: number;
  mx: number;
  /** Net value of all calibration purchase days (first one included). */
  total: number;
  first_day: number;
  x_holdout: number;
  value_holdout: number;
}

/** Time bounds of a summary: the resolved calibration and holdout ends. */
export interface ClvBoundsRow {
  data_start: number | null;
  data_end: number | null;
  cal_end: number | null;
  holdout_end: number | null;
}

function unitDays(unit: ClvUnit): number {
  const d = UNIT_DAYS[unit];
  if (d === undefined) throw new Error(`Unknown time unit: ${unit}`);
  return d;
}

/** One row per purchase (customer, day, net value ≥ 0) from the clean view. */
export function purchaseDaysSql(): string {
  return `SELECT customer_id, order_date AS day, sum(amount) AS value
  FROM ${ident(CLEAN_VIEW)}
  GROUP BY customer_id, order_date
  HAVING sum(amount) >= 0`;
}

/**
 * Purchase days and the resolved bounds, shared by the summary and the tracking queries.
 * `daysTable`: a table already holding purchaseDaysSql()'s rows (computed once per analysis).
 */
export function clvDaysCte(spec: ClvSummarySpec, daysTable?: string): string {
  const end = (iso: string | null) => (iso === null ? 'max(day)' : date(iso));
  return `days AS (
  ${daysTable ? `SELECT customer_id, day, value FROM ${ident(daysTable)}` : purchaseDaysSql()}
),
bounds AS (
  SELECT min(day) AS data_start, max(day) AS data_end,
    ${end(spec.calibrationEnd)} AS cal_end,
    ${spec.holdoutEnd === null ? 'max(day)' : date(spec.holdoutEnd)} AS holdout_end
  FROM days
)`;
}

export function clvBoundsSql(spec: ClvSummarySpec, daysTable?: string): string {
  return `WITH ${clvDaysCte(spec, daysTable)} SELECT data_start, data_end, cal_end, holdout_end FROM bounds`;
}

/** SELECT of one row per calibration customer (see ClvSummaryRow). */
export function clvSummarySql(spec: ClvSummarySpec, daysTable?: string): string {
  const u = num(unitDays(spec.unit));
  return `WITH ${clvDaysCte(spec, daysTable)},
-- The repeat purchases' mean value leaves out the first day's (a customer has one row per day):
-- (total − first) / (days − 1), one aggregate where numbering the days would sort them all.
cal AS (
  SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) AS n_days,
    sum(value) AS total,
    CASE WHEN count(*) > 1 THEN (sum(value) - arg_min(value, day)) / (count(*) - 1) END AS repeat_mean
  FROM days d, bounds b WHERE d.day <= b.cal_end
  GROUP BY customer_id
),
hold AS (
  SELECT d.customer_id, count(*) AS n, sum(d.value) AS value
  FROM days d, bounds b WHERE d.day > b.cal_end AND d.day <= b.holdout_end
  GROUP BY d.customer_id
),
summary AS (
SELECT c.customer_id,
  CAST(c.n_days - 1 AS INTEGER) AS x,
  CAST(date_diff('day', c.first_day, c.last_day) AS DOUBLE) / ${u} AS tx,
  CAST(date_diff('day', c.first_day, b.cal_end) AS DOUBLE) / ${u} AS "T",
  CAST(date_diff('day', c.first_day, c.last_day) AS INTEGER) AS tx_days,
  CAST(date_diff('day', c.first_day, b.cal_end) AS INTEGER) AS "T_days",
  CAST(COALESCE(c.repeat_mean, 0) AS DOUBLE) AS mx,
  CAST(c.total AS DOUBLE) AS total,
  c.first_day,
  CAST(COALESCE(h.n, 0) AS INTEGER) AS x_holdout,
  CAST(COALESCE(h.value, 0) AS DOUBLE) AS value_holdout
FROM cal c CROSS JOIN bounds b LEFT JOIN hold h ON h.customer_id = c.customer_id
)
SELECT * FROM summary`;
}

/** Materialise the summary as a table (the app's `clv_summary`). */
export function createClvSummaryTableSql(table: string, spec: ClvSummarySpec, daysTable?: string): string {
  return `CREATE OR REPLACE TABLE ${ident(table)} AS ${clvSummarySql(spec, daysTable)}`;
}
