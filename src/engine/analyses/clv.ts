// Predictive customer lifetime value: BG/NBD (repeat purchasing, P(alive)) and Gamma-Gamma
// (spend per purchase) fitted in the worker on the per-customer summary built in SQL
// (core/sql/clv-summary.ts), with calibration/holdout validation as lifetimes and BTYD draw
// it. Writes `customer_clv(customer_id, p_alive, expected_purchases, expected_aov, clv)`,
// which the segments view and customers.csv join.
//
// Conventions:
// * Scores are as of the calibration end (the last purchase day by default) for the
//   customers who bought by then; expected purchases and CLV cover `horizon` units after it.
// * CLV = E[spend per purchase] · Σ_i ΔE[purchases in step i] / (1+d_step)^i, lifetimes'
//   customer_lifetime_value, with steps of about one month (horizon / round(horizon in
//   months), months of 30 days / 4.345 weeks / 1 month as in core/models/clv.ts) and the
//   annual discount rate converted to the step length. With months as the unit and a whole
//   number of months this is exactly core/models/clv.ts's `clv`.
// * Expected AOV = the Gamma-Gamma conditional mean; customers whose mean repeat spend is not
//   positive are left out of the fit and scored with their spend taken as 0.
// * Identical (x, tx, T) histories are scored once: the model only sees the pattern.
import { Float64, Int32, makeVector, Table, tableToIPC } from 'apache-arrow';
import {
  conditionalExpectedPurchases,
  expectedPurchasesIfAlive,
  expectedPurchases,
  fitBgNbd,
  ModelInputError,
  type BgNbdColumns,
  pAlive,
  type BgNbdFit,
  type BgNbdParams,
} from '../../core/models/bgnbd';
import { fitGammaGamma, spendFrequencyCorrelation, type GammaGammaFit } from '../../core/models/gammagamma';
import { UNITS_PER_MONTH, type TimeUnit } from '../../core/models/clv';
import { MinimizeCancelled } from '../../core/models/optimize';
import type { ClvOptions } from '../../core/clv-options';
import { clvBoundsSql, clvDaysCte, createClvSummaryTableSql, purchaseDaysSql, UNIT_DAYS, type ClvUnit } from '../../core/sql/clv-summary';
import { customerClvSql, dbl } from '../../core/sql/clv-scores';
import { atLeast, atMost } from '../../core/sql/clamp';
import { ident, num } from '../../core/sql/ident';
import { valuesTableParts } from '../../core/sql/values';
import { CancelledError, EngineError } from '../database';
import type { AnalysisContext } from './context';
import { markClvTableChanged } from './clv-table';
import { numberColumn } from '../arrow-columns';

export const CUSTOMER_CLV_TABLE = 'customer_clv';
const SUMMARY_TABLE = 'clv_summary';
/** Per distinct (x, T): the purchases expected of a customer who is alive (see clv-scores.ts). */
const IF_ALIVE_TABLE = 'clv_expected_if_alive';
/** Purchase days of the clean data, computed once per run (summary and tracking read it). */
const DAYS_TABLE = 'clv_days';
/** Frequencies 0..7 and "7 or more", as in Fader, Hardie & Lee (2005), figure 3. */
const MAX_FREQUENCY_BUCKET = 7;
/** |correlation(x, mx)| above this gets a warning: Gamma-Gamma assumes spend independent of frequency. */
const CORRELATION_WARNING = 0.3;
const AT_RISK_P_ALIVE = 0.5;
const AT_RISK_ROWS = 20;
const MAX_TRACKING_POINTS = 260;
const HEATMAP_RECENCY_BINS = 20;
const HEATMAP_MAX_FREQUENCY = 30;

export interface ClvMessage {
  key: string;
  params?: Record<string, string | number>;
}

