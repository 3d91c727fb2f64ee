// Segmentation analyses: RFM scores and segments, ABC (Pareto), lifecycle, R×F heatmap, score
// distributions, cross-tab, customer explorer and profile, and the exports.
//
// Speed: the per-customer metrics (customer_rfm) are computed once per data set and as_of; a
// settings change (bins, thresholds, scheme, cut-offs, windows) only re-materialises customer_seg
// from customer_rfm, and every view then aggregates that small table. The data key is the UI's
// datasetVersion (bumped on every load / mapping / policy change) with the mapping, policies and
// as_of, so nothing is rebuilt while the data stays the same.
import { tableToIPC, type Table } from 'apache-arrow';
import { CSV_BOM, csvRow, toCsv, type CsvCell } from '../../core/csv';
import { unscoredCustomersSql } from '../../core/sql/customers';
import { ident } from '../../core/sql/ident';
import { createCustomerRfmTableSql, CUSTOMER_RFM_TABLE, medianInterPurchaseSql, suggestLifecycleWindows } from '../../core/sql/rfm';
import {
  CLV_COLUMNS,
  createCustomerSegTableSql,
  crossTabSql,
  CUSTOMER_CLV_TABLE,
  CUSTOMER_EXPORT_COLUMNS,
  CUSTOMER_SEG_TABLE,
  customerAttributeColumnsSql,
  customerAttributeTableSql,
  customerCountSql,
  customerExportSql,
  customerOrderCountSql,
  customerOrdersSql,
  customerPageSql,
  customerRowSql,
  groupSummarySql,
  paretoCurveSql,
  relationExistsSql,
  rfHeatmapSql,
  scoreDistributionSql,
  scoreMeansSql,
  segmentOverviewSql,
  topShareSql,
  txAttributeCountsSql,
  TX_ATTRIBUTES,
  type AttributeRef,
  type CustomerFilter,
  type CustomerQuery,
} from '../../core/sql/segment-views';
import { effectiveBins, resolveSegmentationOptions, type LifecycleWindows, type SegmentationOptions } from '../../core/segmentation-options';
import { schemeSegments, schemeSpec, segmentLabel } from '../../core/segments';
import { localized, segmentPlaybook, type Language } from '../../core/playbook';
import { CancelledError, type Database, EngineError } from '../database';
import type { AnalysisContext } from './context';

export const PARETO_MAX_POINTS = 500;
export const CROSS_TAB_MAX_VALUES = 12;
export const EXPORT_CHUNK_ROWS = 20_000;
export const PROFILE_MAX_ORDERS = 500;

/** Every segmentation call names the data it expects (Workbench.datasetVersion). */
export interface DataParams {
  datasetVersion: number;
}

export interface SegmentStats {
  segment: string;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number | null;
  avg_recency_days: number;
  avg_frequency: number;
  avg_monetary: number;
  mean_r: number;
  mean_f: number;
  mean_m: number;
}

export interface GroupStats {
  id: string;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number | null;
  avg_recency_days: number;
  avg_frequency: number;
  avg_monetary: number;
  min_monetary: number;
  max_monetary: number;
}

export interface HeatCell {
  r_score: number;
  f_score: number;
  customers: number;
  mean_monetary: number;
  revenue: number;
}

export interface ScoreBin {
  dim: 'r' | 'f' | 'm';
  score: number;
  customers: number;
  min_value: number;
  max_value: number;
}

export interface ParetoPoint {
  /** Share of scored customers (0..1), ranked by monetary descending. */
  x: number;
  /** Share of their revenue held by those customers. */
  y: number;
}

export interface ParetoSummary {
  /** ≤ PARETO_MAX_POINTS points from (0, 0) to (1, 1). */
  points: ParetoPoint[];
  /** The classic reading: the top 20% of customers make `top20.revenueShare` of revenue. */
  top20: { customers: number; customerShare: number; revenueShare: number } | null;
  /** ABC reading: class A is `customerShare` of customers and makes `revenueShare` of revenue. */
  classA: { customers: number; customerShare: number; revenueShare: number } | null;
}

