/**
 * PLS path modelling (PLS-SEM) — Lohmöller/Wold algorithm as implemented by SmartPLS and
 * R's seminr, plus the usual quality criteria, bootstrap inference and the
 * importance-performance map (IPMA). Pure TypeScript, no DOM, no dependencies.
 *
 * Algorithm (matches seminr::simplePLS, which reproduces SmartPLS to 8 decimals):
 *  1. Indicators are z-scored with the sample SD (n − 1).
 *  2. Outer weights start at 1. Each iteration: outer proxies Y = X·w standardised →
 *     inner weights from the scheme → inner proxies Z = Y·E standardised → new outer
 *     weights (mode A: cov(x, Z); mode B: R_xx⁻¹ cor(x, Z)) → rescaled so that every
 *     composite X·w has unit variance.
 *     - path weighting (default, SmartPLS "path"): a predecessor's inner weight is its
 *       coefficient in the OLS of the construct on all its predecessors; a successor's is
 *       the correlation;
 *     - factorial: the correlation with every adjacent construct;
 *     - centroid: the sign of that correlation.
 *  3. Stop when max |Δw| < tol (default 1e-7; seminr uses Σ|Δw| < 1e-7 — both converge
 *     far below the 1e-6 agreement checked in the tests) or after maxIter (300).
 *  4. Scores = X·w; loadings = cor(x, score); paths = standardised OLS of every
 *     endogenous construct on its predecessors.
 *
 * No sign-change correction is applied anywhere (neither in the fit nor in the bootstrap),
 * which is seminr's and SmartPLS's default.
 *
 * Because the indicators are z-scored, every step of the iteration is a linear function of
 * the item correlation matrix, so fitCore iterates on that matrix (O(p²) per step) rather
 * than on the n × p data; the numbers are the same up to rounding. This is what makes a
 * 1000-resample bootstrap of the 250 × 24 ECSI model take about a second.
 *
 * Conventions and where they differ from seminr / SmartPLS (checked against published
 * outputs in test/unit/models/pls.test.ts):
 *  - Reliability follows seminr: Cronbach's α from the item correlations (standardised α);
 *    ρA = 1 and ρC/AVE still computed from loadings for mode B constructs — reliability is
 *    not meaningful for formative constructs, so the UI should not show it for them.
 *  - HTMT uses absolute item correlations (seminr; SmartPLS 4).
 *  - f² re-estimates the whole model without the path, as seminr::fSquared does. Dropping
 *    the predictor only from the final regression on the full model's scores (a shortcut
 *    some tools take) gives slightly different values (Quality → Value: 0.3285 vs 0.3287).
 *  - The inner VIF of a construct's only predictor is 1 (SmartPLS); seminr prints NA.
 *  - Outer VIFs are reported for every block (SmartPLS), not only for mode B ones.
 *  - Convergence: max |Δw| < tol (seminr: Σ|Δw| < 1e-7); iteration counts can differ by one.
 */

import {
  SingularMatrixError,
  correlationOfStandardized,
  dot,
  invert,
  mean,
  olsFromCorrelation,
  quantileSorted,
  sampleSd,
  solve,
  standardizeInPlace,
  subMatrix,
} from './linalg';
import { resampleIndices } from './random';

// ───────────────────────────── public types ─────────────────────────────

export type PlsMode = 'A' | 'B';
export type InnerScheme = 'path' | 'centroid' | 'factorial';

export interface PlsConstructSpec {
  name: string;
  indicators: string[];
  /** A = reflective/correlation weights, B = formative/regression weights. */
  mode: PlsMode;
}

export interface PlsModelSpec {
  constructs: PlsConstructSpec[];
  paths: [from: string, to: string][];
}

export interface PlsOptions {
  scheme?: InnerScheme;
  maxIter?: number;
  tol?: number;
}

/** m[row][column]; for structural quantities row = from, column = to. */
export type NamedMatrix = Record<string, Record<string, number>>;

export type SurveyData = Record<string, ArrayLike<number>>;

export interface PlsQuality {
  /** Cronbach's α from the item correlation matrix (standardised α); 1 for one item. */
  cronbachAlpha: Record<string, number>;
  /** Dijkstra–Henseler ρA; 1 for single items and for mode B (as seminr). */
  rhoA: Record<string, number>;
  /** Composite reliability ρC = (Σλ)² / ((Σλ)² + Σ(1 − λ²)); 1 for one item. */
  rhoC: Record<string, number>;
  /** Average variance extracted, mean λ²; 1 for one item. */
  ave: Record<string, number>;
  /** Heterotrait–monotrait ratio (absolute item correlations, as seminr/SmartPLS 4); both orders, no diagonal. */
  htmt: NamedMatrix;
  /** √AVE on the diagonal, construct-score correlations elsewhere (full symmetric matrix). */
  fornellLarcker: NamedMatrix;
  vif: {
    /** Per construct, VIF of each indicator regressed on the block's other indicators. */
    outer: NamedMatrix;
    /** Per endogenous construct, VIF of each predictor among its predictors (1 if only one). */
    inner: NamedMatrix;
  };
  /** Cohen's f² per path, from re-estimating the model without that path (as seminr). */
  fSquare: NamedMatrix;
}

export interface PlsResult {
  n: number;
  scheme: InnerScheme;
  constructs: string[];
  /** paths[from][to] for every structural path. */
  paths: NamedMatrix;
  rSquared: Record<string, number>;
  rSquaredAdj: Record<string, number>;
  outerWeights: NamedMatrix;
  loadings: NamedMatrix;
  /** crossLoadings[item][construct] = cor(item, construct score). */
  crossLoadings: NamedMatrix;
  /** totalEffects[from][to] for every pair joined by a directed route. */
  totalEffects: NamedMatrix;
  /** indirectEffects[from][to] for every pair joined by a route through ≥ 1 mediator. */
  indirectEffects: NamedMatrix;
  /** Standardised construct scores (mean 0, SD 1), one value per row. */
  scores: Record<string, number[]>;
  /** Construct-score correlation matrix. */
  constructCorrelations: NamedMatrix;
  iterations: number;
  converged: boolean;
  quality: PlsQuality;
}

// ───────────────────────────── model compilation / validation ─────────────────────────────

interface CompiledModel {
  constructs: string[];
  modes: PlsMode[];
  /** Distinct indicator names, in order of first appearance. */
  items: string[];
  /** Per construct: indices into `items`. */
  blocks: number[][];
  /** Deduplicated paths as construct indices. */
  paths: [number, number][];
  preds: number[][];
  succs: number[][];
  /** Constructs with at least one predecessor, in construct order. */
  endogenous: number[];
}

