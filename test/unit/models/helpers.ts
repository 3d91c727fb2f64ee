// Shared by the model tests and the CLV fit benchmark: fixture loading and a seeded
// simulator of the BG/NBD purchase process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtureDir = fileURLToPath(new URL('../../fixtures/cdnow/', import.meta.url));

/** Rows of a small numeric CSV with a header line; tolerates a missing final newline and CRLF. */
function readNumericCsv(name: string): number[][] {
  const text = readFileSync(fixtureDir + name, 'utf8');
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map(Number));
}

export interface CdnowCustomer {
  id: number;
  x: number;
  tx: number;
  T: number;
}

/** cdnow_customers_summary.csv: ID, frequency, recency, T (weeks). */
export function loadCdnowSummary(): CdnowCustomer[] {
  return readNumericCsv('cdnow_customers_summary.csv').map(([id, x, tx, T]) => ({ id, x, tx, T }));
}

/** cdnow_customers_summary_with_transactions.csv: ID, x, t_x, T, zbar. */
export function loadCdnowWithSpend(): (CdnowCustomer & { mx: number })[] {
  return readNumericCsv('cdnow_customers_summary_with_transactions.csv').map(([id, x, tx, T, mx]) => ({
    id,
    x,
    tx,
    T,
    mx,
  }));
}

/** mulberry32: small, fast, seeded PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  // Box–Muller
  let a = 0;
  while (a === 0) a = u();
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, scale 1) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function gammaVariate(u: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(u, shape + 1) * Math.pow(u() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export interface SimulationOptions {
  n: number;
  params: { r: number; alpha: number; a: number; b: number };
  /** Customers' ages T are uniform on [minT, maxT]. */
  minT: number;
  maxT: number;
  /** Round times to this grid (e.g. 1/7 for days on a weekly scale), as summaries built from dates are. */
  grid?: number;
  seed?: number;
}

/**
 * Customers drawn from the BG/NBD process (FHL 2005 assumptions): λ ~ Gamma(r, rate α),
 * p ~ Beta(a, b); purchases follow a Poisson process with rate λ, and after each repeat
 * purchase the customer drops out with probability p.
 */
export function simulateBgNbd(opts: SimulationOptions): { x: number; tx: number; T: number }[] {
  const u = rng(opts.seed ?? 1);
  const { r, alpha, a, b } = opts.params;
  const out: { x: number; tx: number; T: number }[] = new Array(opts.n);
  const snap = (t: number) => (opts.grid ? Math.round(t / opts.grid) * opts.grid : t);
  for (let i = 0; i < opts.n; i++) {
    const lambda = gammaVariate(u, r) / alpha;
    const ga = gammaVariate(u, a);
    const p = ga / (ga + gammaVariate(u, b));
    const T = snap(opts.minT + (opts.maxT - opts.minT) * u());
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      if (!(t <= T)) break;
      x++;
      tx = t;
      if (u() < p) break; // dropped out right after this purchase
    }
    tx = x > 0 ? Math.min(snap(tx), T) : 0;
    out[i] = { x, tx, T };
  }
  return out;
}