export interface AttributeOption {
  ref: AttributeRef;
  /** Customers (or rows) that have a value. */
  count: number;
}

export interface SegmentationResult {
  /** The reference day in force (epoch ms, UTC midnight); null when there is no data. */
  asOf: number | null;
  /** True when as_of is the default (the day after the last transaction). */
  asOfIsDefault: boolean;
  customers: number;
  scored: number;
  unscored: number;
  revenue: number;
  /** Score levels in force (bins, or cut points + 1). */
  levels: number;
  means: { r: number; f: number; m: number } | null;
  segments: SegmentStats[];
  abc: GroupStats[];
  lifecycle: GroupStats[];
  heatmap: HeatCell[];
  distributions: ScoreBin[];
  pareto: ParetoSummary;
  attributes: AttributeOption[];
  timings: { total: number; rebuiltBase: boolean; rebuiltSegments: boolean };
}

interface EngineState {
  baseKey: string;
  segKey: string;
  attrKey: string;
  facts: { customers: number; scored: number; unscored: number; asOf: number | null; revenue: number };
  pareto: ParetoSummary | null;
  attributes: AttributeOption[] | null;
}

const states = new WeakMap<Database, EngineState>();

/** Options from the config, validated; a bad setting is the user's to fix, not a crash. */
export function segmentationOptionsOf(ctx: AnalysisContext): SegmentationOptions {
  try {
    const options = resolveSegmentationOptions(ctx.config.segmentation ?? {});
    return { ...options, asOf: options.asOf ?? ctx.config.asOf ?? null };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new EngineError(message, message, undefined, 'input');
  }
}

async function exists(db: Database, name: string): Promise<boolean> {
  const [row] = await db.rows<{ n: number }>(relationExistsSql(name));
  return row.n > 0;
}

/** Make sure customer_rfm and customer_seg match the data and the settings; cheap when they do. */
async function ensureTables(ctx: AnalysisContext, params: DataParams): Promise<{ state: EngineState; options: SegmentationOptions; rebuiltBase: boolean; rebuiltSegments: boolean }> {
  const { db } = ctx;
  const options = segmentationOptionsOf(ctx);
  const baseKey = JSON.stringify([params?.datasetVersion ?? null, ctx.config.mapping, ctx.config.policies, options.asOf]);
  let state = states.get(db);
  let rebuiltBase = false;
  if (!state || state.baseKey !== baseKey || !(await exists(db, CUSTOMER_RFM_TABLE)) || !(await exists(db, CUSTOMER_SEG_TABLE))) {
    ctx.progress(null, 'segments.progress.metrics');
    await db.exec(createCustomerRfmTableSql({ asOf: options.asOf }));
    const [facts] = await db.rows<{ customers: number; scored_customers: number; unscored_customers: number; as_of: number | null }>(
      unscoredCustomersSql({ asOf: options.asOf }),
    );
    const [money] = await db.rows<{ revenue: number | null }>(`SELECT CAST(sum(monetary) AS DOUBLE) AS revenue FROM ${ident(CUSTOMER_RFM_TABLE)}`);
    state = {
      baseKey,
      segKey: '',
      attrKey: '',
      facts: {
        customers: facts?.customers ?? 0,
        scored: facts?.scored_customers ?? 0,
        unscored: facts?.unscored_customers ?? 0,
        asOf: facts?.as_of ?? null,
        revenue: money?.revenue ?? 0,
      },
      pareto: null,
      attributes: null,
    };
    states.set(db, state);
    rebuiltBase = true;
  }
  if (ctx.isCancelled()) throw new CancelledError();
  const { strategyOverrides: _playbook, ...shape } = options;
  const segKey = JSON.stringify(shape);
  let rebuiltSegments = false;
  if (state.segKey !== segKey) {
    state.segKey = '';
    await db.exec(createCustomerSegTableSql(options));
    state.segKey = segKey;
    rebuiltSegments = true;
  }
  return { state, options, rebuiltBase, rebuiltSegments };
}

