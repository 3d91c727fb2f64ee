// Unconstrained minimisation for the maximum-likelihood model fits.
//
// Models optimise over log-parameters, so positivity is automatic and the problem is
// unconstrained. BFGS with a strong-Wolfe line search does the work; Nelder–Mead is the
// derivative-free fallback when BFGS stalls (non-finite regions, noisy numeric
// gradients). Pure TypeScript: runs in the worker, in Node and in any CLI.

export type Objective = (x: readonly number[]) => number;
export type Gradient = (x: readonly number[]) => number[];

export interface MinimizeResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
  message: string;
  /** Objective evaluations (numeric-gradient evaluations included). */
  evaluations: number;
  /** Infinity norm of the gradient at x (numeric when no analytic gradient was given). */
  gradientNorm: number;
}

export interface MinimizeOptions {
  /** Analytic gradient; central differences are used when absent. */
  grad?: Gradient;
  maxIter?: number;
  /** Converged when the gradient's infinity norm is at most this. Default 1e-6. */
  gradTol?: number;
  /** Relative change of f below which BFGS stops making progress. Default 1e-13. */
  fTol?: number;
  /** Called once per iteration; return true to stop (cancellation from the worker). */
  shouldStop?: (iteration: number, fx: number) => boolean;
}

export class MinimizeCancelled extends Error {
  constructor() {
    super('Optimisation cancelled.');
    this.name = 'MinimizeCancelled';
  }
}

const EPS = 2.220446049250313e-16;

/** Central-difference gradient; step h_i = eps^(1/3) · max(1, |x_i|). */
export function numericGradient(f: Objective, x: readonly number[]): number[] {
  const n = x.length;
  const g = new Array<number>(n);
  const xp = x.slice();
  for (let i = 0; i < n; i++) {
    const h = Math.cbrt(EPS) * Math.max(1, Math.abs(x[i]));
    const xi = x[i];
    xp[i] = xi + h;
    const fp = f(xp);
    xp[i] = xi - h;
    const fm = f(xp);
    xp[i] = xi;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

export interface HessianOptions {
  /** Analytic gradient: the Hessian is then central differences of the gradient (more accurate). */
  grad?: Gradient;
  /** Relative step; default 1e-4 (function values) or 1e-6 (gradient). Absolute floor 1e-8. */
  relStep?: number;
}

/**
 * Numeric Hessian by central differences, symmetrised. With `grad`, column j is
 * (g(x + h_j e_j) − g(x − h_j e_j)) / (2 h_j); otherwise second differences of f.
 * Steps are relative to |x_j|, so pass natural (not log) parameters when the Hessian is
 * for standard errors in natural units.
 */
export function numericHessian(f: Objective, x: readonly number[], opts: HessianOptions = {}): number[][] {
  const n = x.length;
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const xp = x.slice();
  if (opts.grad) {
    const rel = opts.relStep ?? 1e-6;
    for (let j = 0; j < n; j++) {
      const h = Math.max(rel * Math.abs(x[j]), 1e-8);
      const xj = x[j];
      xp[j] = xj + h;
      const gp = opts.grad(xp);
      xp[j] = xj - h;
      const gm = opts.grad(xp);
      xp[j] = xj;
      for (let i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * h);
    }
  } else {
    const rel = opts.relStep ?? 1e-4;
    const h = x.map((v) => Math.max(rel * Math.abs(v), 1e-8));
    const f0 = f(x);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      xp[i] = xi + h[i];
      const fp = f(xp);
      xp[i] = xi - h[i];
      const fm = f(xp);
      xp[i] = xi;
      H[i][i] = (fp - 2 * f0 + fm) / (h[i] * h[i]);
      for (let j = i + 1; j < n; j++) {
        const xj = x[j];
        const at = (si: number, sj: number) => {
          xp[i] = xi + si * h[i];
          xp[j] = xj + sj * h[j];
          const v = f(xp);
          xp[i] = xi;
          xp[j] = xj;
          return v;
        };
        H[i][j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j]);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = opts.grad ? 0.5 * (H[i][j] + H[j][i]) : H[i][j];
      H[i][j] = v;
      H[j][i] = v;
    }
  }
  return H;
}

/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor.
 * Returns null when the matrix is not (numerically) positive definite or not finite,
 * which for a negative-log-likelihood Hessian means the fit is not at a proper minimum.
 */
export function invertSpd(A: readonly (readonly number[])[]): number[][] | null {
  const n = A.length;
  const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i][i] = Math.sqrt(s);
      } else {
        L[i][j] = s / L[j][j];
      }
    }
  }
  // inv(A) = inv(L)^T inv(L)
  const Li: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    Li[j][j] = 1 / L[j][j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i][k] * Li[k][j];
      Li[i][j] = s / L[i][i];
    }
  }
  const inv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k][i] * Li[k][j];
      inv[i][j] = s;
      inv[j][i] = s;
    }
  }
  for (const row of inv) if (!row.every(Number.isFinite)) return null;
  return inv;
}

