// BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting Your Customers
// the Easy Way", Marketing Science 24(2)), fitted by maximum likelihood.
//
// Data per customer: x = repeat purchases, tx = time of the last repeat purchase
// (0 when x = 0), T = time from the first purchase to the end of the calibration period,
// all in one time unit (days or weeks; the parameters r, a, b do not depend on it, alpha
// is in that unit).
//
// Conventions, chosen to match the reference implementations:
// * the log-likelihood uses log-sum-exp for the x > 0 term (Fader & Hardie, note 027,
//   "Overcoming the BG/NBD model's #NUM! error problem");
// * the optimiser works on log-parameters after rescaling time so that max(T) = 10, and the
//   objective is the mean negative log-likelihood plus penalizer · Σ params² on those scaled
//   parameters (r, alpha·scale, a, b) — exactly lifetimes' BetaGeoFitter (penalizer_coef);
// * standard errors come from the inverse Hessian, in the natural parameters, of the
//   objective actually minimised times the number of customers (the observed information
//   when penalizer = 0, as lifetimes reports them).
//
// Bad input (empty, NaN, negative, non-integer x, tx > T, x > 0 without recency…) throws
// ModelInputError with the first offending row. Valid data that cannot identify the model
// (e.g. nobody made a repeat purchase) returns converged = false with NaN parameters and a
// message. A fit that stalls, runs to a degenerate boundary or ends where the Hessian is not
// positive definite also returns converged = false (and standardErrors = null); its
// parameters are then the optimiser's last point, for diagnosis only — do not use them.

import { type Columns, sortRows, toColumns } from './columns';
import { betaln, digamma, expit, hyp2f1, lgamma } from './special';
import { invertSpd, minimize, numericHessian } from './optimize';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdCustomer {
  /** Repeat purchases in the calibration period (integer ≥ 0). */
  x: number;
  /** Time of the last repeat purchase since the first purchase (0 when x = 0). */
  tx: number;
  /** Time from the first purchase to the end of the calibration period. */
  T: number;
  /** Number of customers with this (x, tx, T); default 1. */
  weight?: number;
}

/** The same data as columns of equal length (see columns.ts). */
export type BgNbdColumns = Columns<'x' | 'tx' | 'T'>;

export type BgNbdData = readonly BgNbdCustomer[] | BgNbdColumns;

export interface BgNbdFitOptions {
  /** lifetimes' penalizer_coef: adds penalizer · Σ params² (time-scaled alpha) to the mean NLL. */
  penalizer?: number;
  /** Starting values (natural units); default r = alpha·scale = a = b = 1. */
  initial?: Partial<BgNbdParams>;
  maxIter?: number;
  /** Return true to cancel; the fit then throws MinimizeCancelled. */
  shouldStop?: (iteration: number, objective: number) => boolean;
}

export interface BgNbdFit extends BgNbdParams {
  /** Log-likelihood of the data at the estimates (without the penalty). */
  logLik: number;
  converged: boolean;
  iterations: number;
  standardErrors: BgNbdParams | null;
  message: string;
  /** Customers used (sum of weights). */
  customers: number;
  /** Distinct (x, tx, T) patterns the likelihood was evaluated on. */
  patterns: number;
}

export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelInputError';
  }
}

const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Compressed data: distinct patterns, grouped so that per-x quantities are computed once. */
interface Patterns {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
  /** Index into the distinct-x tables for each pattern. */
  xi: Int32Array;
  distinctX: Float64Array;
  /** Sum of weights per distinct x. */
  wX: Float64Array;
  /**
   * Distinct T and tx values and each pattern's index into them, when there are few: summaries
   * built from dates have a few thousand of each at most, so ln(α + T) and ln(α + tx) are computed
   * once per value instead of once per pattern. Null for continuous times.
   */
  byT: DistinctIndex | null;
  byTx: DistinctIndex | null;
  totalWeight: number;
  /** Patterns are sorted by x: those before this index have x = 0, the rest x > 0. */
  firstRepeat: number;
}

