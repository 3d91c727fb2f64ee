// Gamma-Gamma model of spend per transaction (Fader & Hardie, note 025 "The Gamma-Gamma
// Model of Monetary Value"; Fader, Hardie & Lee 2005, JMR 42), fitted by maximum likelihood.
//
// Each repeat buyer has x repeat transactions with mean value mx. Transaction values are
// Gamma(p, ν) and ν ~ Gamma(q, γ) across customers. The likelihood of the observed mean
// given x (note 025 eq. 1a; lifetimes' GammaGammaFitter, unweighted by x) is
//   f(mx | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · x^(px) · mx^(px−1) / (γ + x·mx)^(px+q).
// Customers with x = 0 or mx ≤ 0 carry no information about spend and are excluded
// (counted in `excluded`). The model assumes spend is independent of frequency: check
// `spendFrequencyCorrelation` before trusting CLV.
//
// Like bgnbd.ts: log-parameters, mean NLL + penalizer · (p² + q² + γ²) (lifetimes'
// penalizer_coef), standard errors from the inverse Hessian in natural parameters; invalid
// input throws ModelInputError; unusable fits (optimiser failure, parameters at a boundary,
// Hessian not positive definite, q ≤ 1) return converged = false with a message, and their
// parameters are for diagnosis only.

import { digamma, lgamma } from './special';
import { invertSpd, minimize, numericHessian } from './optimize';
import { ModelInputError } from './bgnbd';
import { type Columns, sortRows, toColumns } from './columns';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaCustomer {
  /** Repeat transactions. */
  x: number;
  /** Mean value of those transactions. */
  mx: number;
  weight?: number;
}

/** The same data as columns of equal length (see columns.ts). */
export type GammaGammaColumns = Columns<'x' | 'mx'>;

export type GammaGammaData = readonly GammaGammaCustomer[] | GammaGammaColumns;

export interface GammaGammaFitOptions {
  penalizer?: number;
  initial?: Partial<GammaGammaParams>;
  maxIter?: number;
  shouldStop?: (iteration: number, objective: number) => boolean;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLik: number;
  converged: boolean;
  iterations: number;
  standardErrors: GammaGammaParams | null;
  /** Customers (sum of weights) left out because x = 0 or mx ≤ 0. */
  excluded: number;
  /** Customers (sum of weights) the model was fitted on. */
  customers: number;
  message: string;
}

interface SpendPatterns {
  x: Float64Array;
  m: Float64Array;
  w: Float64Array;
  total: number;
  excluded: number;
  negative: number;
}

function compress(data: GammaGammaData): SpendPatterns {
  const c = data && typeof data === 'object' ? toColumns(data, ['x', 'mx']) : null;
  if (!c || !c.x || c.x.length === 0) {
    throw new ModelInputError('Gamma-Gamma: no customers to fit (the summary table is empty).');
  }
  const keep = new Uint32Array(c.x.length);
  let kept = 0;
  let excluded = 0;
  let negative = 0;
  const weight = (i: number) => (c.weight ? c.weight[i] : 1);
  for (let i = 0; i < c.x.length; i++) {
    const x = c.x[i];
    const mx = c.mx[i];
    const w = weight(i);
    if (!Number.isFinite(x) || !Number.isFinite(mx) || !Number.isFinite(w)) {
      throw new ModelInputError(
        `Gamma-Gamma: row ${i + 1} (x=${x}, mx=${mx}) has a missing or non-finite value. Check the frequency and average-spend columns.`,
      );
    }
    if (x < 0 || !Number.isInteger(x) || w < 0) {
      throw new ModelInputError(
        `Gamma-Gamma: row ${i + 1} (x=${x}, mx=${mx}) has a frequency that is not a whole number ≥ 0 or a negative weight.`,
      );
    }
    if (x === 0 || mx <= 0) {
      excluded += w;
      if (x > 0 && mx < 0) negative += w;
      continue;
    }
    if (w > 0) keep[kept++] = i;
  }
  // Merge identical (x, mx) by sorting, in place into arrays of the kept rows' length.
  const rows = sortRows(keep.subarray(0, kept), [c.x, c.mx]);
  let xs = new Float64Array(kept);
  let ms = new Float64Array(kept);
  let ws = new Float64Array(kept);
  let n = 0;
  let total = 0;
  for (const i of rows) {
    const x = c.x[i];
    const mx = c.mx[i];
    const w = weight(i);
    total += w;
    if (n > 0 && xs[n - 1] === x && ms[n - 1] === mx) ws[n - 1] += w;
    else {
      xs[n] = x;
      ms[n] = mx;
      ws[n] = w;
      n++;
    }
  }
  if (n < kept) [xs, ms, ws] = [xs.slice(0, n), ms.slice(0, n), ws.slice(0, n)];
  return { x: xs, m: ms, w: ws, total, excluded, negative };
}

