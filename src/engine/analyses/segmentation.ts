// Segmentation analyses: RFM scores and segments, ABC (Pareto), lifecycle, R×F heatmap, score
// distributions, cross-tab, customer explorer and profile, and the exports.
//
// Speed: the per-customer metrics (customer_rfm) are computed once per data set and as_of in
// DuckDB and copied into the worker's memory as columns (core/scored-customers.ts). A settings
// change (bins, thresholds, scheme, cut-offs, windows) then never queries DuckDB: scores, the cube
// of core/segment-cube.ts (every summary), the cross-tab and the explorer's pages are one pass over
// typed arrays — the same arithmetic as the SQL, which is still recorded for "Show SQL" and the
// DuckDB script and still runs the profile and the exports. The data key is the UI's
// datasetVersion (bumped on every load / mapping / policy change) with the mapping, policies and
// as_of, so nothing is rebuilt while the data stays.
import { tableToIPC, type Table } from 'apache-arrow';
import { CSV_BOM, csvRow, toCsv, type CsvCell } from '../../core/csv';
import { unscoredCustomersSql } from '../../core/sql/customers';
import { ident, str } from '../../core/sql/ident';
import { createCustomerRfmTableSql, CUSTOMER_RFM_TABLE, medianInterPurchaseSql, segmentationSql, suggestLifecycleWindows } from '../../core/sql/rfm';
import {
  CLV_COLUMNS,
  CUSTOMER_CLV_TABLE,
  CUSTOMER_ATTR_TABLE,
  CUSTOMER_EXPORT_COLUMNS,
  crossTabCubeSql,
  customerAttributeColumnsSql,
  customerAttributeTableSql,
  customerExportSql,
  customerOrderCountSql,
  customerOrdersSql,
  customerPageSql,
  customerRfmAttrTableSql,
  customerRowSql,
  baseFactsSql,
  paretoCurveSql,
  segmentCubeSql,
  segmentedCustomersSql,
  topShareSql,
  txAttributePresenceSql,
  TX_ATTRIBUTES,
  customerAttributeColumns,
  type TxAttribute,
  type AttributeRef,
  type CustomerFilter,
  type CustomerQuery,
} from '../../core/sql/segment-views';
import { effectiveBins, resolveSegmentationOptions, type LifecycleWindows, type SegmentationOptions } from '../../core/segmentation-options';
import { schemeSpec, segmentLabel, type ScoreTriple } from '../../core/segments';
import { cellSegments, cubeMeans, summarizeCube, type CubeCell, type CubeSummary, type GroupStats, type HeatCell, type ScoreBin, type SegmentStats } from '../../core/segment-cube';
import {
  attributeFromValues,
  crossTabCube,
  customerPage,
  customerRow,
  fromColumns,
  abcClasses,
  lifecycleStages,
  paretoReading,
  rfmScores,
  scoreCube,
  scoredCustomersSql,
  type CellSegments,
  type CustomerAttribute,
  type ScoredCustomerColumns,
  type ScoredCustomerRow,
  type ScoredCustomers,
  type Scores,
} from '../../core/scored-customers';
import { localized, segmentPlaybook, type Language } from '../../core/playbook';
import { CancelledError, type Database, EngineError } from '../database';
import { summaryOptionsAsOf } from './as-of';
import type { AnalysisContext } from './context';
import { columnValues } from '../arrow-columns';
import { clvTableVersion } from './clv-table';

export type { GroupStats, HeatCell, ScoreBin, SegmentStats };

export const PARETO_MAX_POINTS = 500;
/** The classic Pareto reading: the revenue share of the top 20 % of customers. */
const TOP_SHARE = 0.2;
export const CROSS_TAB_MAX_VALUES = 12;
export const EXPORT_CHUNK_ROWS = 20_000;
export const PROFILE_MAX_ORDERS = 500;