export interface ClvResult {
  unit: ClvUnit;
  horizon: number;
  discountRate: number;
  /** Epoch ms (UTC days). */
  dataStart: number;
  dataEnd: number;
  calibrationEnd: number;
  holdoutEnd: number | null;
  /** Holdout length in the unit (0 = no holdout). */
  holdoutLength: number;
  customers: number;
  /** Distinct (x, tx, T) histories the model was fitted on and scored. */
  patterns: number;
  /** Distinct (x, T): the rows of the expectations table customer_clv joins (and of the script's values). */
  frequencyAges: number;
  bgnbd: Pick<BgNbdFit, 'r' | 'alpha' | 'a' | 'b' | 'logLik' | 'converged' | 'iterations' | 'message' | 'standardErrors'>;
  gammaGamma: Pick<GammaGammaFit, 'p' | 'q' | 'gamma' | 'logLik' | 'converged' | 'iterations' | 'message' | 'standardErrors' | 'customers' | 'excluded'> | null;
  spendCorrelation: number | null;
  /** Warnings and notes to show next to the results (message keys of the clv module). */
  messages: ClvMessage[];
  /** Mean holdout repeat purchases by calibration frequency (last bucket = 7+); null without a holdout. */
  holdoutByFrequency: { frequency: number; customers: number; actual: number; predicted: number }[] | null;
  /** Repeat transactions of all customers, actual vs model, every `stepDays` days from dataStart. */
  tracking: {
    stepDays: number;
    /** Epoch ms of each period's last day. */
    ends: number[];
    actual: number[];
    expected: number[];
    actualCumulative: number[];
    expectedCumulative: number[];
  };
  /** Frequency × recency matrices for a customer of age T (the oldest in the data). */
  heatmap: { T: number; frequencies: number[]; recencies: number[]; expected: number[][]; pAlive: number[][] };
  totals: { expectedPurchases: number; clv: number | null; meanPAlive: number };
  atRisk: { customer_id: string; x: number; tx: number; T: number; total: number; p_alive: number; clv: number | null }[];
  timingsMs: { summary: number; fitBgNbd: number; fitGammaGamma: number; scoring: number; validation: number; total: number };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const DAY_MS = 86_400_000;

function clvTimeUnit(unit: ClvUnit): TimeUnit {
  return unit === 'days' ? 'day' : unit === 'weeks' ? 'week' : 'month';
}

/** Validated settings; a bad value gets a message naming the setting. */
function checkOptions(o: ClvOptions): void {
  const bad = (setting: string, value: unknown) =>
    new EngineError('clv.error.setting', `Lifetime value setting "${setting}" is not valid: ${String(value)}`, undefined, 'input');
  if (!(o.unit in UNIT_DAYS)) throw bad('unit', o.unit);
  if (!(Number.isFinite(o.horizon) && o.horizon > 0 && o.horizon <= 100_000)) throw bad('horizon', o.horizon);
  if (!(Number.isFinite(o.discountRate) && o.discountRate > -1 && o.discountRate < 10)) throw bad('discountRate', o.discountRate);
  if (!(Number.isFinite(o.penalizer) && o.penalizer >= 0)) throw bad('penalizer', o.penalizer);
  for (const [k, v] of [['calibrationEnd', o.calibrationEnd], ['holdoutEnd', o.holdoutEnd]] as const) {
    if (v !== null && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw bad(k, v);
  }
  if (o.calibrationEnd && o.holdoutEnd && o.holdoutEnd <= o.calibrationEnd) {
    throw new EngineError('clv.error.holdoutBeforeCalibration', `The holdout end ${o.holdoutEnd} is not after the calibration end ${o.calibrationEnd}`, undefined, 'input');
  }
}

/** Σ_i ΔE[Y] / (1+d)^i over about-monthly steps (see the file comment), per unit of spend. */
export function discountedPurchases(bg: BgNbdParams, x: number, tx: number, T: number, horizon: number, unit: ClvUnit, annualRate: number): number {
  return pAlive(bg, x, tx, T) * discountedPurchasesIfAlive(bg, x, T, horizon, unit, annualRate);
}

/** discountedPurchases without the P(alive) factor: it depends on (x, T) only, not on tx. */
function discountedPurchasesIfAlive(bg: BgNbdParams, x: number, T: number, horizon: number, unit: ClvUnit, annualRate: number): number {
  const perMonth = UNITS_PER_MONTH[clvTimeUnit(unit)];
  const steps = Math.max(1, Math.round(horizon / perMonth));
  const stepLength = horizon / steps;
  const rate = Math.pow(1 + annualRate, stepLength / (12 * perMonth)) - 1;
  let total = 0;
  let prev = 0;
  for (let i = 1; i <= steps; i++) {
    const cum = expectedPurchasesIfAlive(bg, i * stepLength, x, T);
    total += (cum - prev) / Math.pow(1 + rate, i);
    prev = cum;
  }
  return total;
}

export async function clv(ctx: AnalysisContext, params: void): Promise<ClvResult> {
  try {
    return await fitAndScore(ctx, params);
  } finally {
    await ctx.db.exec(`DROP TABLE IF EXISTS ${ident(DAYS_TABLE)}`).catch(() => undefined);
  }
}

async function fitAndScore(ctx: AnalysisContext, _params: void): Promise<ClvResult> {
  const t0 = performance.now();
  const o = ctx.config.clv;
  checkOptions(o);
  const { db } = ctx;
  const u = UNIT_DAYS[o.unit];
  const spec = { unit: o.unit, calibrationEnd: o.calibrationEnd, holdoutEnd: o.holdoutEnd };
  const checkpoint = async (fraction: number, label: string) => {
    ctx.progress(fraction, label);
    // Let a Cancel message reach the worker between the synchronous steps.
    await yieldToEventLoop();
    if (ctx.isCancelled()) throw new CancelledError();
  };
  const shouldStop = () => ctx.isCancelled();

  // An old table would be joined into exports as if it belonged to this data: drop it first.
  await db.exec(`DROP TABLE IF EXISTS ${ident(CUSTOMER_CLV_TABLE)}`);
  markClvTableChanged(db);
  await checkpoint(0, 'clv.progress.summary');
  await db.exec(`CREATE OR REPLACE TABLE ${ident(DAYS_TABLE)} AS ${purchaseDaysSql()}`);
  const [bounds] = await db.rows<{ data_start: number | null; data_end: number | null; cal_end: number | null; holdout_end: number | null }>(
    clvBoundsSql(spec, DAYS_TABLE),
  );
  if (!bounds || bounds.data_start === null || bounds.data_end === null || bounds.cal_end === null) {
    throw new EngineError('clv.error.noData', 'There are no purchases in the clean data', undefined, 'input');
  }
  if (bounds.cal_end < bounds.data_start) {
    throw new EngineError('clv.error.calibrationBeforeData', `The calibration end ${o.calibrationEnd} is before the first purchase`, undefined, 'input');
  }
  await db.exec(createClvSummaryTableSql(SUMMARY_TABLE, spec, DAYS_TABLE));
  const holdoutDays = bounds.holdout_end !== null && bounds.holdout_end > bounds.cal_end ? Math.round((bounds.holdout_end - bounds.cal_end) / DAY_MS) : 0;
  const holdoutLength = holdoutDays / u;
  // Columns, not an object per history: ~410k histories at 5M transactions. In the order the
  // model merges identical histories in (x, T, tx): it then only checks the order (sortRows).
  const patterns = await columns(
    db,
    `SELECT x, tx_days, "T_days", CAST(count(*) AS INTEGER) AS n FROM ${ident(SUMMARY_TABLE)} GROUP BY ALL ORDER BY x, "T_days", tx_days`,
    ['x', 'tx_days', 'T_days', 'n'],
  );
  const n = patterns.n.length;
  let customers = 0;
  let newCustomers = 0;
  for (let i = 0; i < n; i++) {
    customers += patterns.n[i];
    if (patterns.T_days[i] === 0) newCustomers += patterns.n[i];
  }
  const tSummary = performance.now();

  await checkpoint(0.1, 'clv.progress.fitBgNbd');
  const messages: ClvMessage[] = [];
  if (newCustomers === customers) {
    throw new EngineError('clv.error.onlyNewCustomers', 'Every customer first bought on the calibration end day', undefined, 'input');
  }
  if (newCustomers > 0) messages.push({ key: 'clv.msg.newCustomers', params: { n: newCustomers } });
  let bgFit: BgNbdFit;
  try {
    bgFit = fitBgNbd(fittedHistories(patterns, u), { penalizer: o.penalizer, shouldStop });
  } catch (e) {
    throw modelError(e);
  }
  const tBg = performance.now();
  const result: ClvResult = {
    unit: o.unit,
    horizon: o.horizon,
    discountRate: o.discountRate,
    dataStart: bounds.data_start,
    dataEnd: bounds.data_end,
    calibrationEnd: bounds.cal_end,
    holdoutEnd: holdoutDays > 0 ? bounds.holdout_end : null,
    holdoutLength,
    customers,
    patterns: n,
    frequencyAges: 0,
    bgnbd: pick(bgFit, ['r', 'alpha', 'a', 'b', 'logLik', 'converged', 'iterations', 'message', 'standardErrors']),
    gammaGamma: null,
    spendCorrelation: null,
    messages,
    holdoutByFrequency: null,
    tracking: { stepDays: 7, ends: [], actual: [], expected: [], actualCumulative: [], expectedCumulative: [] },
    heatmap: { T: 0, frequencies: [], recencies: [], expected: [], pAlive: [] },
    totals: { expectedPurchases: 0, clv: null, meanPAlive: 0 },
    atRisk: [],
    timingsMs: { summary: tSummary - t0, fitBgNbd: tBg - tSummary, fitGammaGamma: 0, scoring: 0, validation: 0, total: 0 },
  };
  if (!bgFit.converged) {
    messages.push({ key: 'clv.msg.bgNotConverged', params: { detail: bgFit.message } });
    result.timingsMs.total = performance.now() - t0;
    return result;
  }
  const bg: BgNbdParams = { r: bgFit.r, alpha: bgFit.alpha, a: bgFit.a, b: bgFit.b };

  await checkpoint(0.3, 'clv.progress.fitGammaGamma');
  // Sorted as the model merges them (DuckDB sorts 200k rows faster than a JS comparator).
  const spend = await columns(db, `SELECT x, mx, CAST(count(*) AS INTEGER) AS n FROM ${ident(SUMMARY_TABLE)} WHERE x > 0 GROUP BY ALL ORDER BY x, mx`, ['x', 'mx', 'n']);
  let gg: GammaGammaFit | null = null;
  if (spend.n.length === 0) {
    messages.push({ key: 'clv.msg.noRepeatBuyers' });
  } else {
    const data = { x: spend.x, mx: spend.mx, weight: spend.n };
    try {
      gg = fitGammaGamma(data, { penalizer: o.penalizer, shouldStop });
    } catch (e) {
      throw modelError(e);
    }
    result.gammaGamma = pick(gg, ['p', 'q', 'gamma', 'logLik', 'converged', 'iterations', 'message', 'standardErrors', 'customers', 'excluded']);
    if (gg.excluded > 0) messages.push({ key: 'clv.msg.ggExcluded', params: { n: gg.excluded } });
    if (!gg.converged) messages.push({ key: 'clv.msg.ggNotConverged', params: { detail: gg.message } });
    const corr = spendFrequencyCorrelation(data);
    result.spendCorrelation = Number.isFinite(corr) ? corr : null;
    if (Math.abs(corr) > CORRELATION_WARNING) messages.push({ key: 'clv.msg.correlated', params: { r: corr.toFixed(2) } });
  }
  const ggOk = gg !== null && gg.converged;
  const tGg = performance.now();

  // The expected purchases if alive depend on (x, T) only: computed once per distinct (x, T)
  // (13 ₂F₁ evaluations each), neighbours in the histories' order (x, T, tx). P(alive) is SQL's
  // (clv-scores.ts); here it only weights the holdout predictions.
  await checkpoint(0.4, 'clv.progress.scoring');
  const ifAlive = { x: new Int32Array(n), T_days: new Int32Array(n), expected: new Float64Array(n), discounted: new Float64Array(n) };
  let m = 0;
  let ifAliveHoldout = 0;
  const predSum = new Float64Array(MAX_FREQUENCY_BUCKET + 1);
  const predCount = new Float64Array(MAX_FREQUENCY_BUCKET + 1);
  const CHUNK = 2000;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % CHUNK === 0) await checkpoint(0.4 + (0.4 * i) / n, 'clv.progress.scoring');
    const x = patterns.x[i];
    const T = patterns.T_days[i] / u;
    if (m === 0 || ifAlive.x[m - 1] !== x || ifAlive.T_days[m - 1] !== patterns.T_days[i]) {
      // A pair seen before would be a second row for it: customer_clv would count its customers twice.
      if (m > 0 && (x < ifAlive.x[m - 1] || (x === ifAlive.x[m - 1] && patterns.T_days[i] < ifAlive.T_days[m - 1]))) {
        throw new Error('The purchase histories must arrive sorted by x, then T');
      }
      ifAlive.x[m] = x;
      ifAlive.T_days[m] = patterns.T_days[i];
      ifAlive.expected[m] = expectedPurchasesIfAlive(bg, o.horizon, x, T);
      ifAlive.discounted[m] = discountedPurchasesIfAlive(bg, x, T, o.horizon, o.unit, o.discountRate);
      ifAliveHoldout = holdoutLength > 0 ? expectedPurchasesIfAlive(bg, holdoutLength, x, T) : 0;
      m++;
    }
    if (holdoutLength > 0) {
      const f = Math.min(x, MAX_FREQUENCY_BUCKET);
      predSum[f] += pAlive(bg, x, patterns.tx_days[i] / u, T) * ifAliveHoldout * patterns.n[i];
      predCount[f] += patterns.n[i];
    }
  }
  result.frequencyAges = m;
  const ifAliveColumns = [
    { name: 'x', type: 'INTEGER', values: ifAlive.x.subarray(0, m) },
    { name: 'T_days', type: 'INTEGER', values: ifAlive.T_days.subarray(0, m) },
    { name: 'expected', type: 'DOUBLE', values: ifAlive.expected.subarray(0, m) },
    { name: 'discounted', type: 'DOUBLE', values: ifAlive.discounted.subarray(0, m) },
  ] as const;
  const ifAliveTable = new Table({
    x: makeVector({ type: new Int32(), data: ifAliveColumns[0].values }),
    T_days: makeVector({ type: new Int32(), data: ifAliveColumns[1].values }),
    expected: makeVector({ type: new Float64(), data: ifAliveColumns[2].values }),
    discounted: makeVector({ type: new Float64(), data: ifAliveColumns[3].values }),
  });
  await db.exec(`DROP TABLE IF EXISTS ${ident(IF_ALIVE_TABLE)}`);
  db.insertArrowIPC(IF_ALIVE_TABLE, tableToIPC(ifAliveTable, 'stream'), true);
  // The DuckDB script makes the same table from its values: they come from the fitted model in
  // TypeScript (₂F₁ and all), which the script cannot recompute.
  db.recordInsert((shownRows) => valuesTableParts(IF_ALIVE_TABLE, ifAliveColumns, shownRows));
  const aov = ggOk
    ? `${dbl(gg!.p)} * (${dbl(gg!.gamma)} + s.x * ${atLeast('s.mx', 0)}) / (${dbl(gg!.p)} * s.x + ${dbl(gg!.q)} - 1)`
    : 'CAST(NULL AS DOUBLE)';
  await db.exec(customerClvSql({ table: CUSTOMER_CLV_TABLE, summary: SUMMARY_TABLE, ifAlive: IF_ALIVE_TABLE, bg, aov }));
  markClvTableChanged(db);
  await db.exec(`DROP TABLE ${ident(IF_ALIVE_TABLE)}`);
  const [totals] = await db.rows<{ expected: number; clv: number | null; p_alive: number }>(
    `SELECT CAST(sum(expected_purchases) AS DOUBLE) AS expected, CAST(sum(clv) AS DOUBLE) AS clv, CAST(avg(p_alive) AS DOUBLE) AS p_alive FROM ${ident(CUSTOMER_CLV_TABLE)}`,
  );
  result.totals = { expectedPurchases: totals.expected, clv: totals.clv, meanPAlive: totals.p_alive };
  result.atRisk = await db.rows(
    `SELECT s.customer_id, s.x, s.tx, s."T", s.total, c.p_alive, c.clv
FROM ${ident(SUMMARY_TABLE)} s JOIN ${ident(CUSTOMER_CLV_TABLE)} c ON c.customer_id = s.customer_id
WHERE c.p_alive < ${num(AT_RISK_P_ALIVE)} ORDER BY s.total DESC, s.customer_id LIMIT ${AT_RISK_ROWS}`,
  );
  const tScore = performance.now();