function linkPaths(k: number, paths: [number, number][]): Pick<CompiledModel, 'preds' | 'succs' | 'endogenous'> {
  const preds: number[][] = Array.from({ length: k }, () => []);
  const succs: number[][] = Array.from({ length: k }, () => []);
  for (const [a, b] of paths) {
    preds[b].push(a);
    succs[a].push(b);
  }
  const endogenous: number[] = [];
  for (let j = 0; j < k; j++) if (preds[j].length > 0) endogenous.push(j);
  return { preds, succs, endogenous };
}

function compileModel(model: PlsModelSpec, data: SurveyData): CompiledModel {
  if (!model || !Array.isArray(model.constructs) || model.constructs.length === 0) {
    throw new Error('The PLS model has no constructs: define at least two constructs and one path.');
  }
  const constructs: string[] = [];
  const modes: PlsMode[] = [];
  const items: string[] = [];
  const itemIndex = new Map<string, number>();
  const blocks: number[][] = [];
  const constructIndex = new Map<string, number>();
  for (const c of model.constructs) {
    const name = c?.name;
    if (typeof name !== 'string' || name.trim() === '') throw new Error('Every construct needs a non-empty name.');
    if (constructIndex.has(name)) throw new Error(`Construct "${name}" is defined twice; construct names must be unique.`);
    if (c.mode !== 'A' && c.mode !== 'B') {
      throw new Error(`Construct "${name}" has measurement mode "${String(c.mode)}"; use "A" (reflective) or "B" (formative).`);
    }
    if (!Array.isArray(c.indicators) || c.indicators.length === 0) {
      throw new Error(`Construct "${name}" has no indicators: assign at least one survey item (column) to it.`);
    }
    const block: number[] = [];
    for (const item of c.indicators) {
      if (!Object.prototype.hasOwnProperty.call(data, item)) {
        const known = Object.keys(data);
        throw new Error(
          `Construct "${name}" uses indicator "${item}", which is not a column of the data` +
            (known.length ? ` (columns: ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', …' : ''}).` : '.'),
        );
      }
      let ix = itemIndex.get(item);
      if (ix === undefined) {
        ix = items.length;
        items.push(item);
        itemIndex.set(item, ix);
      }
      if (block.includes(ix)) throw new Error(`Construct "${name}" lists indicator "${item}" twice.`);
      block.push(ix);
    }
    constructIndex.set(name, constructs.length);
    constructs.push(name);
    modes.push(c.mode);
    blocks.push(block);
  }

  const paths: [number, number][] = [];
  const seen = new Set<string>();
  for (const p of model.paths ?? []) {
    const [from, to] = p;
    const a = constructIndex.get(from);
    const b = constructIndex.get(to);
    if (a === undefined) throw new Error(`The path ${from} → ${to} starts at "${from}", which is not a construct of the model.`);
    if (b === undefined) throw new Error(`The path ${from} → ${to} ends at "${to}", which is not a construct of the model.`);
    if (a === b) throw new Error(`The path ${from} → ${to} points a construct at itself; the structural model must be acyclic.`);
    const key = `${a}>${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    paths.push([a, b]);
  }
  if (paths.length === 0) throw new Error('The structural model has no paths: add at least one path between two constructs.');

  const k = constructs.length;
  const links = linkPaths(k, paths);
  const isolated = constructs.filter((_, j) => links.preds[j].length === 0 && links.succs[j].length === 0);
  if (isolated.length > 0) {
    throw new Error(
      `Construct${isolated.length > 1 ? 's' : ''} ${isolated.map((c) => `"${c}"`).join(', ')} ` +
        `${isolated.length > 1 ? 'are' : 'is'} not connected to any path; connect or remove ${isolated.length > 1 ? 'them' : 'it'}.`,
    );
  }
  const cycle = findCycle(k, links.succs);
  if (cycle) {
    throw new Error(
      `The structural model has a cycle (${cycle.map((j) => constructs[j]).join(' → ')}); ` +
        'PLS path models must be recursive (no feedback loops). Remove one of these paths.',
    );
  }
  return { constructs, modes, items, blocks, paths, ...links };
}

/** A directed cycle as a closed list of vertices, or null for a DAG. */
function findCycle(k: number, succs: number[][]): number[] | null {
  const state = new Array<number>(k).fill(0); // 0 new, 1 on stack, 2 done
  const stack: number[] = [];
  const visit = (v: number): number[] | null => {
    state[v] = 1;
    stack.push(v);
    for (const w of succs[v]) {
      if (state[w] === 1) return [...stack.slice(stack.indexOf(w)), w];
      if (state[w] === 0) {
        const c = visit(w);
        if (c) return c;
      }
    }
    stack.pop();
    state[v] = 2;
    return null;
  };
  for (let v = 0; v < k; v++) {
    if (state[v] === 0) {
      const c = visit(v);
      if (c) return c;
    }
  }
  return null;
}

// ───────────────────────────── data preparation ─────────────────────────────

function formatRows(rows: number[]): string {
  const shown = rows.slice(0, 10).map((r) => String(r + 1));
  return `row${rows.length > 1 ? 's' : ''} ${shown.join(', ')}${rows.length > 10 ? `, … (${rows.length} in all)` : ''}`;
}

/** Raw indicator columns as Float64Array, after checking lengths and completeness. */
function rawColumns(data: SurveyData, items: string[]): { cols: Float64Array[]; n: number } {
  const n = data[items[0]].length;
  const cols: Float64Array[] = [];
  for (const item of items) {
    const src = data[item];
    if (src.length !== n) {
      throw new Error(`Indicator "${item}" has ${src.length} values but "${items[0]}" has ${n}; all columns must have the same number of rows.`);
    }
    const col = new Float64Array(n);
    const bad: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = src[i] as unknown;
      if (typeof v !== 'number' || !Number.isFinite(v)) bad.push(i);
      else col[i] = v;
    }
    if (bad.length > 0) {
      throw new Error(
        `Indicator "${item}" has ${bad.length} missing or non-numeric value${bad.length > 1 ? 's' : ''} (${formatRows(bad)}). ` +
          'Handle missing data first: prepareSurveyData(data, { missing: "mean" }) replaces them by the item mean, ' +
          '{ missing: "casewise" } drops those respondents.',
      );
    }
    cols.push(col);
  }
  return { cols, n };
}

class ConstantIndicatorError extends Error {
  constructor(readonly item: string) {
    super(
      `Indicator "${item}" is constant (every respondent gave the same answer), so it carries no information ` +
        'and cannot be standardised. Remove it from its construct.',
    );
    this.name = 'ConstantIndicatorError';
  }
}

/** z-scores (sample SD) of the given rows of each raw column. */
function standardizeColumns(raw: Float64Array[], items: string[], rows?: Int32Array): Float64Array[] {
  return raw.map((col, h) => {
    let x: Float64Array;
    if (rows) {
      // (a plain loop: Float64Array.from with a map function is an order of magnitude slower)
      x = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) x[i] = col[rows[i]];
    } else x = Float64Array.from(col);
    if (standardizeInPlace(x) === 0) throw new ConstantIndicatorError(items[h]);
    return x;
  });
}

export interface PreparedSurveyData {
  data: Record<string, number[]>;
  /** Number of respondents removed (casewise deletion). */
  dropped: number;
  /** Number of cells replaced by the column mean (mean replacement). */
  replaced: number;
  /** Zero-based indices of the removed rows. */
  droppedRows: number[];
  /** Cells replaced, per column. */
  replacedByColumn: Record<string, number>;
}

/**
 * Makes survey data complete for fitPls: null, undefined, NaN and ±Infinity count as
 * missing. 'mean' replaces each missing cell by its column's mean over the observed
 * values (seminr's mean_replacement); 'casewise' drops every row with a missing value in
 * any of the `columns` (seminr's na.omit). Only `columns` (default: all) are returned.
 */
export function prepareSurveyData(
  data: Record<string, ArrayLike<number | null | undefined>>,
  opts: { missing: 'mean' | 'casewise'; columns?: string[] },
): PreparedSurveyData {
  const columns = opts.columns ?? Object.keys(data);
  if (columns.length === 0) throw new Error('prepareSurveyData: no columns to prepare.');
  for (const c of columns) if (!Object.prototype.hasOwnProperty.call(data, c)) throw new Error(`prepareSurveyData: column "${c}" is not in the data.`);
  const n = data[columns[0]].length;
  for (const c of columns) {
    if (data[c].length !== n) throw new Error(`prepareSurveyData: column "${c}" has ${data[c].length} rows but "${columns[0]}" has ${n}.`);
  }
  const isMissing = (v: unknown): boolean => typeof v !== 'number' || !Number.isFinite(v);
  const out: Record<string, number[]> = {};
  const replacedByColumn: Record<string, number> = {};

  if (opts.missing === 'casewise') {
    const droppedRows: number[] = [];
    const keep: number[] = [];
    for (let i = 0; i < n; i++) {
      if (columns.some((c) => isMissing(data[c][i]))) droppedRows.push(i);
      else keep.push(i);
    }
    if (keep.length === 0) throw new Error('Every row has at least one missing value, so casewise deletion leaves no data. Use mean replacement instead.');
    for (const c of columns) {
      const src = data[c];
      out[c] = keep.map((i) => src[i] as number);
      replacedByColumn[c] = 0;
    }
    return { data: out, dropped: droppedRows.length, replaced: 0, droppedRows, replacedByColumn };
  }
  if (opts.missing !== 'mean') throw new Error(`prepareSurveyData: unknown missing-data strategy "${String(opts.missing)}" (use "mean" or "casewise").`);

  let replaced = 0;
  for (const c of columns) {
    const src = data[c];
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = src[i];
      if (!isMissing(v)) {
        sum += v as number;
        count++;
      }
    }
    if (count === 0 && n > 0) throw new Error(`Column "${c}" has no observed values at all, so its mean cannot replace the missing ones. Remove the column.`);
    const m = count > 0 ? sum / count : 0;
    const col = new Array<number>(n);
    let r = 0;
    for (let i = 0; i < n; i++) {
      const v = src[i];
      if (isMissing(v)) {
        col[i] = m;
        r++;
      } else col[i] = v as number;
    }
    out[c] = col;
    replacedByColumn[c] = r;
    replaced += r;
  }
  return { data: out, dropped: 0, replaced, droppedRows: [], replacedByColumn };
}

// ───────────────────────────── the PLS algorithm ─────────────────────────────

interface CoreFit {
  /** Per construct, the outer weights of its block (same order as cm.blocks). */
  weights: Float64Array[];
  /** Construct-score correlation matrix. */
  R: number[][];
  /** B[from][to] standardised path coefficients. */
  B: number[][];
  /** R² per construct (NaN for exogenous ones). */
  r2: number[];
  iterations: number;
  converged: boolean;
}

interface FitSettings {
  scheme: InnerScheme;
  maxIter: number;
  tol: number;
}

function settingsFrom(opts: PlsOptions | undefined): FitSettings {
  const scheme = opts?.scheme ?? 'path';
  if (scheme !== 'path' && scheme !== 'centroid' && scheme !== 'factorial') {
    throw new Error(`Unknown inner weighting scheme "${String(scheme)}" (use "path", "centroid" or "factorial").`);
  }
  const maxIter = opts?.maxIter ?? 300;
  const tol = opts?.tol ?? 1e-7;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new Error(`maxIter must be a positive integer, got ${maxIter}.`);
  if (!(tol > 0)) throw new Error(`tol must be positive, got ${tol}.`);
  return { scheme, maxIter, tol };
}

function composite(X: Float64Array[], block: number[], w: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let h = 0; h < block.length; h++) {
    const x = X[block[h]];
    const wh = w[h];
    for (let i = 0; i < n; i++) y[i] += wh * x[i];
  }
  return y;
}

class DegenerateProxyError extends Error {
  constructor(construct: string) {
    super(
      `The inner proxy of construct "${construct}" vanished (it is uncorrelated with all its neighbours), ` +
        'so its weights cannot be estimated. Try the path or factorial scheme, or check the model.',
    );
    this.name = 'DegenerateProxyError';
  }
}

/** w_jᵀ · S[block j, block l] · w_l. */
function blockQuad(S: number[][], bj: number[], wj: ArrayLike<number>, bl: number[], wl: ArrayLike<number>): number {
  let v = 0;
  for (let h = 0; h < bj.length; h++) {
    const row = S[bj[h]];
    let t = 0;
    for (let g = 0; g < bl.length; g++) t += row[bl[g]] * wl[g];
    v += wj[h] * t;
  }
  return v;
}

/** cov(x_item, composite of block) = S[item, block] · w. */
function itemBlockCov(S: number[][], item: number, block: number[], w: ArrayLike<number>): number {
  const row = S[item];
  let t = 0;
  for (let g = 0; g < block.length; g++) t += row[block[g]] * w[g];
  return t;
}

/**
 * The PLS iteration. With z-scored indicators every quantity the algorithm needs is a
 * linear function of the item correlation matrix S: cor(Y_j, Y_l) = w_jᵀ S_jl w_l,
 * cov(x_h, Z_b) = Σ_a e_ab · S_h,a w_a, Var(X_b w) = wᵀ S_bb w. So the iteration runs on S
 * (O(p²) per step, independent of the number of respondents) and gives the same numbers
 * as iterating on the n × p data, as seminr does, up to rounding.
 * Constructs without any path (only possible in the reduced models used for f²) keep unit
 * weights: they influence no other construct.
 */
function fitCore(S: number[][], cm: CompiledModel, s: FitSettings): CoreFit {
  const k = cm.constructs.length;
  const { blocks, preds, succs } = cm;
  const modeBInverse: (number[][] | null)[] = blocks.map((b, j) =>
    cm.modes[j] === 'B' && b.length > 1 ? invert(subMatrix(S, b, b)) : null,
  );
  const neighbours = blocks.map((_, j) => [...preds[j], ...succs[j]]);
  const normalize = (b: number[], w: Float64Array): Float64Array => {
    const sd = Math.sqrt(blockQuad(S, b, w, b, w));
    for (let h = 0; h < w.length; h++) w[h] /= sd;
    return w;
  };
  const correlations = (w: Float64Array[]): number[][] => {
    const sd = blocks.map((b, j) => Math.sqrt(blockQuad(S, b, w[j], b, w[j])));
    const R: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let j = 0; j < k; j++) {
      R[j][j] = 1;
      for (let l = j + 1; l < k; l++) {
        const v = blockQuad(S, blocks[j], w[j], blocks[l], w[l]) / (sd[j] * sd[l]);
        R[j][l] = v;
        R[l][j] = v;
      }
    }
    return R;
  };

  let weights: Float64Array[] = blocks.map((b) => normalize(b, new Float64Array(b.length).fill(1)));
  let iterations = 0;
  let converged = false;
  const E: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));

  for (let it = 1; it <= s.maxIter; it++) {
    iterations = it;
    const R = correlations(weights);

    for (const row of E) row.fill(0);
    for (let b = 0; b < k; b++) {
      if (s.scheme === 'path') {
        for (const a of succs[b]) E[a][b] = R[a][b];
        if (preds[b].length > 0) {
          const beta = solve(subMatrix(R, preds[b], preds[b]), preds[b].map((p) => R[p][b]));
          preds[b].forEach((p, i) => (E[p][b] = beta[i]));
        }
      } else {
        for (const a of neighbours[b]) E[a][b] = s.scheme === 'factorial' ? R[a][b] : Math.sign(R[a][b]);
      }
    }

    const next: Float64Array[] = [];
    let maxDiff = 0;
    for (let b = 0; b < k; b++) {
      const block = blocks[b];
      const old = weights[b];
      let w: Float64Array;
      if (neighbours[b].length === 0) {
        w = old;
      } else {
        let varZ = 0;
        for (const a of neighbours[b]) for (const c of neighbours[b]) varZ += E[a][b] * E[c][b] * R[a][c];
        if (!(varZ > 1e-20)) throw new DegenerateProxyError(cm.constructs[b]);
        const sdZ = Math.sqrt(varZ);
        // mode A: w = cov(x, Z) for the standardised inner proxy Z
        w = new Float64Array(block.length);
        for (const a of neighbours[b]) {
          const e = E[a][b];
          if (e === 0) continue;
          for (let h = 0; h < block.length; h++) w[h] += (e * itemBlockCov(S, block[h], blocks[a], weights[a])) / sdZ;
        }
        const inv = modeBInverse[b];
        if (inv) {
          const c = Float64Array.from(w);
          for (let h = 0; h < block.length; h++) w[h] = dot(inv[h], c);
        }
        normalize(block, w);
      }
      for (let h = 0; h < w.length; h++) maxDiff = Math.max(maxDiff, Math.abs(w[h] - old[h]));
      next.push(w);
    }
    weights = next;
    if (maxDiff < s.tol) {
      converged = true;
      break;
    }
  }

  const R = correlations(weights);
  const B: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const r2 = new Array<number>(k).fill(Number.NaN);
  for (const b of cm.endogenous) {
    const { beta, r2: rs } = olsFromCorrelation(R, preds[b], b);
    preds[b].forEach((p, i) => (B[p][b] = beta[i]));
    r2[b] = rs;
  }
  return { weights, R, B, r2, iterations, converged };
}

/** T = B + B² + … (the structural model is acyclic, so the series ends after < k terms). */
function totalEffectsMatrix(B: number[][]): number[][] {
  const k = B.length;
  const T = B.map((r) => [...r]);
  let P = B.map((r) => [...r]);
  for (let step = 1; step < k; step++) {
    const next: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    let any = false;
    for (let i = 0; i < k; i++) {
      for (let m = 0; m < k; m++) {
        const pim = P[i][m];
        if (pim === 0) continue;
        for (let j = 0; j < k; j++) {
          if (B[m][j] !== 0) {
            next[i][j] += pim * B[m][j];
            any = true;
          }
        }
      }
    }
    if (!any) break;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) T[i][j] += next[i][j];
    P = next;
  }
  return T;
}

/** reach[i][j]: length of the longest directed route i ⇝ j (0 = none). */
function routeLengths(cm: CompiledModel): number[][] {
  const k = cm.constructs.length;
  const L: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const order = topologicalOrder(cm);
  for (let idx = order.length - 1; idx >= 0; idx--) {
    const i = order[idx];
    for (const m of cm.succs[i]) {
      L[i][m] = Math.max(L[i][m], 1);
      for (let j = 0; j < k; j++) if (L[m][j] > 0) L[i][j] = Math.max(L[i][j], L[m][j] + 1);
    }
  }
  return L;
}

function topologicalOrder(cm: CompiledModel): number[] {
  const k = cm.constructs.length;
  const indeg = cm.preds.map((p) => p.length);
  const queue: number[] = [];
  for (let j = 0; j < k; j++) if (indeg[j] === 0) queue.push(j);
  const order: number[] = [];
  while (queue.length) {
    const v = queue.shift() as number;
    order.push(v);
    for (const w of cm.succs[v]) if (--indeg[w] === 0) queue.push(w);
  }
  return order;
}

// ───────────────────────────── quality criteria ─────────────────────────────

/** Loadings λ = cor(x, score) of every block's own indicators (weights give unit-variance scores). */
function blockLoadings(S: number[][], cm: CompiledModel, fit: CoreFit): number[][] {
  return cm.blocks.map((b, j) => b.map((h) => itemBlockCov(S, h, b, fit.weights[j])));
}

function cronbachAlphaOf(Rb: number[][]): number {
  const p = Rb.length;
  if (p < 2) return 1;
  let total = 0;
  for (const row of Rb) for (const v of row) total += v;
  return (p / (p - 1)) * (1 - p / total);
}

/** ρA (Dijkstra & Henseler 2015): (w'w)² · w'(S − diag S)w / w'(ww' − diag ww')w. */
function rhoAOf(Rb: number[][], w: ArrayLike<number>): number {
  const p = Rb.length;
  let ww = 0;
  let num = 0;
  let den = 0;
  for (let a = 0; a < p; a++) {
    ww += w[a] * w[a];
    for (let b = 0; b < p; b++) {
      if (a === b) continue;
      num += w[a] * Rb[a][b] * w[b];
      den += w[a] * w[a] * w[b] * w[b];
    }
  }
  return ww * ww * (num / den);
}

function htmtOf(itemR: number[][], bi: number[], bj: number[]): number {
  let hetero = 0;
  for (const a of bi) for (const b of bj) hetero += Math.abs(itemR[a][b]);
  hetero /= bi.length * bj.length;
  const mono = (blk: number[]): number => {
    if (blk.length < 2) return 1;
    let s = 0;
    for (let x = 0; x < blk.length; x++) for (let y = x + 1; y < blk.length; y++) s += Math.abs(itemR[blk[x]][blk[y]]);
    return s / ((blk.length * (blk.length - 1)) / 2);
  };
  return hetero / Math.sqrt(mono(bi) * mono(bj));
}

function vifsOf(R: number[][]): number[] {
  if (R.length < 2) return R.map(() => 1);
  const inv = invert(R);
  return inv.map((row, i) => row[i]);
}

/** Copy of the compiled model without one path (constructs that lose all paths stay, isolated). */
function withoutPath(cm: CompiledModel, drop: [number, number]): CompiledModel {
  const paths = cm.paths.filter(([a, b]) => !(a === drop[0] && b === drop[1]));
  return { ...cm, paths, ...linkPaths(cm.constructs.length, paths) };
}

// ───────────────────────────── fitPls ─────────────────────────────

interface PreparedFit {
  cm: CompiledModel;
  settings: FitSettings;
  raw: Float64Array[];
  n: number;
}

function prepareFit(data: SurveyData, model: PlsModelSpec, opts: PlsOptions | undefined): PreparedFit {
  if (!data || typeof data !== 'object') throw new Error('fitPls: data must be an object of numeric columns.');
  const cm = compileModel(model, data);
  const settings = settingsFrom(opts);
  const { cols, n } = rawColumns(data, cm.items);
  const needed = Math.max(3, ...cm.endogenous.map((b) => cm.preds[b].length + 2));
  if (n < needed) throw new Error(`The PLS model needs at least ${needed} complete respondents; the data has ${n}.`);
  return { cm, settings, raw: cols, n };
}

function toRecord<T>(names: string[], values: T[]): Record<string, T> {
  const r: Record<string, T> = {};
  names.forEach((nm, i) => (r[nm] = values[i]));
  return r;
}

/**
 * Estimates a PLS path model on complete numeric survey data (see prepareSurveyData for
 * missing values). Throws an Error with a user-facing message for invalid models or data.
 */
export function fitPls(data: SurveyData, model: PlsModelSpec, opts?: PlsOptions): PlsResult {
  const prepared = prepareFit(data, model, opts);
  try {
    return fitPrepared(prepared);
  } catch (e) {
    if (e instanceof SingularMatrixError) {
      throw new Error(
        'The model cannot be estimated because some variables are perfectly collinear ' +
          '(for example two identical indicators in a mode B construct, or predictors of a construct whose scores coincide). ' +
          'Remove the duplicated indicator or path.',
      );
    }
    throw e;
  }
}

function fitPrepared({ cm, settings, raw, n }: PreparedFit): PlsResult {
  const X = standardizeColumns(raw, cm.items);
  const itemR = correlationOfStandardized(X);
  const fit = fitCore(itemR, cm, settings);
  const scores = cm.blocks.map((b, j) => composite(X, b, fit.weights[j], n));
  const C = cm.constructs;
  const k = C.length;

  const paths: NamedMatrix = {};
  for (const [a, b] of cm.paths) (paths[C[a]] ??= {})[C[b]] = fit.B[a][b];

  const rSquared: Record<string, number> = {};
  const rSquaredAdj: Record<string, number> = {};
  for (const b of cm.endogenous) {
    const p = cm.preds[b].length;
    rSquared[C[b]] = fit.r2[b];
    rSquaredAdj[C[b]] = 1 - ((1 - fit.r2[b]) * (n - 1)) / (n - p - 1);
  }

  const loads = blockLoadings(itemR, cm, fit);
  const outerWeights: NamedMatrix = {};
  const loadings: NamedMatrix = {};
  cm.blocks.forEach((b, j) => {
    outerWeights[C[j]] = toRecord(b.map((h) => cm.items[h]), Array.from(fit.weights[j]));
    loadings[C[j]] = toRecord(b.map((h) => cm.items[h]), loads[j]);
  });
  const crossLoadings: NamedMatrix = {};
  cm.items.forEach((item, h) => {
    crossLoadings[item] = toRecord(C, cm.blocks.map((b, j) => itemBlockCov(itemR, h, b, fit.weights[j])));
  });

  const T = totalEffectsMatrix(fit.B);
  const L = routeLengths(cm);
  const totalEffects: NamedMatrix = {};
  const indirectEffects: NamedMatrix = {};
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (L[i][j] >= 1) (totalEffects[C[i]] ??= {})[C[j]] = T[i][j];
      if (L[i][j] >= 2) (indirectEffects[C[i]] ??= {})[C[j]] = T[i][j] - fit.B[i][j];
    }
  }

  const constructCorrelations: NamedMatrix = {};
  C.forEach((c, i) => (constructCorrelations[c] = toRecord(C, fit.R[i])));

  // Quality criteria
  const cronbachAlpha: Record<string, number> = {};
  const rhoA: Record<string, number> = {};
  const rhoC: Record<string, number> = {};
  const ave: Record<string, number> = {};
  const outerVif: NamedMatrix = {};
  cm.blocks.forEach((b, j) => {
    const Rb = subMatrix(itemR, b, b);
    const lam = loads[j];
    cronbachAlpha[C[j]] = cronbachAlphaOf(Rb);
    rhoA[C[j]] = b.length < 2 || cm.modes[j] === 'B' ? 1 : rhoAOf(Rb, fit.weights[j]);
    if (b.length < 2) {
      rhoC[C[j]] = 1;
      ave[C[j]] = 1;
    } else {
      const sl = lam.reduce((s, v) => s + v, 0);
      const err = lam.reduce((s, v) => s + (1 - v * v), 0);
      rhoC[C[j]] = (sl * sl) / (sl * sl + err);
      ave[C[j]] = lam.reduce((s, v) => s + v * v, 0) / lam.length;
    }
    outerVif[C[j]] = toRecord(b.map((h) => cm.items[h]), vifsOf(Rb));
  });

  const htmt: NamedMatrix = {};
  const fornellLarcker: NamedMatrix = {};
  for (let i = 0; i < k; i++) {
    htmt[C[i]] = {};
    fornellLarcker[C[i]] = {};
    for (let j = 0; j < k; j++) {
      if (i !== j) htmt[C[i]][C[j]] = htmtOf(itemR, cm.blocks[i], cm.blocks[j]);
      fornellLarcker[C[i]][C[j]] = i === j ? Math.sqrt(ave[C[i]]) : fit.R[i][j];
    }
  }

  const innerVif: NamedMatrix = {};
  for (const b of cm.endogenous) {
    const P = cm.preds[b];
    innerVif[C[b]] = toRecord(P.map((p) => C[p]), vifsOf(subMatrix(fit.R, P, P)));
  }

  const fSquare: NamedMatrix = {};
  for (const [a, b] of cm.paths) {
    const reduced = withoutPath(cm, [a, b]);
    let r2Excluded = 0;
    if (reduced.preds[b].length > 0) r2Excluded = fitCore(itemR, reduced, settings).r2[b];
    (fSquare[C[a]] ??= {})[C[b]] = (fit.r2[b] - r2Excluded) / (1 - fit.r2[b]);
  }

  return {
    n,
    scheme: settings.scheme,
    constructs: [...C],
    paths,
    rSquared,
    rSquaredAdj,
    outerWeights,
    loadings,
    crossLoadings,
    totalEffects,
    indirectEffects,
    scores: toRecord(C, scores.map((sc) => Array.from(sc))),
    constructCorrelations,
    iterations: fit.iterations,
    converged: fit.converged,
    quality: {
      cronbachAlpha,
      rhoA,
      rhoC,
      ave,
      htmt,
      fornellLarcker,
      vif: { outer: outerVif, inner: innerVif },
      fSquare,
    },
  };
}

// ───────────────────────────── Student t distribution ─────────────────────────────

function lnGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), |error| < 1e-15 for x > 0.5
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the regularised incomplete beta (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (df = Infinity → normal). */
export function tTwoSidedPValue(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  if (!(df > 0)) return Number.NaN;
  if (!Number.isFinite(df)) return erfc(Math.abs(t) / Math.SQRT2);
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

function erfc(x: number): number {
  // erfc via the incomplete gamma relation erfc(x) = Q(1/2, x²), computed from the beta-free
  // continued fraction of Numerical Recipes (erfcc has ~1e-7 error; this one is ~1e-15).
  if (x < 0) return 2 - erfc(-x);
  if (x === 0) return 1;
  const a = 0.5;
  const z = x * x;
  if (z < a + 1) {
    // series for P(a, z)
    let sum = 1 / a;
    let del = sum;
    for (let n = 1; n < 1000; n++) {
      del *= z / (a + n);
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(-z + a * Math.log(z) - lnGamma(a));
  }
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-z + a * Math.log(z) - lnGamma(a)) * h;
}

// ───────────────────────────── bootstrap ─────────────────────────────

export interface BootstrapStat {
  original: number;
  mean: number;
  /** Bootstrap standard error: SD (n − 1) of the resample estimates. */
  se: number;
  /** original / se (HTMT: (1 − original) / se, as seminr). NaN when se is ~0. */
  t: number;
  /**
   * Two-sided p of t from Student's t with (successful resamples − 1) df — the rule of
   * older seminr versions (2·pt(−|t|, nboot − 1)); with ≥ 100 resamples it is within a few
   * per mille of the normal p that SmartPLS reports.
   */
  p: number;
  /**
   * seminr's bootstrap p: 2·min(P*(b ≤ 0), P*(b > 0)) over the resamples
   * (HTMT: 2·min(P*(b < 1), P*(b ≥ 1))).
   */
  pBootstrap: number;
  /** Percentile confidence interval (R quantile type 7), level from opts.alpha. */
  ciLower: number;
  ciUpper: number;
}

export interface BootstrapOptions extends PlsOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Integer seed (default 123). Resample i uses R's `set.seed(seed + i)`. */
  seed?: number;
  /** Two-sided level of the percentile CI (default 0.05 → 95 %). */
  alpha?: number;
  onProgress?: (done: number, total: number) => void;
  /** Checked before every resample; set `cancelled = true` to stop with a PlsCancelledError. */
  signal?: { cancelled: boolean };
}

export interface BootstrapResult {
  resamples: number;
  /** Resamples that produced an estimate (a resample fails when, e.g., an item is constant in it). */
  successful: number;
  failed: number;
  seed: number;
  scheme: InnerScheme;
  paths: Record<string, Record<string, BootstrapStat>>;
  loadings: Record<string, Record<string, BootstrapStat>>;
  outerWeights: Record<string, Record<string, BootstrapStat>>;
  totalEffects: Record<string, Record<string, BootstrapStat>>;
  /** htmt[a][b] for a before b in the construct order. */
  htmt: Record<string, Record<string, BootstrapStat>>;
}

export class PlsCancelledError extends Error {
  constructor() {
    super('The bootstrap was cancelled.');
    this.name = 'PlsCancelledError';
  }
}

interface ParamRef {
  group: 'paths' | 'loadings' | 'outerWeights' | 'totalEffects' | 'htmt';
  row: string;
  col: string;
  original: number;
}

/** The flat parameter vector drawn in each resample, in a fixed order. */
function parameterVector(cm: CompiledModel, itemR: number[][], fit: CoreFit, reach: number[][]): number[] {
  const v: number[] = [];
  for (const [a, b] of cm.paths) v.push(fit.B[a][b]);
  const loads = blockLoadings(itemR, cm, fit);
  for (const l of loads) v.push(...l);
  for (const w of fit.weights) v.push(...w);
  const T = totalEffectsMatrix(fit.B);
  const k = cm.constructs.length;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (reach[i][j] >= 1) v.push(T[i][j]);
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) v.push(htmtOf(itemR, cm.blocks[i], cm.blocks[j]));
  return v;
}

function parameterRefs(cm: CompiledModel, original: number[], reach: number[][]): ParamRef[] {
  const C = cm.constructs;
  const refs: Omit<ParamRef, 'original'>[] = [];
  for (const [a, b] of cm.paths) refs.push({ group: 'paths', row: C[a], col: C[b] });
  cm.blocks.forEach((b, j) => b.forEach((h) => refs.push({ group: 'loadings', row: C[j], col: cm.items[h] })));
  cm.blocks.forEach((b, j) => b.forEach((h) => refs.push({ group: 'outerWeights', row: C[j], col: cm.items[h] })));
  const k = C.length;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (reach[i][j] >= 1) refs.push({ group: 'totalEffects', row: C[i], col: C[j] });
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) refs.push({ group: 'htmt', row: C[i], col: C[j] });
  return refs.map((r, i) => ({ ...r, original: original[i] }));
}

function summarize(original: number, draws: Float64Array, alpha: number, nullValue: number, htmtStyle: boolean): BootstrapStat {
  const B = draws.length;
  const m = B > 0 ? mean(draws) : Number.NaN;
  const se = B > 1 ? sampleSd(draws) : Number.NaN;
  const diff = htmtStyle ? nullValue - original : original - nullValue;
  let t = diff / se;
  // seminr reports NA when the SE is numerical noise (single-item loadings and weights are exactly 1)
  if (!Number.isFinite(t) || Math.abs(t) > 999_999_999) t = Number.NaN;
  let below = 0;
  for (let i = 0; i < B; i++) if (htmtStyle ? draws[i] < nullValue : draws[i] <= nullValue) below++;
  const pBootstrap = B > 0 ? 2 * Math.min(below / B, (B - below) / B) : Number.NaN;
  const sorted = Float64Array.from(draws).sort();
  return {
    original,
    mean: m,
    se,
    t,
    p: Number.isNaN(t) ? Number.NaN : tTwoSidedPValue(t, B - 1),
    pBootstrap,
    ciLower: quantileSorted(sorted, alpha / 2),
    ciUpper: quantileSorted(sorted, 1 - alpha / 2),
  };
}

interface BootstrapRun {
  total: number;
  step(i: number): void;
  finish(): BootstrapResult;
}

function startBootstrap(data: SurveyData, model: PlsModelSpec, opts: BootstrapOptions): BootstrapRun {
  const { cm, settings, raw, n } = prepareFit(data, model, opts);
  const total = opts.resamples ?? 1000;
  if (!Number.isInteger(total) || total < 2) throw new Error(`The bootstrap needs an integer number of resamples ≥ 2, got ${total}.`);
  const seed = opts.seed ?? 123;
  if (!Number.isInteger(seed)) throw new Error(`The bootstrap seed must be an integer, got ${seed}.`);
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be between 0 and 1, got ${alpha}.`);

  const X = standardizeColumns(raw, cm.items);
  const itemR = correlationOfStandardized(X);
  const reach = routeLengths(cm);
  const original = parameterVector(cm, itemR, fitCore(itemR, cm, settings), reach);
  const refs = parameterRefs(cm, original, reach);
  const draws = refs.map(() => new Float64Array(total));
  let ok = 0;

  return {
    total,
    step(i: number): void {
      // Resample i (1-based) = R's set.seed(seed + i); sample.int(n, replace = TRUE), as seminr.
      const rows = resampleIndices(n, seed + i);
      let v: number[];
      try {
        const Xb = standardizeColumns(raw, cm.items, rows);
        const Rb = correlationOfStandardized(Xb);
        v = parameterVector(cm, Rb, fitCore(Rb, cm, settings), reach);
      } catch (e) {
        if (e instanceof ConstantIndicatorError || e instanceof SingularMatrixError || e instanceof DegenerateProxyError) return;
        throw e;
      }
      if (!v.every(Number.isFinite)) return;
      for (let p = 0; p < v.length; p++) draws[p][ok] = v[p];
      ok++;
    },
    finish(): BootstrapResult {
      if (ok < 2) throw new Error(`Only ${ok} of ${total} bootstrap resamples could be estimated; the data are too small or degenerate for a bootstrap.`);
      const out: BootstrapResult = {
        resamples: total,
        successful: ok,
        failed: total - ok,
        seed,
        scheme: settings.scheme,
        paths: {},
        loadings: {},
        outerWeights: {},
        totalEffects: {},
        htmt: {},
      };
      refs.forEach((r, p) => {
        const isHtmt = r.group === 'htmt';
        (out[r.group][r.row] ??= {})[r.col] = summarize(r.original, draws[p].subarray(0, ok), alpha, isHtmt ? 1 : 0, isHtmt);
      });
      return out;
    },
  };
}