const dot = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const normInf = (v: readonly number[]) => {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return Number.isNaN(m) || v.some(Number.isNaN) ? NaN : m;
};

interface Counter {
  evals: number;
}

function wrap(f: Objective, grad: Gradient | undefined, counter: Counter) {
  const fc: Objective = (x) => {
    counter.evals++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v; // NaN regions are treated as "too far"
  };
  const gc: Gradient = grad ? (x) => grad(x) : (x) => numericGradient(fc, x);
  return { fc, gc };
}

interface LineSearchResult {
  alpha: number;
  f: number;
  g: number[];
  ok: boolean;
}

/**
 * Strong-Wolfe line search (Nocedal & Wright, Algorithms 3.5/3.6) with safeguarded
 * cubic/bisection zoom; non-finite values shrink the step. Falls back to the best Armijo
 * point it saw when the curvature condition cannot be met.
 */
function wolfeLineSearch(
  f: Objective,
  grad: Gradient,
  x: readonly number[],
  fx: number,
  gx: readonly number[],
  d: readonly number[],
  alpha0: number,
): LineSearchResult {
  const c1 = 1e-4;
  const c2 = 0.9;
  const dphi0 = dot(gx, d);
  const at = (a: number) => x.map((xi, i) => xi + a * d[i]);
  let best: LineSearchResult = { alpha: 0, f: fx, g: gx.slice(), ok: false };
  const consider = (a: number, fa: number, ga: number[] | null) => {
    if (fa < best.f && fa <= fx + c1 * a * dphi0) best = { alpha: a, f: fa, g: ga ?? grad(at(a)), ok: true };
  };

  let aPrev = 0;
  let fPrev = fx;
  let dPrev = dphi0;
  let a = alpha0;
  for (let iter = 0; iter < 30; iter++) {
    const xa = at(a);
    const fa = f(xa);
    if (!Number.isFinite(fa)) {
      a = aPrev + 0.25 * (a - aPrev); // stepped into an overflow/NaN region: come back
      continue;
    }
    if (fa > fx + c1 * a * dphi0 || (iter > 0 && fa >= fPrev)) {
      return zoom(aPrev, fPrev, dPrev, a, fa);
    }
    const ga = grad(xa);
    const da = dot(ga, d);
    if (Math.abs(da) <= -c2 * dphi0) return { alpha: a, f: fa, g: ga, ok: true };
    consider(a, fa, ga);
    if (da >= 0) return zoom(a, fa, da, aPrev, fPrev);
    aPrev = a;
    fPrev = fa;
    dPrev = da;
    a = Math.min(a * 2, 1e10);
  }
  return best;

  function zoom(lo: number, flo: number, dlo: number, hi: number, fhi: number): LineSearchResult {
    for (let k = 0; k < 40; k++) {
      // Quadratic interpolation from (lo, flo, dlo) and (hi, fhi), safeguarded to the inner 80%.
      const span = hi - lo;
      let aj = lo - (dlo * span * span) / (2 * (fhi - flo - dlo * span));
      const lower = Math.min(lo, hi) + 0.1 * Math.abs(span);
      const upper = Math.max(lo, hi) - 0.1 * Math.abs(span);
      if (!Number.isFinite(aj) || aj < lower || aj > upper) aj = lo + 0.5 * span;
      const xj = at(aj);
      const fj = f(xj);
      if (!Number.isFinite(fj) || fj > fx + c1 * aj * dphi0 || fj >= flo) {
        hi = aj;
        fhi = Number.isFinite(fj) ? fj : Infinity;
        if (!Number.isFinite(fhi)) fhi = flo + Math.abs(flo) + 1; // keep interpolation finite
      } else {
        const gj = grad(xj);
        const dj = dot(gj, d);
        if (Math.abs(dj) <= -c2 * dphi0) return { alpha: aj, f: fj, g: gj, ok: true };
        consider(aj, fj, gj);
        if (dj * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
        }
        lo = aj;
        flo = fj;
        dlo = dj;
      }
      if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    return best;
  }
}

/** BFGS on the inverse-Hessian approximation with a strong-Wolfe line search. */
export function minimizeBfgs(f: Objective, x0: readonly number[], opts: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 200 * Math.max(1, n);
  const gradTol = opts.gradTol ?? 1e-6;
  const fTol = opts.fTol ?? 1e-13;
  const counter: Counter = { evals: 0 };
  const { fc, gc } = wrap(f, opts.grad, counter);

  let x = x0.slice();
  let fx = fc(x);
  if (!Number.isFinite(fx)) {
    return {
      x,
      fx,
      iterations: 0,
      converged: false,
      message: 'The objective is not finite at the starting point.',
      evaluations: counter.evals,
      gradientNorm: NaN,
    };
  }
  let g = gc(x);
  let H: number[][] = identity(n);
  let firstStep = true;
  let message = `Stopped after the maximum of ${maxIter} iterations.`;
  let converged = false;
  let iter = 0;
  let stalls = 0;

  for (; iter < maxIter; iter++) {
    const gn = normInf(g);
    if (!Number.isFinite(gn)) {
      message = 'The gradient is not finite.';
      break;
    }
    if (gn <= gradTol) {
      converged = true;
      message = `Gradient norm ${gn.toExponential(2)} ≤ ${gradTol}.`;
      break;
    }
    if (opts.shouldStop?.(iter, fx)) throw new MinimizeCancelled();

    let d = matVec(H, g).map((v) => -v);
    if (!(dot(d, g) < 0)) {
      // Not a descent direction (H lost positive definiteness): restart from steepest descent.
      H = identity(n);
      d = g.map((v) => -v);
      firstStep = true;
    }
    const alpha0 = firstStep ? Math.min(1, 1 / Math.max(normInf(g), 1e-12)) : 1;
    const ls = wolfeLineSearch(fc, gc, x, fx, g, d, alpha0);
    if (!ls.ok || ls.alpha === 0) {
      if (!firstStep) {
        // Retry once from steepest descent with a fresh Hessian approximation.
        H = identity(n);
        firstStep = true;
        stalls++;
        if (stalls <= 2) continue;
      }
      // No decrease is possible any more. With a small gradient this is the resolution limit
      // of floating point (f changes by about |g|² / curvature), not a failure.
      converged = gn <= Math.sqrt(gradTol);
      message = converged
        ? `No further decrease at machine precision, gradient norm ${gn.toExponential(2)}.`
        : `Line search could not decrease the objective (gradient norm ${gn.toExponential(2)}).`;
      break;
    }
    stalls = 0;
    const s = d.map((v) => ls.alpha * v);
    const xNew = x.map((v, i) => v + s[i]);
    const y = ls.g.map((v, i) => v - g[i]);
    const fPrev = fx;
    x = xNew;
    fx = ls.f;
    g = ls.g;

    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstStep) {
        const scale = sy / dot(y, y);
        H = identity(n).map((row) => row.map((v) => v * scale));
        firstStep = false;
      }
      bfgsUpdate(H, s, y, sy);
    }
    if (Math.abs(fPrev - fx) <= fTol * Math.max(1, Math.abs(fx))) {
      const gNow = normInf(g);
      converged = gNow <= Math.sqrt(gradTol);
      message = converged
        ? `Objective change below ${fTol} with gradient norm ${gNow.toExponential(2)}.`
        : `Objective stopped changing but the gradient norm is ${gNow.toExponential(2)}.`;
      iter++;
      break;
    }
  }
  return { x, fx, iterations: iter, converged, message, evaluations: counter.evals, gradientNorm: normInf(g) };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function matVec(A: number[][], v: readonly number[]): number[] {
  return A.map((row) => dot(row, v));
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs). */
function bfgsUpdate(H: number[][], s: number[], y: number[], sy: number): void {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = matVec(H, y);
  const yHy = dot(y, Hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i][j] += rho * ((1 + rho * yHy) * s[i] * s[j] - Hy[i] * s[j] - s[i] * Hy[j]);
    }
  }
}