/** What the likelihood needs of the data that does not depend on the parameters, computed once. */
interface SpendSums {
  /** Distinct x, the total weight of each, and each pattern's index into them. */
  distinctX: Float64Array;
  wX: Float64Array;
  xi: Int32Array;
  /** Σ w·x·ln m, Σ w·ln m, Σ w·x·ln x. */
  xLnM: number;
  lnM: number;
  xLnX: number;
}

function spendSums(d: SpendPatterns): SpendSums {
  // The patterns are sorted by x (compress): the distinct x are where x changes.
  const distinct: number[] = [];
  const xi = new Int32Array(d.x.length);
  for (let i = 0; i < d.x.length; i++) {
    if (i === 0 || d.x[i] !== d.x[i - 1]) distinct.push(d.x[i]);
    xi[i] = distinct.length - 1;
  }
  const wX = new Float64Array(distinct.length);
  let xLnM = 0;
  let lnM = 0;
  let xLnX = 0;
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i];
    const w = d.w[i];
    wX[xi[i]] += w;
    const lnm = Math.log(d.m[i]);
    xLnM += w * x * lnm;
    lnM += w * lnm;
    xLnX += w * x * Math.log(x);
  }
  return { distinctX: Float64Array.from(distinct), wX, xi, xLnM, lnM, xLnX };
}

/**
 * Σ w · ln f(m | p, q, γ; x) and its gradient in (p, q, γ), where per customer
 *   ln f = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln m + px ln x − (px + q) ln(γ + x m).
 * Only the last term depends on both the parameters and m: the Γ terms are summed per distinct x
 * (a few dozen values) and the ln m, ln x terms are sums fixed by the data (SpendSums), so a
 * customer costs one logarithm per evaluation instead of four and two ln Γ.
 */
function logLikelihoodAndGradient(
  d: SpendPatterns,
  sums: SpendSums,
  p: number,
  q: number,
  g: number,
  wantGrad: boolean,
): { ll: number; grad: [number, number, number] } {
  const W = d.total;
  const lng = Math.log(g);
  let ll = W * (q * lng - lgamma(q)) + p * (sums.xLnM + sums.xLnX) - sums.lnM;
  let gp = sums.xLnM + sums.xLnX;
  let gq = wantGrad ? W * (lng - digamma(q)) : 0;
  let gg = (W * q) / g;
  for (let k = 0; k < sums.distinctX.length; k++) {
    const x = sums.distinctX[k];
    const w = sums.wX[k];
    const px = p * x;
    ll += w * (lgamma(px + q) - lgamma(px));
    if (wantGrad) {
      const psiPxQ = digamma(px + q);
      gp += w * x * (psiPxQ - digamma(px));
      gq += w * psiPxQ;
    }
  }
  const acc = SPEND_SUMS;
  spendTerms(d.x, d.w, d.m, p, q, g, wantGrad, acc);
  ll += acc[0];
  gp += acc[1];
  gq += acc[2];
  gg += acc[3];
  return { ll, grad: [gp, gq, gg] };
}

/** Scratch for spendTerms: Σ −w (px + q) ln(γ + x m) and its derivatives in p, q, γ. */
const SPEND_SUMS = new Float64Array(4);