/**
 * Bootstrap standard errors, t and p values and percentile CIs for paths, loadings,
 * outer weights, total effects and HTMT. Resample i is drawn exactly like seminr's
 * bootstrap_model(seed = seed) draws it (R's Mersenne-Twister with set.seed(seed + i)),
 * so the same seed gives the same resamples as seminr and — since the estimator matches
 * too — the same bootstrap table. No sign-change correction (seminr's and SmartPLS's
 * default). Resamples that cannot be estimated (an item constant within the resample,
 * perfectly collinear predictors) are skipped and counted in `failed`, as seminr does.
 * `onProgress` runs after every resample; throttle it in the caller if it posts messages.
 * Synchronous; for a worker that must react to cancel messages use bootstrapPlsAsync.
 */
export function bootstrapPls(data: SurveyData, model: PlsModelSpec, opts: BootstrapOptions = {}): BootstrapResult {
  const run = startBootstrap(data, model, opts);
  for (let i = 1; i <= run.total; i++) {
    if (opts.signal?.cancelled) throw new PlsCancelledError();
    run.step(i);
    opts.onProgress?.(i, run.total);
  }
  return run.finish();
}

/** Lets queued messages (e.g. a cancel request to the worker) run; setTimeout(0) is clamped to ≥ 4 ms in browsers. */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Same as bootstrapPls, but yields to the event loop every `yieldEvery` resamples
 * (default 20) so a worker can receive a cancel message that sets `signal.cancelled`.
 * Results are identical to the synchronous version.
 */
