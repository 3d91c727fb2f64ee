// Special functions for the customer-lifetime models (BG/NBD, Gamma-Gamma).
// Pure numeric code: no DOM, no Node APIs, no dependencies, so it runs in the
// worker, in Node tests and in any future CLI.

const LN_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2*pi))

// Lanczos approximation, g = 7, n = 9 (the widely published coefficient set);
// relative error of Γ about 1e-15 for x >= 0.5.
const LANCZOS_G = 7;
const LANCZOS_COEF = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * ln|Γ(x)|. Lanczos for x >= 0.5, reflection below. Returns +Infinity at the
 * poles (0, -1, -2, ...) and NaN for NaN.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) {
    if (Number.isInteger(x)) return Infinity; // pole
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx)
    const s = Math.abs(Math.sin(Math.PI * x));
    return Math.log(Math.PI / s) - lgamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS_COEF[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS_COEF[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Sign of Γ(x): +1 for x > 0, alternating between the poles for x < 0, NaN at a pole. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x) || Number.isNaN(x)) return NaN;
  // Γ is negative on (-1,0), positive on (-2,-1), ...
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ψ(x) = d/dx ln Γ(x). Recurrence up to x >= 10, then the asymptotic series; reflection for x <= 0. */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN; // pole
    // ψ(1-x) - ψ(x) = π cot(πx)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // ln x - 1/(2x) - Σ B_2k / (2k x^2k)
  const series =
    inv2 *
    (1 / 12 -
      inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return result + Math.log(x) - 0.5 * inv - series;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), for a, b > 0. */