/**
 * The per-pattern term of logLikelihoodAndGradient, a loop over typed arrays that returns nothing:
 * inside a function that ends by building an object, V8 threw the loop's on-stack compiled code
 * away at every call and ran it unoptimised, a heap number per operation (0.2 of the 0.45 GB of
 * garbage of a 210k-pattern fit, measured in Node). The sums accumulate in `out`: nothing after the
 * loop (see bgnbd.ts, repeatSums).
 */
function spendTerms(X: Float64Array, W: Float64Array, M: Float64Array, p: number, q: number, g: number, wantGrad: boolean, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < X.length; i++) {
    const x = X[i];
    const w = W[i];
    const den = g + x * M[i];
    const lnDen = Math.log(den);
    const pxq = p * x + q;
    out[0] -= w * pxq * lnDen;
    if (wantGrad) {
      out[1] -= w * x * lnDen;
      out[2] -= w * lnDen;
      out[3] -= (w * pxq) / den;
    }
  }
}

export function fitGammaGamma(data: GammaGammaData, opts: GammaGammaFitOptions = {}): GammaGammaFit {
  const penalizer = opts.penalizer ?? 0;
  if (!(penalizer >= 0) || !Number.isFinite(penalizer)) {
    throw new ModelInputError(`Gamma-Gamma: the penalizer must be a finite number ≥ 0 (got ${penalizer}).`);
  }
  const raw = compress(data);
  const base = { excluded: raw.excluded, customers: raw.total };
  const negativeNote =
    raw.negative > 0 ? ` ${raw.negative} repeat buyer(s) with negative average spend (returns) were left out.` : '';
  if (raw.total < 3 || raw.x.length < 2) {
    return {
      p: NaN,
      q: NaN,
      gamma: NaN,
      logLik: NaN,
      converged: false,
      iterations: 0,
      standardErrors: null,
      ...base,
      message: `Gamma-Gamma cannot be fitted: only ${raw.total} repeat buyer(s) with positive spend (${raw.excluded} excluded). At least a few distinct repeat buyers are needed.${negativeNote}`,
    };
  }

  // Money is rescaled by the mean spend so the optimiser starts near the answer whatever the
  // currency; γ is a money scale and is converted back. The penalty uses unscaled γ (lifetimes).
  let sumM = 0;
  for (let i = 0; i < raw.m.length; i++) sumM += raw.w[i] * raw.m[i];
  const s = sumM / raw.total;
  const d: SpendPatterns = { ...raw, m: raw.m.map((v) => v / s) };
  const sums = spendSums(d);
  const W = d.total;
  const objective = (u: readonly number[]) => {
    const [p, q, g] = u.map(Math.exp);
    const { ll } = logLikelihoodAndGradient(d, sums, p, q, g, false);
    const gamma = g * s;
    return -ll / W + penalizer * (p * p + q * q + gamma * gamma);
  };
  const naturalGrad = (v: readonly number[]) => {
    const [p, q, g] = v;
    const { grad } = logLikelihoodAndGradient(d, sums, p, q, g, true);
    return [
      -grad[0] / W + 2 * penalizer * p,
      -grad[1] / W + 2 * penalizer * q,
      -grad[2] / W + 2 * penalizer * g * s * s,
    ];
  };
  const gradient = (u: readonly number[]) => {
    const v = u.map(Math.exp);
    return naturalGrad(v).map((gk, k) => gk * v[k]);
  };
  const init = opts.initial ?? {};
  const start = [init.p ?? 1, init.q ?? 2, (init.gamma ?? s) / s];
  if (!start.every((v) => v > 0 && Number.isFinite(v))) {
    throw new ModelInputError('Gamma-Gamma: initial parameters must be finite and > 0.');
  }
  const res = minimize(objective, start.map(Math.log), {
    grad: gradient,
    maxIter: opts.maxIter ?? 500,
    gradTol: 1e-9,
    shouldStop: opts.shouldStop,
  });
  const v = res.x.map(Math.exp);
  const params: GammaGammaParams = { p: v[0], q: v[1], gamma: v[2] * s };
  // Density of m is the density of m/s divided by s.
  const logLik = logLikelihoodAndGradient(d, sums, v[0], v[1], v[2], false).ll - W * Math.log(s);

  const problems: string[] = [];
  if (!Number.isFinite(logLik)) problems.push('the log-likelihood is not finite at the estimates');
  (['p', 'q', 'gamma'] as const).forEach((name, k) => {
    if (!(v[k] > 1e-5 && v[k] < 1e5)) {
      problems.push(`${name} ran to ${params[name].toExponential(2)} (a boundary: the spend data do not identify it)`);
    }
  });
  if (!res.converged) problems.push(`the optimiser did not converge (${res.message})`);
  if (problems.length === 0 && !(params.q > 1)) {
    problems.push(
      `q = ${params.q.toFixed(3)} ≤ 1, so the population mean spend γp/(q−1) is undefined and CLV would be meaningless`,
    );
  }

  let standardErrors: GammaGammaParams | null = null;
  if (problems.length === 0) {
    const H = numericHessian((x) => objective(x.map(Math.log)), v, { grad: naturalGrad }).map((row) =>
      row.map((h) => h * W),
    );
    const cov = invertSpd(H);
    if (cov) standardErrors = { p: Math.sqrt(cov[0][0]), q: Math.sqrt(cov[1][1]), gamma: Math.sqrt(cov[2][2]) * s };
    else {
      problems.push(
        'the likelihood is flat or ridge-shaped at the estimates (Hessian not positive definite), so the parameters are not identified',
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
    ...base,
    message: converged
      ? `Converged in ${res.iterations} iterations on ${raw.total} repeat buyers (${raw.excluded} excluded: no repeat purchase or no positive spend).${negativeNote}`
      : `Gamma-Gamma fit is not reliable: ${problems.join('; ')}.${negativeNote}`,
  };
}

/**
 * E[M | p, q, γ, x, mx] (note 025 eq. 5): a weighted average of the population mean
 * γp/(q−1) and the customer's own mean mx, with weight px/(px+q−1) on the latter. For
 * x = 0 this is the population mean. NaN when q ≤ 1 (no finite mean).
 */
export function conditionalExpectedAverageValue(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 0 && gamma > 0)) {
    throw new ModelInputError('Gamma-Gamma: parameters p, q, gamma must all be > 0 (is the fit converged?).');
  }
  if (!(q > 1)) return NaN;
  if (x === 0) return (gamma * p) / (q - 1);
  return (p * (gamma + x * mx)) / (p * x + q - 1);
}