export async function bootstrapPlsAsync(
  data: SurveyData,
  model: PlsModelSpec,
  opts: BootstrapOptions & { yieldEvery?: number } = {},
): Promise<BootstrapResult> {
  const run = startBootstrap(data, model, opts);
  const every = Math.max(1, opts.yieldEvery ?? 20);
  for (let i = 1; i <= run.total; i++) {
    if (opts.signal?.cancelled) throw new PlsCancelledError();
    run.step(i);
    opts.onProgress?.(i, run.total);
    if (i % every === 0) await yieldToEventLoop();
  }
  if (opts.signal?.cancelled) throw new PlsCancelledError();
  return run.finish();
}

// ───────────────────────────── importance-performance map ─────────────────────────────

export interface IpmaConstruct {
  /** Unstandardised total effect on the target, in 0–100 score points per score point. */
  importance: number;
  /** Standardised total effect on the target (for reference). */
  importanceStandardized: number;
  /** Mean of the 0–100 rescaled construct score. */
  performance: number;
}

export interface IpmaIndicator {
  construct: string;
  /** Rescaled outer weight × the construct's importance. */
  importance: number;
  /** Mean of the 0–100 rescaled indicator. */
  performance: number;
  /** Unstandardised outer weight, normalised to sum to 1 within the construct. */
  rescaledWeight: number;
}