export function betaln(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln Σ e^{x_i} without overflow; −Infinity for an empty list. */
export function logSumExp(xs: readonly number[]): number {
  let m = -Infinity;
  for (const v of xs) if (v > m) m = v;
  if (m === -Infinity) return -Infinity;
  if (!Number.isFinite(m)) return m; // +Infinity or NaN propagate
  let s = 0;
  for (const v of xs) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** Logistic function 1 / (1 + e^{-x}), stable for large |x|. */
export function expit(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export interface Hyp2f1Result {
  value: number;
  /** Number of series terms used (summed over both series when a transformation was applied). */
  terms: number;
  converged: boolean;
  method: 'series' | 'pfaff' | 'one-minus-z';
}

const HYP_EPS = 1e-15;
const HYP_MAX_TERMS = 2_000_000;

/**
 * Where the series below leave their answer: hyp2f1 runs 13 times per distinct (frequency, age)
 * when the lifetime value is scored (~200k pairs at 5M rows), and a result object, argument
 * arrays and closures per evaluation were most of that analysis's JavaScript garbage (~60 MB at
 * 1M rows, Node's sampling heap profiler). The functions are synchronous and not re-entrant
 * across calls: each reads what it needs from here before the next series overwrites it.
 */
const hyp = { value: 0, terms: 0, converged: false };

/**
 * Plain Gauss series Σ (a)_n (b)_n / ((c)_n n!) z^n, stopped only when a bound on the
 * remaining tail is below 1e-15 of the sum (see the loop). The result is left in `hyp`.
 */
function hypSeries(a: number, b: number, c: number, z: number): void {
  let sum = 1;
  let term = 1;
  let comp = 0; // Kahan compensation: many terms of similar size near |z| -> 1
  const nPositive = Math.max(0, -a, -b, -c);
  for (let n = 0; n < HYP_MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1));
    term *= ratio * z;
    if (term === 0) return hypResult(sum, n + 1, true);
    const yk = term - comp;
    const t = sum + yk;
    comp = t - sum - yk;
    sum = t;
    if (!Number.isFinite(sum)) return hypResult(sum, n + 1, false);
    // Once every Pochhammer factor is positive the terms keep one sign and their ratio tends
    // to z, so the tail is bounded by term * q / (1 - q) with q = max(|ratio z|, |z|) < 1.
    if (n + 1 > nPositive) {
      const q = Math.max(Math.abs(ratio * z), Math.abs(z));
      if (q < 1 && Math.abs(term) * (q / (1 - q)) <= HYP_EPS * Math.abs(sum)) return hypResult(sum, n + 1, true);
    }
  }
  hypResult(sum, HYP_MAX_TERMS, false);
}

function hypResult(value: number, terms: number, converged: boolean): void {
  hyp.value = value;
  hyp.terms = terms;
  hyp.converged = converged;
}

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments and z < 1.
 *
 * * |z| <= 0.9 (or a terminating series): the Gauss series, summed until the terms are
 *   below 1e-16 of the sum and provably shrinking.
 * * z < -0.9: Pfaff transformation (1-z)^(-a) ₂F₁(a, c-b; c; z/(z-1)).
 * * 0.9 < z < 1: the 1-z connection formula (Abramowitz & Stegun 15.3.6), when c-a-b is not
 *   (close to) an integer and the gamma factors are finite; otherwise the direct series,
 *   which still converges for z < 1, just more slowly.
 *
 * `converged` is false when the series did not reach the tolerance within 2e6 terms or
 * the result is not finite; callers must not use `value` then.
 */
export function hyp2f1Detailed(a: number, b: number, c: number, z: number): Hyp2f1Result {
  const method = hyp2f1Into(a, b, c, z);
  return { value: hyp.value, terms: hyp.terms, converged: hyp.converged, method };
}

/** hyp2f1Detailed's work: the result in `hyp`, the method returned. */
function hyp2f1Into(a: number, b: number, c: number, z: number): Hyp2f1Result['method'] {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(z)) {
    hypResult(NaN, 0, false);
    return 'series';
  }
  if (z === 0) {
    hypResult(1, 0, true);
    return 'series';
  }
  if ((c <= 0 && Number.isInteger(c)) || z >= 1) {
    hypResult(NaN, 0, false);
    return 'series';
  }
  const terminating = (a <= 0 && Number.isInteger(a)) || (b <= 0 && Number.isInteger(b));
  if (terminating || Math.abs(z) <= 0.9) {
    hypSeries(a, b, c, z);
    return 'series';
  }
  if (z < -0.9) {
    hyp2f1Into(a, c - b, c, z / (z - 1));
    hypResult(Math.pow(1 - z, -a) * hyp.value, hyp.terms, hyp.converged && Number.isFinite(hyp.value));
    return 'pfaff';
  }
  // 0.9 < z < 1
  const s = c - a - b;
  const nearInteger = Math.abs(s - Math.round(s)) < 1e-6;
  if (!nearInteger) {
    const w = 1 - z;
    const g1 = gammaRatio(c, s, c - a, c - b);
    const g2 = gammaRatio(c, -s, a, b);
    if (g1 !== null && g2 !== null) {
      let f1 = 0;
      let terms = 0;
      let converged = true;
      if (g1 !== 0) {
        hypSeries(a, b, 1 - s, w);
        f1 = hyp.value;
        terms += hyp.terms;
        converged = hyp.converged;
      }
      let f2 = 0;
      if (g2 !== 0) {
        hypSeries(c - a, c - b, s + 1, w);
        f2 = hyp.value;
        terms += hyp.terms;
        converged &&= hyp.converged;
      }
      const value = g1 * f1 + Math.pow(w, s) * g2 * f2;
      if (converged && Number.isFinite(value)) {
        hypResult(value, terms, true);
        return 'one-minus-z';
      }
    }
  }
  hypSeries(a, b, c, z);
  return 'series';
}

/** Γ(n1)Γ(n2) / (Γ(d1)Γ(d2)) with signs; 0 if a denominator argument is a pole; null if a numerator is. */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number | null {
  const s1 = gammaSign(n1);
  const s2 = gammaSign(n2);
  if (Number.isNaN(s1) || Number.isNaN(s2)) return null;
  const s3 = gammaSign(d1);
  const s4 = gammaSign(d2);
  if (Number.isNaN(s3) || Number.isNaN(s4)) return 0; // 1/Γ(pole) = 0
  return s1 * s2 * s3 * s4 * Math.exp(lgamma(n1) + lgamma(n2) - lgamma(d1) - lgamma(d2));
}

/** ₂F₁(a, b; c; z); NaN when it cannot be computed to full precision (see hyp2f1Detailed). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  hyp2f1Into(a, b, c, z);
  return hyp.converged ? hyp.value : NaN;
}