interface DistinctIndex {
  distinct: Float64Array;
  index: Int32Array;
}

/** The distinct values of a column and each row's index into them; null when most values differ. */
function distinctIndex(values: Float64Array): DistinctIndex | null {
  const at = new Map<number, number>();
  const index = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let k = at.get(values[i]);
    if (k === undefined) {
      if (at.size * 4 >= values.length) return null;
      k = at.size;
      at.set(values[i], k);
    }
    index[i] = k;
  }
  return { distinct: Float64Array.from(at.keys()), index };
}

/** A table scaled like the times it indexes. */
function scaled(t: DistinctIndex | null, scale: number): DistinctIndex | null {
  return t && { distinct: t.distinct.map((v) => v * scale), index: t.index };
}

function describeRow(i: number, row: BgNbdCustomer): string {
  return `row ${i + 1} (x=${row.x}, tx=${row.tx}, T=${row.T}${row.weight === undefined ? '' : `, weight=${row.weight}`})`;
}

/** Validates rows and merges identical (x, tx, T) into weighted patterns. */
export function compressBgNbdData(data: BgNbdData): Patterns {
  const c = data && typeof data === 'object' ? toColumns(data, ['x', 'tx', 'T']) : null;
  if (!c || !c.x || c.x.length === 0) {
    throw new ModelInputError('BG/NBD: no customers to fit (the summary table is empty).');
  }
  const len = c.x.length;
  const X = new Float64Array(len);
  const TX = new Float64Array(len);
  const TT = new Float64Array(len);
  const WW = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const x = c.x[i];
    const tx = c.tx[i];
    const T = c.T[i];
    const w = c.weight ? c.weight[i] : 1;
    let problem: string | null = null;
    if (!Number.isFinite(x) || !Number.isFinite(tx) || !Number.isFinite(T) || !Number.isFinite(w))
      problem = 'has a missing or non-finite value';
    else if (x < 0 || !Number.isInteger(x)) problem = 'has a frequency x that is not a whole number ≥ 0';
    else if (tx < 0 || T <= 0) problem = 'has a negative recency or a non-positive age T';
    else if (tx > T * (1 + 1e-12)) problem = 'has recency tx greater than age T';
    else if (x === 0 && tx !== 0) problem = 'has recency tx > 0 but no repeat purchases';
    else if (w < 0) problem = 'has a negative weight';
    if (problem) {
      const weight = Array.isArray(data) ? (data as readonly BgNbdCustomer[])[i].weight : c.weight?.[i];
      throw new ModelInputError(
        `BG/NBD: ${describeRow(i, { x, tx, T, weight })} ${problem}. Check the customer summary (frequency, recency, T).`,
      );
    }
    X[i] = x;
    TX[i] = Math.min(tx, T);
    TT[i] = T;
    WW[i] = w;
  }
  // Merge identical (x, tx, T): sort row indices, then sum the weights of equal neighbours.
  const order = new Uint32Array(len);
  for (let i = 0; i < len; i++) order[i] = i;
  sortRows(order, [X, TT, TX]);
  // Merged in place into arrays of the input's length (the app's 410k histories are already
  // distinct: no JavaScript arrays grown value by value, no second copy).
  let xs = new Float64Array(len);
  let txs = new Float64Array(len);
  let Ts = new Float64Array(len);
  let ws = new Float64Array(len);
  let n = 0;
  for (let k = 0; k < len; k++) {
    const i = order[k];
    if (WW[i] === 0) continue;
    if (n > 0 && xs[n - 1] === X[i] && Ts[n - 1] === TT[i] && txs[n - 1] === TX[i]) {
      ws[n - 1] += WW[i];
    } else {
      xs[n] = X[i];
      txs[n] = TX[i];
      Ts[n] = TT[i];
      ws[n] = WW[i];
      n++;
    }
  }
  if (n === 0) throw new ModelInputError('BG/NBD: every customer has weight 0.');
  if (n < len) [xs, txs, Ts, ws] = [xs.slice(0, n), txs.slice(0, n), Ts.slice(0, n), ws.slice(0, n)];
  // Sorted by x: the distinct x are where x changes.
  const distinct: number[] = [];
  const xi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (i === 0 || xs[i] !== xs[i - 1]) distinct.push(xs[i]);
    xi[i] = distinct.length - 1;
  }
  const wX = new Float64Array(distinct.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    wX[xi[i]] += ws[i];
    total += ws[i];
  }
  return {
    x: xs,
    tx: txs,
    T: Ts,
    w: ws,
    xi,
    distinctX: Float64Array.from(distinct),
    wX,
    byT: distinctIndex(Ts),
    byTx: distinctIndex(txs),
    totalWeight: total,
    firstRepeat: firstRepeat(xs),
  };
}

