// Cohort retention, KPI trends and inter-purchase time (issue #4): the SQL of core/sql/cohort.ts and
// core/sql/kpi-trends.ts with the cohorts section of the config, plus the cohorts.csv export.
import { resolveCohortConfig, type CohortConfig } from '../../core/cohort-options';
import type { AnalysisConfig } from '../../core/config';
import { csvBlob } from '../../core/csv';
import {
  COHORT_CSV_COLUMNS,
  cohortTableSql,
  positiveOrdersSql,
  POSITIVE_ORDERS_TABLE,
  CUSTOMER_ATTRIBUTES_TABLE,
  TRANSACTION_ATTRIBUTES,
  type CohortGrain,
  type CustomerFilter,
} from '../../core/sql/cohort';
import { ident, str } from '../../core/sql/ident';
import { interPurchaseHistogramSql, interPurchaseSummarySql, kpiTrendSql } from '../../core/sql/kpi-trends';
import { CLEAN_VIEW } from '../../core/schema';
import { EngineError } from '../database';
import type { AnalysisContext } from './context';

export interface CohortCell {
  cohort: string;
  cohort_start: number;
  period: number;
  cohort_size: number;
  active_customers: number;
  retention: number;
  revenue: number;
  cumulative_revenue_per_customer: number;
}

export interface KpiTrendPoint {
  period: string;
  period_start: number;
  active_customers: number;
  new_customers: number;
  returning_customers: number;
  orders: number;
  revenue: number;
  aov: number | null;
  customers_to_date: number;
  repeat_customers_to_date: number;
  repeat_rate: number | null;
  churn_base: number;
  churned: number;
  churn_rate: number | null;
}

export interface InterPurchase {
  gaps: number;
  customers_with_repeat: number;
  median_days: number | null;
  p80_days: number | null;
  p95_days: number | null;
  max_days: number | null;
  /** Bin width in days; the last bin (overflow) holds every gap ≥ its start. */
  binDays: number;
  bins: { start_days: number; gaps: number; overflow: boolean }[];
}

export interface CohortsResult {
  grain: CohortGrain;
  cells: CohortCell[];
  trends: KpiTrendPoint[];
  interPurchase: InterPurchase;
}

export interface CohortFilterChoice {
  column: string;
  /** Where the column lives: the first purchase's transaction row, or the customer-attributes file. */
  source: 'transactions' | 'customers';
  values: string[];
}

/** The histogram shows about this many bins up to the 95th percentile, the rest in one overflow bin. */
const TARGET_BINS = 24;
const MAX_FILTER_VALUES = 200;

function settings(config: AnalysisConfig): CohortConfig {
  try {
    return resolveCohortConfig(config.cohorts);
  } catch (e) {
    throw new EngineError('cohorts.error.config', e instanceof Error ? e.message : String(e), undefined, 'input');
  }
}

function customerFilter(config: AnalysisConfig, c: CohortConfig): CustomerFilter {
  return {
    attribute: c.filter,
    segment: c.segment ? { id: c.segment, options: { ...config.segmentation, asOf: config.segmentation.asOf ?? config.asOf } } : null,
  };
}

/**
 * positive_orders, built the first time a cohort analysis needs it after a load, then compressed
 * (Database.compact). Uncompressed it held ~220 MB at 5M rows through every later view, and the
 * segment-movement and lifetime-value queries grew DuckDB-WASM's memory by ~75 MB for want of it
 * (5M, after every view: the renderer's peak 1.62 → 1.49 GB, /proc smaps). The compression costs
 * ~1.4 s at 5M rows, once per load; it cannot be interrupted (a cancel waits for it).
 */
async function ensurePositiveOrders(ctx: AnalysisContext): Promise<void> {
  const built = await ctx.db.readable(POSITIVE_ORDERS_TABLE);
  await ctx.db.exec(positiveOrdersSql()); // recorded either way: the script builds it too
  if (!built) await ctx.db.unrecorded(() => ctx.db.compact());
}