export interface IpmaResult {
  target: string;
  targetPerformance: number;
  /** Every construct with a directed route to the target. */
  constructs: Record<string, IpmaConstruct>;
  /** Indicators of those constructs. */
  indicators: Record<string, IpmaIndicator>;
  /** E.g. negative outer weights, which violate an IPMA requirement. */
  warnings: string[];
}

/**
 * Importance-performance map analysis after Ringle & Sarstedt (2016), "Gain more insight
 * from your PLS-SEM results: The importance-performance map analysis", IMDS 116(9).
 *
 *  - Indicators are rescaled to 0–100 with the scale's theoretical range:
 *    x' = (x − min) / (max − min) · 100.
 *  - Standardised outer weights are unstandardised (w / SD(x')) and normalised to sum to 1
 *    within the construct; the rescaled construct score is Σ w̃·x' and its mean is the
 *    construct's performance (0–100).
 *  - Importance is the unstandardised total effect on the target, i.e. the total effect
 *    in the structural model re-expressed on the rescaled scores. Because every rescaled
 *    score is an increasing affine function of the standardised score, this equals the
 *    standardised total effect × SD(target′) / SD(construct′); computing it this way gives
 *    exactly the OLS coefficients SmartPLS obtains on the rescaled scores.
 *  - Indicator importance = rescaled weight × the construct's importance.
 *
 * (seminrExtras::assess_ipma normalises the standardised weights instead of the
 * unstandardised ones; the two agree when a block's items have equal SDs.)
 */