/**
 * Weighted log-likelihood Σ w·ln L(r, α, a, b | x, tx, T) and its gradient with respect to
 * (r, α, a, b). Per pattern (FHL 2005 eq. 6, note 027):
 *   ln L = A1 + A2 + ln(e^A3 + δ(x>0) e^A4)
 *   A1 = ln Γ(r+x) − ln Γ(r) + r ln α
 *   A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
 *   A3 = −(r+x) ln(α+T)
 *   A4 = ln a − ln(b+x−1) − (r+x) ln(α+tx)
 */
function logLikelihoodAndGradient(
  d: Patterns,
  r: number,
  alpha: number,
  a: number,
  b: number,
  wantGrad: boolean,
): { ll: number; grad: [number, number, number, number] } {
  const nx = d.distinctX.length;
  // Per distinct x: the terms that depend on x only (A1 without r ln α, A2, ln(b+x−1)).
  const termX = new Float64Array(nx);
  const lnBx1 = new Float64Array(nx);
  let ll = d.totalWeight * r * Math.log(alpha);
  let gr = d.totalWeight * Math.log(alpha);
  let ga = 0;
  let gb = 0;
  const lgr = lgamma(r);
  const lgb = lgamma(b);
  const lgab = lgamma(a + b);
  const psiR = wantGrad ? digamma(r) : 0;
  const psiB = wantGrad ? digamma(b) : 0;
  const psiAB = wantGrad ? digamma(a + b) : 0;
  for (let k = 0; k < nx; k++) {
    const x = d.distinctX[k];
    const w = d.wX[k];
    if (x === 0) {
      termX[k] = 0;
      lnBx1[k] = NaN;
      continue;
    }
    termX[k] = lgamma(r + x) - lgr + lgab + lgamma(b + x) - lgb - lgamma(a + b + x);
    lnBx1[k] = Math.log(b + x - 1);
    ll += w * termX[k];
    if (wantGrad) {
      gr += w * (digamma(r + x) - psiR);
      const psiABx = digamma(a + b + x);
      ga += w * (psiAB - psiABx);
      gb += w * (psiAB + digamma(b + x) - psiB - psiABx);
    }
  }
  const acc = PATTERN_SUMS;
  const lnAlphaT = d.byT && d.byT.distinct.map((T) => Math.log(alpha + T));
  const Ti = d.byT && d.byT.index;
  noRepeatSums(d.w, d.T, lnAlphaT, Ti, r, alpha, wantGrad, d.firstRepeat, acc);
  repeatSums(
    d.x,
    d.w,
    d.T,
    d.tx,
    d.xi,
    lnBx1,
    lnAlphaT,
    Ti,
    d.byTx && d.byTx.distinct.map((tx) => Math.log(alpha + tx)),
    d.byTx && d.byTx.index,
    r,
    alpha,
    a,
    b,
    wantGrad,
    d.firstRepeat,
    acc,
  );
  ll += acc[0];
  gr += acc[1];
  const galpha = (d.totalWeight * r) / alpha + acc[2];
  ga += acc[3];
  gb += acc[4];
  return { ll, grad: [gr, galpha, ga, gb] };
}