  await checkpoint(0.8, 'clv.progress.validation');
  if (holdoutLength > 0) {
    const actual = await db.rows<{ f: number; customers: number; actual: number }>(
      `SELECT ${atMost('x', MAX_FREQUENCY_BUCKET)} AS f, CAST(count(*) AS INTEGER) AS customers, CAST(avg(x_holdout) AS DOUBLE) AS actual
FROM ${ident(SUMMARY_TABLE)} GROUP BY 1 ORDER BY 1`,
    );
    result.holdoutByFrequency = actual.map((a) => ({ frequency: a.f, customers: a.customers, actual: a.actual, predicted: predSum[a.f] / predCount[a.f] }));
  }
  result.tracking = await tracking(ctx, spec, bg, u, bounds.data_start, holdoutDays > 0 ? bounds.holdout_end! : bounds.cal_end);
  result.heatmap = heatmap(bg, patterns, u, o.horizon);
  result.timingsMs.fitGammaGamma = tGg - tBg;
  result.timingsMs.scoring = tScore - tGg;
  result.timingsMs.validation = performance.now() - tScore;
  result.timingsMs.total = performance.now() - t0;
  ctx.progress(1, 'clv.progress.validation');
  return result;
}

/**
 * Repeat transactions per period, actual vs model (lifetimes' expected_cumulative_transactions):
 * the model's count at the end of a period is Σ over first-purchase days of
 * (customers born that day) · E[X(period end − birth)].
 */