async function paretoSummary(db: Database, scored: number): Promise<ParetoSummary> {
  if (scored === 0) return { points: [], top20: null, classA: null };
  // One point is the origin, so the query keeps PARETO_MAX_POINTS − 1.
  const rows = await db.rows<{ rank: number; n: number; cum_share: number }>(paretoCurveSql(PARETO_MAX_POINTS - 1));
  const points: ParetoPoint[] = [{ x: 0, y: 0 }, ...rows.map((r) => ({ x: r.rank / r.n, y: r.cum_share }))];
  const [top] = await db.rows<{ customers: number; n: number; revenue_share: number | null }>(topShareSql(0.2));
  return {
    points,
    top20: top && top.revenue_share !== null ? { customers: top.customers, customerShare: top.customers / top.n, revenueShare: top.revenue_share } : null,
    classA: null,
  };
}

async function attributeOptions(db: Database): Promise<AttributeOption[]> {
  const out: AttributeOption[] = [];
  const [tx] = await db.rows<Record<string, number>>(txAttributeCountsSql());
  for (const column of TX_ATTRIBUTES) if ((tx?.[column] ?? 0) > 0) out.push({ ref: { source: 'tx', column }, count: tx[column] });
  const cols = await db.rows<{ column_name: string }>(customerAttributeColumnsSql()).catch(() => []);
  for (const c of cols) out.push({ ref: { source: 'customers', column: c.column_name }, count: 0 });
  return out;
}

/** Everything the Segments view shows except the cross-tab and the explorer. */
export async function segmentation(ctx: AnalysisContext, params: DataParams): Promise<SegmentationResult> {
  const started = performance.now();
  const { db } = ctx;
  const { state, options, rebuiltBase, rebuiltSegments } = await ensureTables(ctx, params);
  const [means] = await db.rows<{ n: number; r: number | null; f: number | null; m: number | null; revenue: number | null }>(scoreMeansSql());
  const segments = await db.rows<SegmentStats>(segmentOverviewSql());
  const abc = await db.rows<GroupStats>(groupSummarySql('abc_class'));
  const lifecycle = await db.rows<GroupStats>(groupSummarySql('lifecycle'));
  const heatmap = await db.rows<HeatCell>(rfHeatmapSql());
  const distributions = await db.rows<ScoreBin>(scoreDistributionSql());
  state.pareto ??= await paretoSummary(db, state.facts.scored);
  state.attributes ??= await attributeOptions(db);
  const a = abc.find((g) => g.id === 'A');
  const pareto: ParetoSummary = {
    ...state.pareto,
    classA: a && a.revenue_share !== null ? { customers: a.customers, customerShare: a.customer_share, revenueShare: a.revenue_share } : null,
  };
  // Scheme order, so the UI can list segments as the playbook does.
  const order = new Map(schemeSegments(schemeSpec(options)).map((s, i) => [s.id, i]));
  segments.sort((x, y) => (order.get(x.segment) ?? 999) - (order.get(y.segment) ?? 999) || x.segment.localeCompare(y.segment));
  return {
    asOf: state.facts.asOf,
    asOfIsDefault: options.asOf === null,
    customers: state.facts.customers,
    scored: state.facts.scored,
    unscored: state.facts.unscored,
    revenue: state.facts.revenue,
    levels: effectiveBins(options),
    means: means && means.n > 0 && means.r !== null && means.f !== null && means.m !== null ? { r: means.r, f: means.f, m: means.m } : null,
    segments,
    abc,
    lifecycle,
    heatmap,
    distributions,
    pareto,
    attributes: state.attributes,
    timings: { total: performance.now() - started, rebuiltBase, rebuiltSegments },
  };
}

export interface CrossTabCell {
  segment: string;
  kind: 'value' | 'other' | 'none';
  value: string | null;
  customers: number;
  revenue: number;
}