export interface NelderMeadOptions {
  maxIter?: number;
  /** Stop when the simplex's f-spread and x-spread are below these. */
  fTol?: number;
  xTol?: number;
  /** Initial simplex edge (absolute, in the optimiser's coordinates). Default 0.25. */
  initialStep?: number;
  shouldStop?: (iteration: number, fx: number) => boolean;
}

/** Nelder–Mead with the dimension-adaptive coefficients of Gao & Han (2012). */
export function minimizeNelderMead(
  f: Objective,
  x0: readonly number[],
  opts: NelderMeadOptions = {},
): MinimizeResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 1000 * Math.max(1, n);
  const fTol = opts.fTol ?? 1e-12;
  const xTol = opts.xTol ?? 1e-9;
  const step = opts.initialStep ?? 0.25;
  const counter: Counter = { evals: 0 };
  const { fc } = wrap(f, undefined, counter);
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;

  let simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const v = x0.slice();
    v[i] += step;
    simplex.push(v);
  }
  let fs = simplex.map(fc);
  let iter = 0;
  let converged = false;
  let message = `Stopped after the maximum of ${maxIter} iterations.`;
  for (; iter < maxIter; iter++) {
    const order = fs.map((_, i) => i).sort((i, j) => fs[i] - fs[j]);
    simplex = order.map((i) => simplex[i]);
    fs = order.map((i) => fs[i]);
    if (opts.shouldStop?.(iter, fs[0])) throw new MinimizeCancelled();
    const fSpread = Math.abs(fs[n] - fs[0]);
    let xSpread = 0;
    for (let i = 1; i <= n; i++)
      for (let k = 0; k < n; k++) xSpread = Math.max(xSpread, Math.abs(simplex[i][k] - simplex[0][k]));
    if (Number.isFinite(fs[0]) && fSpread <= fTol * Math.max(1, Math.abs(fs[0])) && xSpread <= xTol) {
      converged = true;
      message = 'Simplex collapsed below the tolerances.';
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += simplex[i][k] / n;
    const worst = simplex[n];
    const point = (t: number) => centroid.map((c, k) => c + t * (c - worst[k]));
    const xr = point(alpha);
    const fr = fc(xr);
    if (fr < fs[0]) {
      const xe = point(alpha * beta);
      const fe = fc(xe);
      if (fe < fr) {
        simplex[n] = xe;
        fs[n] = fe;
      } else {
        simplex[n] = xr;
        fs[n] = fr;
      }
    } else if (fr < fs[n - 1]) {
      simplex[n] = xr;
      fs[n] = fr;
    } else {
      const outside = fr < fs[n];
      const xc = outside ? point(alpha * gamma) : point(-gamma);
      const fcv = fc(xc);
      if (fcv <= (outside ? fr : fs[n])) {
        simplex[n] = xc;
        fs[n] = fcv;
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, k) => simplex[0][k] + delta * (v - simplex[0][k]));
          fs[i] = fc(simplex[i]);
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (fs[i] < fs[bi]) bi = i;
  return {
    x: simplex[bi],
    fx: fs[bi],
    iterations: iter,
    converged,
    message,
    evaluations: counter.evals,
    gradientNorm: NaN,
  };
}

/**
 * BFGS first; if it does not converge, Nelder–Mead from the best point so far, then BFGS
 * again to polish (Nelder–Mead alone does not certify a stationary point). Returns the
 * best result, with `converged` only when a final gradient check passes.
 */
export function minimize(f: Objective, x0: readonly number[], opts: MinimizeOptions = {}): MinimizeResult {
  const first = minimizeBfgs(f, x0, opts);
  if (first.converged) return first;
  const start = Number.isFinite(first.fx) ? first.x : x0;
  const nm = minimizeNelderMead(f, start, { shouldStop: opts.shouldStop, maxIter: opts.maxIter ? opts.maxIter * 5 : undefined });
  const polishFrom = Number.isFinite(nm.fx) && !(nm.fx > first.fx) ? nm.x : start;
  const second = minimizeBfgs(f, polishFrom, opts);
  const iterations = first.iterations + nm.iterations + second.iterations;
  const evaluations = first.evaluations + nm.evaluations + second.evaluations;
  const candidates = [second, first].filter((r) => Number.isFinite(r.fx));
  const best = candidates.length ? candidates.reduce((p, c) => (c.fx < p.fx ? c : p)) : second;
  const converged = best === second ? second.converged : false;
  return {
    ...best,
    iterations,
    evaluations,
    converged,
    message: converged
      ? `Converged after a Nelder–Mead restart: ${second.message}`
      : `Did not converge (BFGS: ${first.message} After Nelder–Mead restart: ${second.message})`,
  };
}