function cohortSql(config: AnalysisConfig): string {
  const c = settings(config);
  return cohortTableSql({ grain: c.grain, mode: c.mode, ...customerFilter(config, c) });
}

export async function cohorts(ctx: AnalysisContext, _params: void): Promise<CohortsResult> {
  const c = settings(ctx.config);
  const filter = customerFilter(ctx.config, c);
  ctx.progress(0, 'cohorts.progress.table');
  await ensurePositiveOrders(ctx);
  const cells = await ctx.db.rows<CohortCell>(cohortSql(ctx.config));
  ctx.progress(0.4, 'cohorts.progress.trends');
  const trends = await ctx.db.rows<KpiTrendPoint>(kpiTrendSql({ grain: c.grain, churnWindow: c.churnWindow, ...filter }));
  ctx.progress(0.7, 'cohorts.progress.gaps');
  const [summary] = await ctx.db.rows<Omit<InterPurchase, 'binDays' | 'bins'>>(interPurchaseSummarySql(filter));
  let binDays = 1;
  let bins: InterPurchase['bins'] = [];
  if (summary.gaps > 0) {
    const p95 = Math.max(1, Math.ceil(summary.p95_days ?? 1));
    binDays = Math.max(1, Math.ceil(p95 / TARGET_BINS));
    const cap = Math.max(binDays, Math.ceil(p95 / binDays) * binDays);
    bins = await ctx.db.rows(interPurchaseHistogramSql(binDays, cap, filter));
  }
  ctx.progress(1);
  return { grain: c.grain, cells, trends, interPurchase: { ...summary, binDays, bins } };
}

/** cohorts.csv with the header of the issue, for the config's grain, mode and filter. */
export async function cohortsCsv(ctx: AnalysisContext, _params: void): Promise<Blob> {
  await ensurePositiveOrders(ctx);
  const cells = await ctx.db.rows<CohortCell>(cohortSql(ctx.config));
  return csvBlob(
    COHORT_CSV_COLUMNS,
    cells.map((r) => COHORT_CSV_COLUMNS.map((k) => r[k])),
  );
}

/** Attribute columns to filter cohorts by, with their most common values. */
export async function cohortFilterChoices(ctx: AnalysisContext, _params: void): Promise<CohortFilterChoice[]> {
  const choices: CohortFilterChoice[] = [];
  for (const column of TRANSACTION_ATTRIBUTES) {
    const values = await ctx.db.rows<{ v: string }>(
      `SELECT ${ident(column)} AS v FROM ${ident(CLEAN_VIEW)} WHERE ${ident(column)} IS NOT NULL
       GROUP BY 1 ORDER BY count(DISTINCT customer_id) DESC, 1 LIMIT ${MAX_FILTER_VALUES}`,
    );
    if (values.length > 1) choices.push({ column, source: 'transactions', values: values.map((r) => r.v) });
  }
  const columns = await ctx.db.rows<{ name: string }>(
    `SELECT column_name AS name FROM duckdb_columns() WHERE table_name = ${str(CUSTOMER_ATTRIBUTES_TABLE)} AND column_name <> 'customer_id'
     ORDER BY column_index`,
  );
  for (const { name } of columns) {
    if ((TRANSACTION_ATTRIBUTES as readonly string[]).includes(name)) continue;
    const values = await ctx.db.rows<{ v: string }>(
      `SELECT CAST(${ident(name)} AS VARCHAR) AS v FROM ${ident(CUSTOMER_ATTRIBUTES_TABLE)} WHERE ${ident(name)} IS NOT NULL
       GROUP BY 1 HAVING count(*) > 0 ORDER BY count(*) DESC, 1 LIMIT ${MAX_FILTER_VALUES + 1}`,
    );
    // An id-like column (a value per customer) is no use as a filter.
    if (values.length > 1 && values.length <= MAX_FILTER_VALUES) choices.push({ column: name, source: 'customers', values: values.map((r) => r.v) });
  }
  return choices;
}
