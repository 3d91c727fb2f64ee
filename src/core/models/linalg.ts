/**
 * Small dense linear-algebra and descriptive-statistics helpers for the numeric models.
 * Matrices are plain `number[][]` (row-major); data columns are `Float64Array`s.
 * Everything here is O(n·p) or O(p³) with tiny p (a handful of constructs or items),
 * so clarity beats BLAS-style tricks.
 */

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (denominator n − 1), as R's `sd()`. */
export function sampleSd(x: ArrayLike<number>): number {
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (x.length - 1));
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Centres `x` and divides by its sample SD, in place. Returns the SD (0 means the
 * column is constant and was left centred only).
 */
export function standardizeInPlace(x: Float64Array): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    x[i] = d;
    ss += d * d;
  }
  const sd = Math.sqrt(ss / (n - 1));
  // A spread this small relative to the values is floating-point noise around a constant.
  if (!(sd > 0) || sd <= 1e-12 * (Math.abs(m) + 1)) return 0;
  for (let i = 0; i < n; i++) x[i] /= sd;
  return sd;
}

/** Correlation matrix of already standardised columns (mean 0, SD 1 with n − 1). */
export function correlationOfStandardized(cols: readonly Float64Array[]): number[][] {
  const p = cols.length;
  const n = p > 0 ? cols[0].length : 0;
  const r: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let a = 0; a < p; a++) {
    r[a][a] = 1;
    const ca = cols[a];
    for (let b = a + 1; b < p; b++) {
      const cb = cols[b];
      let s = 0;
      for (let i = 0; i < n; i++) s += ca[i] * cb[i];
      const v = s / (n - 1);
      r[a][b] = v;
      r[b][a] = v;
    }
  }
  return r;
}

export class SingularMatrixError extends Error {
  constructor(message = 'matrix is singular') {
    super(message);
    this.name = 'SingularMatrixError';
  }
}

/**
 * Solves A·x = b by Gaussian elimination with partial pivoting (A is not modified).
 * Throws SingularMatrixError when a pivot vanishes (perfectly collinear predictors).
 */
export function solve(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = A.length;
  const m = A.map((row, i) => [...row, b[i]]);
  const scale = Math.max(1e-300, ...A.map((row) => Math.max(...row.map(Math.abs))));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    if (Math.abs(m[piv][col]) <= 1e-12 * scale) throw new SingularMatrixError();
    if (piv !== col) [m[piv], m[col]] = [m[col], m[piv]];
    const p = m[col][col];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Inverse by solving against the identity's columns. */
export function invert(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const inv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const e = new Array<number>(n).fill(0);
    e[c] = 1;
    const col = solve(A, e);
    for (let r = 0; r < n; r++) inv[r][c] = col[r];
  }
  return inv;
}

/** Sub-matrix R[rows][cols]. */
export function subMatrix(
  R: readonly (readonly number[])[],
  rows: readonly number[],
  cols: readonly number[],
): number[][] {
  return rows.map((r) => cols.map((c) => R[r][c]));
}

/**
 * Standardised OLS of variable `target` on `predictors`, from a correlation matrix:
 * β = R_pp⁻¹ r_py and R² = β·r_py.
 */
export function olsFromCorrelation(
  R: readonly (readonly number[])[],
  predictors: readonly number[],
  target: number,
): { beta: number[]; r2: number } {
  if (predictors.length === 0) return { beta: [], r2: 0 };
  const rpy = predictors.map((p) => R[p][target]);
  const beta = solve(subMatrix(R, predictors, predictors), rpy);
  return { beta, r2: dot(beta, rpy) };
}

/** R's default quantile (type 7) of an ascending-sorted sample. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