/** Scratch for the pattern sums: Σ over patterns of ln L, ∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b (A3/A4 terms). */
const PATTERN_SUMS = new Float64Array(5);

// The per-pattern part of logLikelihoodAndGradient (A3, A4 and the log-sum-exp): loops over typed
// arrays in functions of their own that return nothing. Two things made V8 run them unoptimised,
// a heap number per operation, measured at 5M rows (410k patterns): inside the function that ends
// by building an object, the loop's on-stack compiled code was thrown away at the return at every
// call (2.2 GB of garbage per fit, Node); and in one loop over all patterns, sorted by x, the code
// compiled while it went through the x = 0 patterns had no feedback for the x > 0 branch and was
// thrown away when it got there, again at every call (97 deoptimisations and 1.4 GB in Chromium's
// engine worker, --trace-deopt); code after the loop (storing the sums) had the same effect. So:
// one function per kind of pattern, each loop the same for every pattern it sees, the sums kept
// in `out` as they accumulate, nothing after the loop.

/** The index of the first pattern with x > 0 in patterns sorted by x (their count when none has). */
function firstRepeat(xs: Float64Array): number {
  let k = 0;
  while (k < xs.length && xs[k] === 0) k++;
  return k;
}

/** Patterns [0, to), all with x = 0: ln L = A3 = −r ln(α + T). Adds ln L, ∂/∂r, ∂/∂α to out. */
function noRepeatSums(
  W: Float64Array,
  T: Float64Array,
  lnAlphaT: Float64Array | null,
  Ti: Int32Array | null,
  r: number,
  alpha: number,
  wantGrad: boolean,
  to: number,
  out: Float64Array,
): void {
  out.fill(0);
  for (let i = 0; i < to; i++) {
    const w = W[i];
    const aT = alpha + T[i];
    const lnAT = lnAlphaT !== null && Ti !== null ? lnAlphaT[Ti[i]] : Math.log(aT);
    out[0] -= w * r * lnAT;
    if (wantGrad) {
      out[1] -= w * lnAT;
      out[2] -= (w * r) / aT;
    }
  }
}

/**
 * Patterns [from, n), all with x > 0: ln L = ln(e^A3 + e^A4). Adds ln L and its gradient to out.
 * lnAlphaT / lnAlphaTx: ln(α + T) per distinct T (tx) with each pattern's index, or null.
 */
function repeatSums(
  X: Float64Array,
  W: Float64Array,
  T: Float64Array,
  TX: Float64Array,
  XI: Int32Array,
  lnBx1: Float64Array,
  lnAlphaT: Float64Array | null,
  Ti: Int32Array | null,
  lnAlphaTx: Float64Array | null,
  txi: Int32Array | null,
  r: number,
  alpha: number,
  a: number,
  b: number,
  wantGrad: boolean,
  from: number,
  out: Float64Array,
): void {
  const lnA = Math.log(a);
  const n = X.length;
  for (let i = from; i < n; i++) {
    const x = X[i];
    const w = W[i];
    const rx = r + x;
    const aT = alpha + T[i];
    const lnAT = lnAlphaT !== null && Ti !== null ? lnAlphaT[Ti[i]] : Math.log(aT);
    const A3 = -rx * lnAT;
    const atx = alpha + TX[i];
    const lnAtx = lnAlphaTx !== null && txi !== null ? lnAlphaTx[txi[i]] : Math.log(atx);
    const A4 = lnA - lnBx1[XI[i]] - rx * lnAtx;
    // log-sum-exp, and the posterior weight of the "died at tx" branch
    let lse: number;
    let p4: number;
    if (A3 >= A4) {
      const e = Math.exp(A4 - A3);
      lse = A3 + Math.log1p(e);
      p4 = e / (1 + e);
    } else {
      const e = Math.exp(A3 - A4);
      lse = A4 + Math.log1p(e);
      p4 = 1 / (1 + e);
    }
    out[0] += w * lse;
    if (wantGrad) {
      const p3 = 1 - p4;
      out[1] -= w * (p3 * lnAT + p4 * lnAtx);
      out[2] -= w * rx * (p3 / aT + p4 / atx);
      out[3] += (w * p4) / a;
      out[4] -= (w * p4) / (b + x - 1);
    }
  }
}