export interface CrossTabResult {
  attribute: AttributeRef;
  /** Column order: the attribute values by customers (desc), then 'other', then 'none' when present. */
  columns: { kind: 'value' | 'other' | 'none'; value: string | null; customers: number }[];
  cells: CrossTabCell[];
}

function validAttribute(ref: AttributeRef, available: AttributeOption[]): AttributeRef {
  const found = available.find((a) => a.ref.source === ref?.source && a.ref.column === ref?.column);
  if (!found) throw new EngineError('segments.error.attribute', `No attribute ${JSON.stringify(ref)} in the loaded data`, undefined, 'input');
  return found.ref;
}

async function ensureAttribute(ctx: AnalysisContext, state: EngineState, options: SegmentationOptions, ref: AttributeRef): Promise<void> {
  state.attributes ??= await attributeOptions(ctx.db);
  const attr = validAttribute(ref, state.attributes);
  const key = JSON.stringify(attr);
  if (state.attrKey !== key || !(await exists(ctx.db, 'customer_seg_attr'))) {
    state.attrKey = '';
    await ctx.db.exec(customerAttributeTableSql(attr, options.asOf));
    state.attrKey = key;
  }
}

/** Segments × one attribute (channel, region, category, or a customer-attributes column). */
export async function segmentCrossTab(ctx: AnalysisContext, params: DataParams & { attribute: AttributeRef }): Promise<CrossTabResult> {
  const { state, options } = await ensureTables(ctx, params);
  await ensureAttribute(ctx, state, options, params.attribute);
  const cells = await ctx.db.rows<CrossTabCell>(crossTabSql(CROSS_TAB_MAX_VALUES));
  const totals = new Map<string, { kind: CrossTabCell['kind']; value: string | null; customers: number }>();
  for (const c of cells) {
    const key = `${c.kind}\u0000${c.value ?? ''}`;
    const t = totals.get(key) ?? { kind: c.kind, value: c.value, customers: 0 };
    t.customers += c.customers;
    totals.set(key, t);
  }
  const rank = { value: 0, other: 1, none: 2 } as const;
  const columns = [...totals.values()].sort(
    (a, b) => rank[a.kind] - rank[b.kind] || b.customers - a.customers || String(a.value).localeCompare(String(b.value)),
  );
  return { attribute: params.attribute, columns, cells };
}

export interface CustomerRow {
  customer_id: string;
  first_purchase: number;
  last_purchase: number;
  recency_days: number;
  frequency: number;
  monetary: number;
  avg_order_value: number;
  r_score: number;
  f_score: number;
  m_score: number;
  rfm_code: string;
  abc_class: string;
  lifecycle: string;
  segment: string;
}

export interface CustomerPage {
  total: number;
  offset: number;
  rows: CustomerRow[];
}

/** A page of the explorer: filtered, searched, sorted (whitelisted column), LIMIT/OFFSET. */
export async function segmentCustomers(ctx: AnalysisContext, params: DataParams & { query: CustomerQuery }): Promise<CustomerPage> {
  const { state } = await ensureTables(ctx, params);
  const query = params.query ?? {};
  if (query.filter?.attribute && !state.attrKey) {
    throw new EngineError('segments.error.attribute', 'Open the cross-tab before filtering by an attribute', undefined, 'input');
  }
  const [{ total }] = await ctx.db.rows<{ total: number }>(customerCountSql(query.filter, query.search));
  const rows = await ctx.db.rows<CustomerRow>(customerPageSql(query));
  return { total, offset: query.offset ?? 0, rows };
}

export interface CustomerOrder {
  order_id: string;
  order_date: number;
  net: number;
  lines: number;
  channel: string | null;
  categories: string | null;
}

export interface CustomerProfile {
  customerId: string;
  /** Null when the customer is not scored (no order with a positive net amount). */
  row: (CustomerRow & { tenure_days: number }) | null;
  means: { r: number; f: number; m: number } | null;
  levels: number;
  asOf: number | null;
  orders: CustomerOrder[];
  orderCount: number;
}