async function tracking(
  ctx: AnalysisContext,
  spec: { unit: ClvUnit; calibrationEnd: string | null; holdoutEnd: string | null },
  bg: BgNbdParams,
  unitDays: number,
  start: number,
  end: number,
): Promise<ClvResult['tracking']> {
  const totalDays = Math.round((end - start) / DAY_MS) + 1;
  const stepDays = 7 * Math.max(1, Math.ceil(totalDays / 7 / MAX_TRACKING_POINTS));
  const periods = Math.ceil(totalDays / stepDays);
  const endDay = `DATE '${new Date(end).toISOString().slice(0, 10)}'`;
  const rows = await ctx.db.rows<{ offset: number; is_repeat: boolean; n: number }>(
    // Per day: purchase days, and first purchase days (births); the repeats are the difference.
    // Two aggregates, where numbering every customer's days would sort them all.
    `WITH ${clvDaysCte(spec, DAYS_TABLE)},
per_day AS (
  SELECT day, count(*) AS n FROM days WHERE day <= ${endDay} GROUP BY day
),
births AS (
  SELECT first_day AS day, count(*) AS n
  FROM (SELECT min(day) AS first_day FROM days GROUP BY customer_id)
  WHERE first_day <= ${endDay}
  GROUP BY first_day
),
counts AS (
  SELECT p.day, false AS is_repeat, coalesce(f.n, 0) AS n FROM per_day p LEFT JOIN births f ON f.day = p.day
  UNION ALL
  SELECT p.day, true, p.n - coalesce(f.n, 0) FROM per_day p LEFT JOIN births f ON f.day = p.day
)
SELECT CAST(date_diff('day', b.data_start, c.day) AS INTEGER) AS "offset", c.is_repeat, CAST(c.n AS INTEGER) AS n
FROM counts c, bounds b WHERE c.n > 0`,
  );
  const actual = new Array<number>(periods).fill(0);
  const births: [number, number][] = [];
  for (const r of rows) {
    if (r.is_repeat) actual[Math.min(periods - 1, Math.floor(r.offset / stepDays))] += r.n;
    else births.push([r.offset, r.n]);
  }
  // E[X(t)] only depends on the whole number of days since birth: compute it once per day.
  const byAge = new Float64Array(totalDays);
  for (let d = 1; d < totalDays; d++) byAge[d] = expectedPurchases(bg, d / unitDays);
  await yieldToEventLoop();
  if (ctx.isCancelled()) throw new CancelledError();
  const expectedCumulative = new Array<number>(periods).fill(0);
  for (let k = 0; k < periods; k++) {
    const lastDay = Math.min(totalDays - 1, (k + 1) * stepDays - 1);
    let e = 0;
    for (const [b, count] of births) if (b < lastDay) e += count * byAge[lastDay - b];
    expectedCumulative[k] = e;
  }
  const actualCumulative: number[] = [];
  let acc = 0;
  for (const a of actual) actualCumulative.push((acc += a));
  return {
    stepDays,
    ends: Array.from({ length: periods }, (_, k) => start + Math.min(totalDays - 1, (k + 1) * stepDays - 1) * DAY_MS),
    actual,
    expected: expectedCumulative.map((c, k) => c - (k > 0 ? expectedCumulative[k - 1] : 0)),
    actualCumulative,
    expectedCumulative,
  };
}