/** Log-likelihood of BG/NBD parameters on customer data (no penalty), e.g. to compare fits. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: readonly BgNbdCustomer[]): number {
  const d = compressBgNbdData(data);
  return logLikelihoodAndGradient(d, params.r, params.alpha, params.a, params.b, false).ll;
}

function nanParams(): BgNbdParams {
  return { r: NaN, alpha: NaN, a: NaN, b: NaN };
}

/**
 * Bounds on the time-scaled parameters (max T = 10) beyond which a fit is reported as
 * degenerate: estimates this extreme mean the optimiser ran along a ridge to a boundary
 * (e.g. a → 0, b → ∞ when nobody appears to drop out), not that the data identify them.
 */
const DEGENERATE_LOW = 1e-5;
const DEGENERATE_HIGH = 1e5;

export function fitBgNbd(data: BgNbdData, opts: BgNbdFitOptions = {}): BgNbdFit {
  const penalizer = opts.penalizer ?? 0;
  if (!(penalizer >= 0) || !Number.isFinite(penalizer)) {
    throw new ModelInputError(`BG/NBD: the penalizer must be a finite number ≥ 0 (got ${penalizer}).`);
  }
  const raw = compressBgNbdData(data);
  const customers = raw.totalWeight;
  let repeaters = 0;
  for (let i = 0; i < raw.x.length; i++) if (raw.x[i] > 0) repeaters += raw.w[i];
  const fail = (message: string): BgNbdFit => ({
    ...nanParams(),
    logLik: NaN,
    converged: false,
    iterations: 0,
    standardErrors: null,
    message,
    customers,
    patterns: raw.x.length,
  });
  if (repeaters === 0) {
    return fail(
      'BG/NBD cannot be fitted: no customer made a repeat purchase, so purchase rates and drop-out are not identified. Use a longer calibration period.',
    );
  }

  // Rescale time so that max(T) = 10 (lifetimes does the same): well-conditioned alpha.
  let maxT = 0;
  for (let i = 0; i < raw.T.length; i++) maxT = Math.max(maxT, raw.T[i]);
  const scale = 10 / maxT;
  const d: Patterns = {
    ...raw,
    tx: raw.tx.map((v) => v * scale),
    T: raw.T.map((v) => v * scale),
    byT: scaled(raw.byT, scale),
    byTx: scaled(raw.byTx, scale),
  };
  const W = d.totalWeight;

  // Objective in u = ln(r, α_s, a, b): mean NLL + penalizer Σ p². The gradient costs little
  // on top of the value (same logs), so both are computed together and the last one cached:
  // the line search asks for f and then ∇f at the same point.
  let cacheKey: number[] | null = null;
  let cacheF = NaN;
  let cacheG: number[] = [];
  const evaluate = (p: readonly number[]) => {
    if (cacheKey && cacheKey.every((v, k) => v === p[k])) return;
    const [r, al, a, b] = p;
    const { ll, grad } = logLikelihoodAndGradient(d, r, al, a, b, true);
    cacheKey = p.slice();
    cacheF = -ll / W + penalizer * (r * r + al * al + a * a + b * b);
    cacheG = grad.map((g, k) => -g / W + 2 * penalizer * p[k]);
  };
  const objective = (u: readonly number[]) => {
    evaluate(u.map(Math.exp));
    return cacheF;
  };
  const naturalGrad = (p: readonly number[]) => {
    evaluate(p);
    return cacheG.slice();
  };
  const gradient = (u: readonly number[]) => {
    const p = u.map(Math.exp);
    return naturalGrad(p).map((g, k) => g * p[k]);
  };

  const init = opts.initial ?? {};
  const start = [init.r ?? 1, (init.alpha ?? 1 / scale) * scale, init.a ?? 1, init.b ?? 1];
  if (!start.every((v) => v > 0 && Number.isFinite(v))) {
    throw new ModelInputError('BG/NBD: initial parameters must be finite and > 0.');
  }
  const res = minimize(objective, start.map(Math.log), {
    grad: gradient,
    maxIter: opts.maxIter ?? 500,
    gradTol: 1e-9,
    shouldStop: opts.shouldStop,
  });
  const ps = res.x.map(Math.exp); // scaled natural parameters
  const params: BgNbdParams = { r: ps[0], alpha: ps[1] / scale, a: ps[2], b: ps[3] };
  const llScaled = logLikelihoodAndGradient(d, ps[0], ps[1], ps[2], ps[3], false).ll;
  // With times multiplied by `scale` each customer's density is divided by scale^x
  // (x event times per customer): convert the log-likelihood back to the caller's time unit.
  let sumWx = 0;
  for (let i = 0; i < raw.x.length; i++) sumWx += raw.w[i] * raw.x[i];
  const logLik = llScaled + sumWx * Math.log(scale);

  const problems: string[] = [];
  if (!Number.isFinite(logLik)) problems.push('the log-likelihood is not finite at the estimates');
  PARAM_NAMES.forEach((name, k) => {
    const v = ps[k];
    if (!(v > DEGENERATE_LOW && v < DEGENERATE_HIGH)) {
      problems.push(
        `${name} ran to ${params[name].toExponential(2)} (a boundary: the data do not identify it; try a penalizer such as 0.001–0.1 or more history)`,
      );
    }
  });
  if (!res.converged) problems.push(`the optimiser did not converge (${res.message})`);

  let standardErrors: BgNbdParams | null = null;
  if (problems.length === 0) {
    const H = numericHessian((p) => objective(p.map(Math.log)), ps, { grad: naturalGrad }).map((row) =>
      row.map((v) => v * W),
    );
    const cov = invertSpd(H);
    if (cov) {
      const se = cov.map((row, k) => Math.sqrt(row[k]));
      standardErrors = { r: se[0], alpha: se[1] / scale, a: se[2], b: se[3] };
    } else {
      problems.push(
        'the likelihood is flat or ridge-shaped at the estimates (Hessian not positive definite), so the parameters are not identified; try a penalizer such as 0.001–0.1 or more history',
      );
    }
  }
  const converged = problems.length === 0;
  return {
    ...params,
    logLik,
    converged,
    iterations: res.iterations,
    standardErrors,
    message: converged
      ? `Converged in ${res.iterations} iterations (${raw.x.length} distinct patterns from ${customers} customers).`
      : `BG/NBD fit is not reliable: ${problems.join('; ')}.`,
    customers,
    patterns: raw.x.length,
  };
}