/** Every segmentation call names the data it expects (Workbench.datasetVersion). */
export interface DataParams {
  datasetVersion: number;
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

/** A dimension the cross-tab offers: one that the loaded data has values for. */
export interface AttributeOption {
  ref: AttributeRef;
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
  /** The statement that built customer_rfm (noted again when it is reused). */
  baseSql: string;
  facts: { customers: number; scored: number; unscored: number; asOf: number | null; revenue: number };
  /** customer_rfm in memory. */
  base: ScoredCustomers;
  /** The last scores, classes, stages and cube, each with the settings it was made for. */
  parts: Parts;
  /** Scores, the cube's summary and the segment of every score cell for the settings of segKey. */
  segKey: string;
  scores: Scores | null;
  summary: CubeSummary | null;
  segmentOf: CellSegments;
  attrKey: string;
  /** The cross-tab attribute per customer (aligned with base), for attrKey. */
  attr: CustomerAttribute | null;
  /** Whether customer_clv was there when last probed, at this clvTableVersion. */
  clv: { version: number; present: boolean } | null;
  pareto: ParetoSummary | null;
  attributes: AttributeOption[] | null;
}

const states = new WeakMap<Database, EngineState>();

interface Parts {
  rfm?: { key: string; value: Pick<Scores, 'levels' | 'r' | 'f' | 'm'> };
  abc?: { key: string; value: Uint8Array };
  stage?: { key: string; value: Uint8Array };
  cube?: { key: string; value: CubeCell[] };
}

function remember<K extends keyof Parts>(parts: Parts, slot: K, key: string, make: () => NonNullable<Parts[K]>['value']): NonNullable<Parts[K]>['value'] {
  const kept = parts[slot];
  if (kept && kept.key === key) return kept.value;
  const value = make();
  parts[slot] = { key, value } as Parts[K];
  return value;
}

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

interface Ready {
  state: EngineState;
  options: SegmentationOptions;
  means: ScoreTriple | null;
  rebuiltBase: boolean;
  rebuiltCube: boolean;
}

/**
 * customer_rfm (in DuckDB and in memory) for the data and as_of, and the scores and summaries for
 * the settings; each is rebuilt only when its key changed. `sql`: the caller also queries the
 * customer_rfm table (profile, exports), so check that it is still there; the in-memory views
 * need only the key.
 */
async function ensureReady(ctx: AnalysisContext, params: DataParams, sql = false): Promise<Ready> {
  const { db } = ctx;
  const options = segmentationOptionsOf(ctx);
  const baseKey = JSON.stringify([params?.datasetVersion ?? null, ctx.config.mapping, ctx.config.policies, options.asOf]);
  let state = states.get(db);
  let rebuiltBase = false;
  if (!state || state.baseKey !== baseKey || (sql && !(await db.readable(CUSTOMER_RFM_TABLE)))) {
    states.delete(db);
    ctx.progress(null, 'segments.progress.metrics');
    const summary = await summaryOptionsAsOf(db, options.asOf);
    const baseSql = createCustomerRfmTableSql(summary);
    await db.exec(baseSql);
    let [facts] = await db.rows<{ scored: number; revenue: number | null; customers: number | null; as_of: number | null }>(baseFactsSql());
    if (facts.customers === null) {
      // No scored customer: customer_rfm is empty and cannot say how many there were.
      const [orders] = await db.rows<{ customers: number; as_of: number | null }>(unscoredCustomersSql(summary));
      facts = { ...facts, customers: orders.customers, as_of: orders.as_of };
    }
    const base = await db.unrecorded(() => db.query(scoredCustomersSql(ident(CUSTOMER_RFM_TABLE))));
    const columns = Object.fromEntries(base.schema.fields.map((f, i) => [f.name, columnValues(base.getChildAt(i)!)])) as unknown as ScoredCustomerColumns;
    state = {
      baseKey,
      baseSql,
      facts: {
        customers: facts.customers ?? 0,
        scored: facts.scored,
        unscored: (facts.customers ?? 0) - facts.scored,
        asOf: facts.as_of,
        revenue: facts.revenue ?? 0,
      },
      base: fromColumns(columns),
      parts: {},
      segKey: '',
      scores: null,
      summary: null,
      segmentOf: () => '',
      attrKey: '',
      attr: null,
      clv: null,
      pareto: null,
      attributes: null,
    };
    states.set(db, state);
    rebuiltBase = true;
  } else {
    // Reused: still part of what this analysis stands on ("Show SQL" / the DuckDB script).
    db.note(state.baseSql);
  }
  if (ctx.isCancelled()) throw new CancelledError();
  // Playbook texts and the as_of (part of the base key) do not change the cube.
  const { strategyOverrides: _playbook, asOf: _asOf, ...shape } = options;
  const segKey = JSON.stringify(shape);
  let rebuiltCube = false;
  // What the TypeScript below computes, as SQL (the DuckDB script replays it).
  db.note(segmentCubeSql(options));
  if (state.segKey !== segKey || !state.summary) {
    state.segKey = '';
    // Each part is recomputed only when its own settings changed: a scheme change reuses the
    // scores and the cube, a cut-off change the R/F/M scores.
    const { base, parts } = state;
    const rfmKey = JSON.stringify([options.bins, options.thresholds]);
    const rfm = remember(parts, 'rfm', rfmKey, () => rfmScores(base, options));
    const abc = remember(parts, 'abc', JSON.stringify(options.abc), () => abcClasses(base, options.abc));
    const stage = remember(parts, 'stage', JSON.stringify(options.lifecycle), () => lifecycleStages(base, options.lifecycle));
    const scores: Scores = { ...rfm, abc, stage };
    const cube = remember(parts, 'cube', JSON.stringify([rfmKey, options.abc, options.lifecycle]), () => scoreCube(base, scores));
    const spec = schemeSpec(options);
    // The segment of every possible score triple, once: the summaries, the cross-tab and the
    // explorer then look segments up by score instead of running the scheme's rules again.
    const L = scores.levels;
    const cells: { r_score: number; f_score: number; m_score: number }[] = [];
    for (let r = 1; r <= L; r++) for (let f = 1; f <= L; f++) for (let m = 1; m <= L; m++) cells.push({ r_score: r, f_score: f, m_score: m });
    // Nobody scored (a file of returns only): no cell has a customer, and a scheme that compares
    // with the mean scores has no means to compare with.
    const bySegment = base.n === 0 ? cells.map(() => '') : cellSegments(cells, spec, cubeMeans(cube));
    const segmentOf: CellSegments = (r, f, m) => bySegment[((r - 1) * L + (f - 1)) * L + (m - 1)];
    state.scores = scores;
    state.summary = summarizeCube(cube, spec, segmentOf);
    state.segmentOf = segmentOf;
    state.segKey = segKey;
    rebuiltCube = true;
  }
  return { state, options, means: state.summary!.means, rebuiltBase, rebuiltCube };
}

/** The Pareto curve and the top-20 % reading, from the customers in memory (paretoReading). */
function paretoSummary(db: Database, base: ScoredCustomers): ParetoSummary {
  // One point is the origin, so the curve keeps PARETO_MAX_POINTS − 1.
  db.note(paretoCurveSql(PARETO_MAX_POINTS - 1));
  db.note(topShareSql(TOP_SHARE));
  if (base.n === 0) return { points: [], top20: null, classA: null };
  const { curve, top } = paretoReading(base, PARETO_MAX_POINTS - 1, TOP_SHARE);
  return {
    points: [{ x: 0, y: 0 }, ...curve.map((p) => ({ x: p.rank / base.n, y: p.cumShare }))],
    top20: top && { customers: top.customers, customerShare: top.customers / base.n, revenueShare: top.revenueShare },
    classA: null,
  };
}

async function attributeOptions(db: Database): Promise<AttributeOption[]> {
  const out: AttributeOption[] = [];
  const [tx] = await db.rows<Record<TxAttribute, boolean | null>>(txAttributePresenceSql());
  for (const column of TX_ATTRIBUTES) if (tx?.[column]) out.push({ ref: { source: 'tx', column } });
  // A probe of what is loaded, not part of the analysis (the DuckDB script has no such table).
  const table = await db.unrecorded(() => db.query(customerAttributeColumnsSql())).catch(() => null);
  const columns = table ? customerAttributeColumns(table.schema.fields.map((f) => f.name)) : [];
  for (const column of columns) out.push({ ref: { source: 'customers', column } });
  return out;
}

/**
 * The lifetime-value model's churn risk as a dimension, once it has run on this data (its
 * table is dropped whenever the clean data changes, and the state with it). It can appear after
 * the segments were first computed: probed again whenever the CLV analysis wrote it.
 */
async function clvAttributeOptions(db: Database, state: EngineState): Promise<AttributeOption[]> {
  const version = clvTableVersion(db);
  // Version 0: the lifetime-value analysis never wrote the table here, so there is nothing to probe
  // (a probe of a missing table costs DuckDB-WASM ~0.1 s the first time, on the Segments tab's first view).
  if (state.clv?.version !== version) state.clv = { version, present: version > 0 && (await hasClvTable(db)) };
  return state.clv.present ? [{ ref: { source: 'clv', column: 'p_alive' } }] : [];
}

/** Everything the Segments view shows except the cross-tab and the explorer. */
export async function segmentation(ctx: AnalysisContext, params: DataParams): Promise<SegmentationResult> {
  const started = performance.now();
  const { db } = ctx;
  const { state, options, rebuiltBase, rebuiltCube } = await ensureReady(ctx, params);
  const summary = state.summary!;
  state.pareto ??= paretoSummary(db, state.base);
  state.attributes ??= await attributeOptions(db);
  const a = summary.abc.find((g) => g.id === 'A');
  // The per-customer table behind the summaries and customers.csv, for the DuckDB script.
  db.note(`SELECT * FROM (\n${segmentationSql(options, { source: 'table' })}\n) ORDER BY customer_id`);
  return {
    asOf: state.facts.asOf,
    asOfIsDefault: options.asOf === null,
    customers: state.facts.customers,
    scored: state.facts.scored,
    unscored: state.facts.unscored,
    revenue: state.facts.revenue,
    levels: effectiveBins(options),
    means: summary.means,
    segments: summary.segments,
    abc: summary.abc,
    lifecycle: summary.lifecycle,
    heatmap: summary.heatmap,
    distributions: summary.distributions,
    pareto: {
      ...state.pareto,
      classA: a && a.revenue_share !== null ? { customers: a.customers, customerShare: a.customer_share, revenueShare: a.revenue_share } : null,
    },
    attributes: [...state.attributes, ...(await clvAttributeOptions(db, state))],
    timings: { total: performance.now() - started, rebuiltBase, rebuiltSegments: rebuiltCube },
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

/**
 * The attribute value per customer (a temp table, for the exports' filter) and in memory aligned
 * with customer_rfm; rebuilt when the attribute or the data changes.
 */
async function ensureAttribute(ctx: AnalysisContext, state: EngineState, options: SegmentationOptions, ref: AttributeRef): Promise<void> {
  state.attributes ??= await attributeOptions(ctx.db);
  const attr = validAttribute(ref, [...state.attributes, ...(await clvAttributeOptions(ctx.db, state))]);
  const key = JSON.stringify(attr);
  if (state.attrKey !== key || !state.attr) {
    state.attrKey = '';
    await ctx.db.exec(customerAttributeTableSql(attr, options.asOf));
    const values = await ctx.db.unrecorded(() =>
      ctx.db.query(
        `SELECT a.value FROM ${ident(CUSTOMER_RFM_TABLE)} AS b LEFT JOIN ${ident(CUSTOMER_ATTR_TABLE)} AS a ON a.customer_id = b.customer_id ORDER BY b.customer_id`,
      ),
    );
    state.attr = attributeFromValues(columnValues(values.getChildAt(0)!) as ArrayLike<string | null>);
    state.attrKey = key;
  } else {
    ctx.db.note(customerAttributeTableSql(attr, options.asOf));
  }
  ctx.db.note(customerRfmAttrTableSql());
}

/**
 * Segments × one attribute (channel, region, category, or a customer-attributes column): the
 * CROSS_TAB_MAX_VALUES values with most customers get a column each, the rest are 'other',
 * customers without a value 'none'. Counted in memory (crossTabCube); segments per score cell.
 */
export async function segmentCrossTab(ctx: AnalysisContext, params: DataParams & { attribute: AttributeRef }): Promise<CrossTabResult> {
  const { state, options } = await ensureReady(ctx, params);
  await ensureAttribute(ctx, state, options, params.attribute);
  ctx.db.note(crossTabCubeSql(options));
  const rows = crossTabCube(state.base, state.scores!, state.attr!);
  const segments = rows.map((r) => state.segmentOf(r.r_score, r.f_score, r.m_score));
  const perValue = new Map<string, number>();
  for (const r of rows) if (r.value !== null) perValue.set(r.value, (perValue.get(r.value) ?? 0) + r.customers);
  const top = new Set(
    [...perValue.entries()]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .slice(0, CROSS_TAB_MAX_VALUES)
      .map(([v]) => v),
  );
  const cells = new Map<string, CrossTabCell>();
  rows.forEach((r, i) => {
    const kind: CrossTabCell['kind'] = r.value === null ? 'none' : top.has(r.value) ? 'value' : 'other';
    const value = kind === 'value' ? r.value : null;
    const key = `${segments[i]}\u0000${kind}\u0000${value ?? ''}`;
    const c = cells.get(key) ?? { segment: segments[i], kind, value, customers: 0, revenue: 0 };
    c.customers += r.customers;
    c.revenue += r.revenue;
    cells.set(key, c);
  });
  const totals = new Map<string, { kind: CrossTabCell['kind']; value: string | null; customers: number }>();
  for (const c of cells.values()) {
    const key = `${c.kind}\u0000${c.value ?? ''}`;
    const t = totals.get(key) ?? { kind: c.kind, value: c.value, customers: 0 };
    t.customers += c.customers;
    totals.set(key, t);
  }
  const rank = { value: 0, other: 1, none: 2 } as const;
  const byText = (x: string | null, y: string | null) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0);
  const columns = [...totals.values()].sort((x, y) => rank[x.kind] - rank[y.kind] || y.customers - x.customers || byText(x.value, y.value));
  const sortedCells = [...cells.values()].sort((x, y) => byText(x.segment, y.segment) || byText(x.kind, y.kind) || byText(x.value, y.value));
  return { attribute: params.attribute, columns, cells: sortedCells };
}

/** One scored customer as the explorer, the profile and the exports show it (dates: epoch ms). */
export type CustomerRow = ScoredCustomerRow;

export interface CustomerPage {
  total: number;
  offset: number;
  rows: CustomerRow[];
}

/** A page of the explorer: filtered, searched, sorted (whitelisted column), LIMIT/OFFSET — in memory. */
export async function segmentCustomers(ctx: AnalysisContext, params: DataParams & { query: CustomerQuery }): Promise<CustomerPage> {
  const { state, options, means } = await ensureReady(ctx, params);
  const query = params.query ?? {};
  if (query.filter?.attribute && !state.attr) {
    throw new EngineError('segments.error.attribute', 'Open the cross-tab before filtering by an attribute', undefined, 'input');
  }
  const { total, indices } = customerPage(state.base, state.scores!, { query, segmentOf: state.segmentOf, attribute: state.attr });
  ctx.db.note(customerPageSql(segmentedCustomersSql(options, means), query));
  return { total, offset: query.offset ?? 0, rows: indices.map((i) => customerRow(state.base, state.scores!, i, state.segmentOf)) };
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
  /** Predictions of the lifetime-value model, once it has run on this data. */
  clv: { p_alive: number; expected_purchases: number; expected_aov: number | null; clv: number | null } | null;
}

/** One customer: scores, segment, class, stage and the order timeline. */
export async function customerProfile(ctx: AnalysisContext, params: DataParams & { customerId: string }): Promise<CustomerProfile> {
  const { state, options, means } = await ensureReady(ctx, params, true);
  const id = String(params.customerId ?? '');
  const [row] = await ctx.db.rows<CustomerRow & { tenure_days: number }>(customerRowSql(segmentedCustomersSql(options, means), id));
  const orders = await ctx.db.rows<CustomerOrder>(customerOrdersSql(id, options.asOf, PROFILE_MAX_ORDERS));
  const [{ orders: orderCount }] = await ctx.db.rows<{ orders: number }>(customerOrderCountSql(id, options.asOf));
  const [clv] = (await hasClvTable(ctx.db))
    ? await ctx.db.rows<NonNullable<CustomerProfile['clv']>>(
        `SELECT ${CLV_COLUMNS.map((c) => `CAST(${ident(c)} AS DOUBLE) AS ${ident(c)}`).join(', ')} FROM ${ident(CUSTOMER_CLV_TABLE)} WHERE customer_id = ${str(id)}`,
      )
    : [];
  return {
    clv: clv ?? null,
    customerId: id,
    row: row ?? null,
    means,
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

/** Only with the agreed columns all there (a half-built table must not break the export). */
async function hasClvTable(db: Database): Promise<boolean> {
  return db.readable(CUSTOMER_CLV_TABLE, ['customer_id', ...CLV_COLUMNS]);
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
  const { state, options, means } = await ensureReady(ctx, params, true);
  if (params.filter?.attribute) {
    if (!state.attr) throw new EngineError('segments.error.attribute', 'Open the cross-tab before exporting by an attribute', undefined, 'input');
    // The export filters in SQL, through the attribute table of the cross-tab.
    if (!(await ctx.db.readable(CUSTOMER_ATTR_TABLE))) await ctx.db.exec(customerAttributeTableSql(JSON.parse(state.attrKey) as AttributeRef, options.asOf));
  }
  const language: Language = params.language === 'zh' ? 'zh' : 'en';
  const withClv = await hasClvTable(ctx.db);
  const columns: string[] = [...CUSTOMER_EXPORT_COLUMNS, ...(withClv ? CLV_COLUMNS : [])];
  const base = `customers${params.name ? `-${safeName(params.name)}` : ''}`;
  const common = { options, means, language, filter: params.filter, withClv };

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
  const { state, options } = await ensureReady(ctx, params);
  const language: Language = params.language === 'zh' ? 'zh' : 'en';
  const stats = new Map(state.summary!.segments.map((s) => [s.segment, s]));
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
  const [row] = await ctx.db.rows<{ median_days: number | null; gaps: number; customers_with_repeat: number }>(medianInterPurchaseSql(await summaryOptionsAsOf(ctx.db, options.asOf)));
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