/**
 * Pearson correlation between frequency x and mean spend mx among repeat buyers with
 * positive spend (the customers the model is fitted on). Gamma-Gamma assumes it is near 0;
 * lifetimes' documentation suggests checking it before use. NaN for fewer than two such
 * customers or no variation.
 */
export function spendFrequencyCorrelation(data: GammaGammaData): number {
  const c = toColumns(data, ['x', 'mx']);
  const counted = (i: number) => {
    const w = c.weight ? c.weight[i] : 1;
    return c.x[i] > 0 && c.mx[i] > 0 && w > 0 && Number.isFinite(c.x[i]) && Number.isFinite(c.mx[i]) ? w : 0;
  };
  let n = 0;
  let sx = 0;
  let sm = 0;
  for (let i = 0; i < c.x.length; i++) {
    const w = counted(i);
    if (w === 0) continue; // (a NaN spend times 0 would still be NaN)
    n += w;
    sx += w * c.x[i];
    sm += w * c.mx[i];
  }
  if (n < 2) return NaN;
  const mxBar = sx / n;
  const mmBar = sm / n;
  let cxx = 0;
  let cmm = 0;
  let cxm = 0;
  for (let i = 0; i < c.x.length; i++) {
    const w = counted(i);
    if (w === 0) continue;
    const dx = c.x[i] - mxBar;
    const dm = c.mx[i] - mmBar;
    cxx += w * dx * dx;
    cmm += w * dm * dm;
    cxm += w * dx * dm;
  }
  if (cxx === 0 || cmm === 0) return NaN;
  return cxm / Math.sqrt(cxx * cmm);
}