function checkParams(p: BgNbdParams): void {
  if (!(p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0)) {
    throw new ModelInputError('BG/NBD: parameters r, alpha, a, b must all be > 0 (is the fit converged?).');
  }
}

/**
 * (α+T)^… ₂F₁ combination shared by E[X(t)] and the conditional expectation:
 *   (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)
 * (Euler's transformation), which stays finite where the left side overflows for large x.
 */
function discountedHyp(r: number, a: number, b: number, x: number, z: number): number {
  return Math.pow(1 - z, a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
}

/** (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) ₂F₁(…)], with the removable singularity at a = 1 bridged. */
function expectedFactor(r: number, a: number, b: number, x: number, z: number): number {
  if (Math.abs(a - 1) > 1e-6) return expectedFactorAt(r, a, b, x, z);
  const h = 1e-5; // the limit a → 1 exists; average both sides
  return 0.5 * (expectedFactorAt(r, 1 + h, b, x, z) + expectedFactorAt(r, 1 - h, b, x, z));
}

// A function, not a closure made per call: the scoring calls expectedFactor ~13 times per
// distinct (frequency, age), and a closure each time was garbage (see special.ts `hyp`).
function expectedFactorAt(r: number, a: number, b: number, x: number, z: number): number {
  return ((a + b + x - 1) / (a - 1)) * (1 - discountedHyp(r, a, b, x, z));
}

/** E[X(t)]: expected repeat purchases in (0, t] for a new customer (FHL 2005 eq. 9). */
export function expectedPurchases(params: BgNbdParams, t: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new ModelInputError(`BG/NBD: time t must be ≥ 0 (got ${t}).`);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  return expectedFactor(r, a, b, 0, t / (alpha + t));
}

/**
 * P(alive | x, tx, T) (Fader, Hardie & Lee 2008, note 021): 1 when x = 0, since under
 * BG/NBD a customer can only drop out right after a repeat purchase.
 */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return expit(-logOdds);
}