/** lifetimes' plot_frequency_recency_matrix / plot_probability_alive_matrix for the oldest customer's T. */
function heatmap(bg: BgNbdParams, patterns: { x: ArrayLike<number>; T_days: ArrayLike<number> }, unitDays: number, horizon: number): ClvResult['heatmap'] {
  let maxX = 0;
  let maxT = 0;
  for (let i = 0; i < patterns.x.length; i++) {
    if (patterns.x[i] > maxX) maxX = patterns.x[i];
    if (patterns.T_days[i] > maxT) maxT = patterns.T_days[i];
  }
  const T = maxT / unitDays;
  const frequencies = Array.from({ length: Math.min(maxX, HEATMAP_MAX_FREQUENCY) + 1 }, (_, i) => i);
  const recencies = Array.from({ length: HEATMAP_RECENCY_BINS + 1 }, (_, j) => (T * j) / HEATMAP_RECENCY_BINS);
  const expected = frequencies.map((x) => recencies.map((r) => (T > 0 ? conditionalExpectedPurchases(bg, horizon, x, x === 0 ? 0 : r, T) : NaN)));
  const alive = frequencies.map((x) => recencies.map((r) => (T > 0 ? pAlive(bg, x, x === 0 ? 0 : r, T) : NaN)));
  return { T, frequencies, recencies, expected, pAlive: alive };
}