/** One customer: scores, segment, class, stage and the order timeline. */
export async function customerProfile(ctx: AnalysisContext, params: DataParams & { customerId: string }): Promise<CustomerProfile> {
  const { state, options } = await ensureTables(ctx, params);
  const id = String(params.customerId ?? '');
  const [row] = await ctx.db.rows<CustomerRow & { tenure_days: number }>(customerRowSql(id));
  const [means] = await ctx.db.rows<{ n: number; r: number | null; f: number | null; m: number | null }>(scoreMeansSql());
  const orders = await ctx.db.rows<CustomerOrder>(customerOrdersSql(id, options.asOf, PROFILE_MAX_ORDERS));
  const [{ orders: orderCount }] = await ctx.db.rows<{ orders: number }>(customerOrderCountSql(id, options.asOf));
  return {
    customerId: id,
    row: row ?? null,
    means: means && means.n > 0 && means.r !== null && means.f !== null && means.m !== null ? { r: means.r, f: means.f, m: means.m } : null,
    levels: effectiveBins(options),
    asOf: state.facts.asOf,
    orders,
    orderCount,
  };
}

export interface ExportFile {
  blob: Blob;
  filename: string;
  rows: number;
  columns: string[];
}

export interface CustomerExportParams extends DataParams {
  language: Language;
  /** Only these customers (a segment, class, stage or cell); all scored customers when absent. */
  filter?: CustomerFilter;
  format?: 'csv' | 'parquet';
  /** Name part for a filtered export, e.g. the segment id. */
  name?: string;
}