/**
 * E[Y(t) | x, tx, T]: expected repeat purchases in (T, T+t] for a customer with that
 * history (FHL 2005 eq. 10) = P(alive) · (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].
 */
export function conditionalExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  return pAlive(params, x, tx, T) * expectedPurchasesIfAlive(params, t, x, T);
}

/**
 * E[Y(t) | x, T, alive at T]: conditionalExpectedPurchases without the P(alive) factor. It does
 * not depend on tx, so many histories share it (the scoring computes it once per (x, T)).
 */
export function expectedPurchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new ModelInputError(`BG/NBD: time t must be ≥ 0 (got ${t}).`);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  return expectedFactor(r, a, b, x, t / (alpha + T + t));
}

/**
 * P(X(t) = n): probability of exactly n repeat purchases in (0, t] (FHL 2005 eq. 8; lifetimes'
 * probability_of_n_purchases_up_to_time):
 *   B(a, b+n)/B(a, b) · NB(n) + δ(n>0) · B(a+1, b+n−1)/B(a, b) · P(NB ≥ n),
 * NB being the negative binomial pmf Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j.
 * The upper tail P(NB ≥ n) is summed directly when it is small, instead of 1 − Σ_{j<n},
 * so tiny probabilities keep their relative precision.
 */
export function probabilityOfPurchases(params: BgNbdParams, n: number, t: number): number {
  checkParams(params);
  if (!(n >= 0) || !Number.isInteger(n)) throw new ModelInputError(`BG/NBD: n must be a whole number ≥ 0 (got ${n}).`);
  if (!(t >= 0)) throw new ModelInputError(`BG/NBD: time t must be ≥ 0 (got ${t}).`);
  const { r, alpha, a, b } = params;
  if (t === 0) return n === 0 ? 1 : 0;
  const lnP0 = Math.log(alpha / (alpha + t));
  const lnQ = Math.log(t / (alpha + t));
  const q = t / (alpha + t);
  const lnNb = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * lnP0 + j * lnQ;
  const lbab = betaln(a, b);
  const first = Math.exp(betaln(a, b + n) - lbab + lnNb(n));
  if (n === 0) return first;
  // P(NB ≥ n)
  let lower = 0;
  let term = Math.exp(r * lnP0); // j = 0
  for (let j = 0; j < n; j++) {
    lower += term;
    term *= ((r + j) / (j + 1)) * q;
  }
  let tail: number;
  if (lower < 0.5) {
    tail = 1 - lower;
  } else {
    tail = 0;
    let tj = Math.exp(lnNb(n));
    for (let j = n; j < n + 10_000_000; j++) {
      tail += tj;
      const ratio = ((r + j) / (j + 1)) * q;
      tj *= ratio;
      if (ratio < 1 && tj * (ratio / (1 - ratio)) <= 1e-17 * tail) break;
      if (tj === 0) break;
    }
  }
  return first + Math.exp(betaln(a + 1, b + n - 1) - lbab) * tail;
}