/** The named number columns of a query's result (see numberColumn). */
async function columns<K extends string>(db: AnalysisContext['db'], sql: string, names: readonly K[]): Promise<Record<K, ArrayLike<number>>> {
  const table = await db.query(sql);
  const out = {} as Record<K, ArrayLike<number>>;
  for (const name of names) out[name] = numberColumn(table.getChild(name)!);
  return out;
}

/**
 * The histories the BG/NBD model is fitted on, in the unit: customers first seen on the
 * calibration end day (T = 0) carry no information (their likelihood is 1 whatever the
 * parameters) and the model needs T > 0: they are scored, not fitted.
 */
function fittedHistories(p: Record<'x' | 'tx_days' | 'T_days' | 'n', ArrayLike<number>>, unitDays: number): BgNbdColumns {
  const keep: number[] = [];
  for (let i = 0; i < p.x.length; i++) if (p.T_days[i] > 0) keep.push(i);
  const x = new Float64Array(keep.length);
  const tx = new Float64Array(keep.length);
  const T = new Float64Array(keep.length);
  const weight = new Float64Array(keep.length);
  keep.forEach((i, k) => {
    x[k] = p.x[i];
    tx[k] = p.tx_days[i] / unitDays;
    T[k] = p.T_days[i] / unitDays;
    weight[k] = p.n[i];
  });
  return { x, tx, T, weight };
}

function pick<T, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

function modelError(e: unknown): Error {
  if (e instanceof MinimizeCancelled) return new CancelledError();
  if (e instanceof ModelInputError) return new EngineError('clv.error.model', e.message, undefined, 'input');
  return e instanceof Error ? e : new Error(String(e));
}