async function hasClvTable(db: Database): Promise<boolean> {
  if (!(await exists(db, CUSTOMER_CLV_TABLE))) return false;
  // Only append when the agreed columns are all there (a half-built table must not break the export).
  const cols = await db.rows<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = '${CUSTOMER_CLV_TABLE}'`,
  );
  const names = new Set(cols.map((c) => c.column_name));
  return names.has('customer_id') && CLV_COLUMNS.every((c) => names.has(c));
}

function safeName(name: string): string {
  return name.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'segment';
}

/** Arrow rows → CSV records. Values are already plain (dates are ISO text from SQL). */
function csvChunk(table: Table): string {
  const columns = table.schema.fields.map((_, i) => table.getChildAt(i)!);
  const parts: string[] = [];
  const cells: CsvCell[] = new Array(columns.length);
  for (let r = 0; r < table.numRows; r++) {
    for (let c = 0; c < columns.length; c++) cells[c] = columns[c].get(r) as CsvCell;
    parts.push(csvRow(cells));
  }
  return parts.join('');
}

/**
 * customers.csv (or .parquet): CUSTOMER_EXPORT_COLUMNS — plus the CLV columns when customer_clv
 * exists — one row per scored customer in customer_id order. CSV is written in chunks of
 * EXPORT_CHUNK_ROWS (keyset pagination on customer_id) into a Blob, so no single giant string.
 */
export async function exportCustomers(ctx: AnalysisContext, params: CustomerExportParams): Promise<ExportFile> {
  const { state, options } = await ensureTables(ctx, params);
  if (params.filter?.attribute && !state.attrKey) {
    throw new EngineError('segments.error.attribute', 'Open the cross-tab before exporting by an attribute', undefined, 'input');
  }
  const language: Language = params.language === 'zh' ? 'zh' : 'en';
  const withClv = await hasClvTable(ctx.db);
  const columns: string[] = [...CUSTOMER_EXPORT_COLUMNS, ...(withClv ? CLV_COLUMNS : [])];
  const base = `customers${params.name ? `-${safeName(params.name)}` : ''}`;
  const common = { options, language, filter: params.filter, withClv };

  if (params.format === 'parquet') {
    if (!ctx.writeParquet) throw new EngineError('error.unexpected', 'Parquet writing is not available here');
    const table = await ctx.db.query(customerExportSql({ ...common, format: 'parquet' }));
    const bytes = await ctx.writeParquet(tableToIPC(table, 'stream'));
    return { blob: new Blob([bytes as BlobPart], { type: 'application/vnd.apache.parquet' }), filename: `${base}.parquet`, rows: table.numRows, columns };
  }

  const parts: BlobPart[] = [CSV_BOM + csvRow(columns)];
  let afterId: string | null = null;
  let rows = 0;
  const expected = state.facts.scored || 1;
  for (;;) {
    if (ctx.isCancelled()) throw new CancelledError();
    const table = await ctx.db.query(customerExportSql({ ...common, format: 'csv', afterId, limit: EXPORT_CHUNK_ROWS }));
    if (table.numRows === 0) break;
    parts.push(csvChunk(table));
    rows += table.numRows;
    afterId = String(table.getChildAt(0)!.get(table.numRows - 1));
    ctx.progress(Math.min(1, rows / expected), 'segments.progress.export');
    if (table.numRows < EXPORT_CHUNK_ROWS) break;
  }
  return { blob: new Blob(parts, { type: 'text/csv;charset=utf-8' }), filename: `${base}.csv`, rows, columns };
}

export const SEGMENT_SUMMARY_EXPORT_COLUMNS = [
  'segment_id',
  'segment',
  'customers',
  'customer_share',
  'revenue',
  'revenue_share',
  'avg_recency_days',
  'avg_frequency',
  'avg_monetary',
  'mean_r_score',
  'mean_f_score',
  'mean_m_score',
  'description',
  'strategy',
] as const;

/** segments.csv: one row per segment of the scheme (empty ones with 0 customers), in scheme order. */
export async function exportSegmentSummary(ctx: AnalysisContext, params: DataParams & { language: Language }): Promise<ExportFile> {
  const { options } = await ensureTables(ctx, params);
  const language: Language = params.language === 'zh' ? 'zh' : 'en';
  const stats = new Map((await ctx.db.rows<SegmentStats>(segmentOverviewSql())).map((s) => [s.segment, s]));
  const rows: CsvCell[][] = segmentPlaybook(options).map((p) => {
    const s = stats.get(p.id);
    return [
      p.id,
      segmentLabel({ id: p.id, name: p.name, description: p.description, strategy: p.strategy }, language),
      s?.customers ?? 0,
      s?.customer_share ?? 0,
      s?.revenue ?? 0,
      s?.revenue_share ?? null,
      s?.avg_recency_days ?? null,
      s?.avg_frequency ?? null,
      s?.avg_monetary ?? null,
      s?.mean_r ?? null,
      s?.mean_f ?? null,
      s?.mean_m ?? null,
      localized(p.description, language),
      localized(p.strategy, language),
    ];
  });
  const text = toCsv(SEGMENT_SUMMARY_EXPORT_COLUMNS, rows);
  return { blob: new Blob([text], { type: 'text/csv;charset=utf-8' }), filename: 'segments.csv', rows: rows.length, columns: [...SEGMENT_SUMMARY_EXPORT_COLUMNS] };
}

export interface LifecycleSuggestion {
  medianDays: number | null;
  gaps: number;
  customersWithRepeat: number;
  windows: LifecycleWindows;
}

/** Lifecycle windows suggested from the median time between a customer's purchases. */
export async function suggestLifecycle(ctx: AnalysisContext, _params: DataParams): Promise<LifecycleSuggestion> {
  const options = segmentationOptionsOf(ctx);
  const [row] = await ctx.db.rows<{ median_days: number | null; gaps: number; customers_with_repeat: number }>(medianInterPurchaseSql({ asOf: options.asOf }));
  return {
    medianDays: row?.median_days ?? null,
    gaps: row?.gaps ?? 0,
    customersWithRepeat: row?.customers_with_repeat ?? 0,
    windows: suggestLifecycleWindows(row?.median_days),
  };
}

/** For tests and the benchmark: forget the cached keys of a database (its tables stay). */
export function resetSegmentationCache(db: Database): void {
  states.delete(db);
}