export function importancePerformance(
  data: SurveyData,
  model: PlsModelSpec,
  result: PlsResult,
  target: string,
  scale: Record<string, { min: number; max: number }>,
): IpmaResult {
  const cm = compileModel(model, data);
  const C = cm.constructs;
  const t = C.indexOf(target);
  if (t < 0) throw new Error(`IPMA target "${target}" is not a construct of the model.`);
  if (cm.preds[t].length === 0) throw new Error(`IPMA target "${target}" has no predecessors; choose an endogenous construct.`);
  for (const c of C) {
    if (!result.outerWeights[c]) throw new Error(`The PLS result does not belong to this model (construct "${c}" is missing); re-run fitPls.`);
  }
  const { cols, n } = rawColumns(data, cm.items);
  if (n !== result.n) throw new Error(`IPMA needs the same rows the model was fitted on: the data have ${n} rows, the model ${result.n}.`);

  const warnings: string[] = [];
  const missingScale = cm.items.filter((it) => !scale[it]);
  if (missingScale.length) {
    throw new Error(`IPMA needs the answer scale (min and max) of every indicator; missing for ${missingScale.join(', ')}.`);
  }
  const rescaled = cm.items.map((item, h) => {
    const { min, max } = scale[item];
    if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) {
      throw new Error(`The scale of "${item}" must have max > min (got min ${min}, max ${max}).`);
    }
    const col = cols[h];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v < min || v > max) {
        throw new Error(`Indicator "${item}" has the value ${v} (row ${i + 1}) outside its scale ${min}–${max}; correct the scale or the data.`);
      }
      out[i] = ((v - min) / (max - min)) * 100;
    }
    return out;
  });

  // Rescaled construct scores (weights: unstandardised, normalised to sum 1)
  const rescaledWeights: number[][] = [];
  const perf: number[] = [];
  const sdScore: number[] = [];
  cm.blocks.forEach((b, j) => {
    const w = b.map((h) => result.outerWeights[C[j]][cm.items[h]]);
    if (w.some((v) => v === undefined || !Number.isFinite(v))) throw new Error(`The PLS result has no outer weights for construct "${C[j]}"; re-run fitPls.`);
    const neg = b.filter((_, i) => w[i] < 0).map((h) => cm.items[h]);
    if (neg.length) {
      warnings.push(`Construct "${C[j]}" has negative outer weights (${neg.join(', ')}); IPMA assumes positive weights, so its performance is hard to interpret.`);
    }
    const unstd = b.map((h, i) => w[i] / sampleSd(rescaled[h]));
    const sum = unstd.reduce((s, v) => s + v, 0);
    const rw = unstd.map((v) => v / sum);
    rescaledWeights.push(rw);
    const score = composite(rescaled, b, rw, n);
    perf.push(mean(score));
    sdScore.push(sampleSd(score));
  });

  const constructs: Record<string, IpmaConstruct> = {};
  const indicators: Record<string, IpmaIndicator> = {};
  for (let j = 0; j < C.length; j++) {
    const te = result.totalEffects[C[j]]?.[target];
    if (te === undefined || j === t) continue;
    const importance = (te * sdScore[t]) / sdScore[j];
    constructs[C[j]] = { importance, importanceStandardized: te, performance: perf[j] };
    cm.blocks[j].forEach((h, i) => {
      indicators[cm.items[h]] = {
        construct: C[j],
        importance: rescaledWeights[j][i] * importance,
        performance: mean(rescaled[h]),
        rescaledWeight: rescaledWeights[j][i],
      };
    });
  }
  return { target, targetPerformance: perf[t], constructs, indicators, warnings };
}
