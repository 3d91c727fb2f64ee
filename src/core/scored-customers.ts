// The scored customers in memory: a columnar copy of customer_rfm (one row per scored customer,
// in DuckDB's customer_id order) from which every settings-dependent view is computed in plain
// TypeScript — scores, ABC classes, lifecycle stages, the segmentation cube, the cross-tab and the
// explorer's pages.
//
// Why not SQL: a settings change (bins, thresholds, scheme, cut-offs, windows) must update every
// view of the Segments tab within 100 ms at 100k customers. The SQL for it is cheap but each query
// still pays DuckDB-WASM's planning and result transfer, and the three views queue one after the
// other in the single engine worker (measured 30–90 ms each at 100k). The arithmetic below is one
// pass over typed arrays (a few ms at 100k). It is the same arithmetic as src/core/sql/rfm.ts
// (rfmScoreSql, abcClassSql, lifecycleStageSql) and segment-views.ts (segmentCubeSql,
// crossTabCubeSql, customerPageSql): the tests run both on the same data and compare. The SQL stays
// the reference for the exports and the DuckDB script.
import type { CubeCell } from './segment-cube';
import { effectiveBins, type SegmentationOptions } from './segmentation-options';
import { rfmCode } from './sql/rfm';
import { CUSTOMER_SORT_COLUMNS, MAX_PAGE_SIZE, type CustomerFilter, type CustomerQuery, type CustomerSortColumn } from './sql/segment-views';

const DAY_MS = 86_400_000;

/** customer_rfm as columns. Index i is the i-th customer in customer_id order (DuckDB's VARCHAR order). */
export interface ScoredCustomers {
  n: number;
  ids: string[];
  /** Days since 1970-01-01. */
  firstDay: Int32Array;
  lastDay: Int32Array;
  recency: Int32Array;
  frequency: Int32Array;
  monetary: Float64Array;
  aov: Float64Array;
  tenure: Int32Array;
  /** Numerators of cume_dist() per dimension (see rfm.ts): # customers ranked at or before this one. */
  rRank: Int32Array;
  fRank: Int32Array;
  mRank: Int32Array;
  /** ABC running share before this customer; NaN when the total is not positive (→ class C). */
  cumBefore: Float64Array;
  /** Lazily built: ascending sort orders of the base columns, lower-cased ids for search. */
  cache: { orders: Map<string, Uint32Array>; lowerIds?: string[] };
}

/** The SELECT that feeds fromColumns, in customer_id order. */
export function scoredCustomersSql(table: string): string {
  return `SELECT customer_id,
  CAST(first_purchase - DATE '1970-01-01' AS INTEGER) AS first_day,
  CAST(last_purchase - DATE '1970-01-01' AS INTEGER) AS last_day,
  recency_days, frequency, monetary, avg_order_value, tenure_days, r_rank, f_rank, m_rank,
  CAST(coalesce(cum_before, 'NaN'::DOUBLE) AS DOUBLE) AS cum_before
FROM ${table}
ORDER BY customer_id`;
}

export interface ScoredCustomerColumns {
  customer_id: ArrayLike<string>;
  first_day: ArrayLike<number>;
  last_day: ArrayLike<number>;
  recency_days: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
  avg_order_value: ArrayLike<number>;
  tenure_days: ArrayLike<number>;
  r_rank: ArrayLike<number>;
  f_rank: ArrayLike<number>;
  m_rank: ArrayLike<number>;
  cum_before: ArrayLike<number>;
}

export function fromColumns(c: ScoredCustomerColumns): ScoredCustomers {
  const n = c.customer_id.length;
  return {
    n,
    ids: Array.from(c.customer_id, String),
    firstDay: ownInt32(c.first_day),
    lastDay: ownInt32(c.last_day),
    recency: ownInt32(c.recency_days),
    frequency: ownInt32(c.frequency),
    monetary: ownFloat64(c.monetary),
    aov: ownFloat64(c.avg_order_value),
    tenure: ownInt32(c.tenure_days),
    rRank: ownInt32(c.r_rank),
    fRank: ownInt32(c.f_rank),
    mRank: ownInt32(c.m_rank),
    // From DuckDB a Float64Array without NULLs (scoredCustomersSql); copied as such, as a per-value
    // callback costs ~25 ms at 100k customers.
    cumBefore: c.cum_before instanceof Float64Array ? ownFloat64(c.cum_before) : Float64Array.from(c.cum_before, (v) => (v === null || v === undefined ? NaN : v)),
    cache: { orders: new Map() },
  };
}

/**
 * A typed array that owns its whole buffer is taken as it is: Arrow makes one for a column of
 * several record batches (the 500k customers of 5M rows), and copying it again made ~30 MB more
 * garbage. A view into a query result's bytes (a column of one batch) or any other array is
 * copied, so that the result can be freed.
 */
function owned<T extends Int32Array | Float64Array>(v: ArrayLike<number>, type: { new (n: number): T; from(v: ArrayLike<number>): T }): T {
  if (v instanceof type && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) return v as T;
  return type.from(v);
}
const ownInt32 = (v: ArrayLike<number>) => owned(v, Int32Array);
const ownFloat64 = (v: ArrayLike<number>) => owned(v, Float64Array);

export const ABC_IDS = ['A', 'B', 'C'] as const;
export const STAGE_IDS = ['new', 'active', 'silent', 'churned'] as const;

/** Scores, class and stage of every customer for one set of settings. */
export interface Scores {
  levels: number;
  r: Uint16Array;
  f: Uint16Array;
  m: Uint16Array;
  /** Index into ABC_IDS / STAGE_IDS. */
  abc: Uint8Array;
  stage: Uint8Array;
}

/**
 * Scores as rfmScoreSql: ceil(bins · rank / n) in integers, or 1 + the number of thresholds
 * passed; class and stage as abcClassSql and lifecycleStageSql. Plain loops over typed arrays
 * (this runs once per settings change, often before the JIT has optimised it).
 */
export function scoreCustomers(base: ScoredCustomers, o: SegmentationOptions): Scores {
  return { ...rfmScores(base, o), abc: abcClasses(base, o.abc), stage: lifecycleStages(base, o.lifecycle) };
}

/** The three scores (they depend on bins / thresholds only; the caller may keep them while those stay). */
export function rfmScores(base: ScoredCustomers, o: Pick<SegmentationOptions, 'bins' | 'thresholds'>): Pick<Scores, 'levels' | 'r' | 'f' | 'm'> {
  const { n } = base;
  const r = new Uint16Array(n);
  const f = new Uint16Array(n);
  const m = new Uint16Array(n);
  if (o.thresholds) {
    thresholdScores(base.recency, o.thresholds.r, r, true);
    thresholdScores(base.frequency, o.thresholds.f, f, false);
    thresholdScores(base.monetary, o.thresholds.m, m, false);
  } else {
    binScores(base.rRank, o.bins, r);
    binScores(base.fRank, o.bins, f);
    binScores(base.mRank, o.bins, m);
  }
  return { levels: effectiveBins(o), r, f, m };
}

/** Index into ABC_IDS per customer; NaN cum_before (no positive total) → C, as SQL's NULL. */
export function abcClasses(base: ScoredCustomers, cutoffs: SegmentationOptions['abc']): Uint8Array {
  const { a, b } = cutoffs;
  const cum = base.cumBefore;
  const out = new Uint8Array(base.n);
  for (let i = 0; i < base.n; i++) {
    const c = cum[i];
    out[i] = c < a ? 0 : c < b ? 1 : 2;
  }
  return out;
}

/** Index into STAGE_IDS per customer. */
export function lifecycleStages(base: ScoredCustomers, windows: SegmentationOptions['lifecycle']): Uint8Array {
  const { newDays, activeDays, silentDays } = windows;
  const { recency, tenure } = base;
  const out = new Uint8Array(base.n);
  for (let i = 0; i < base.n; i++) {
    const rec = recency[i];
    out[i] = tenure[i] <= newDays ? 0 : rec <= activeDays ? 1 : rec <= silentDays ? 2 : 3;
  }
  return out;
}

function binScores(rank: Int32Array, bins: number, out: Uint16Array): void {
  const n = rank.length;
  // bins · rank + n − 1 < 2^31 for n < ~200M customers: exact in doubles anyway.
  for (let i = 0; i < n; i++) out[i] = Math.floor((bins * rank[i] + n - 1) / n);
}

/** R: 1 + #{cut ≥ recency}; F, M: 1 + #{cut ≤ value}. */
function thresholdScores(values: Int32Array | Float64Array, cuts: readonly number[], out: Uint16Array, atMost: boolean): void {
  out.fill(1);
  for (const cut of cuts) {
    for (let i = 0; i < values.length; i++) if (atMost ? values[i] <= cut : values[i] >= cut) out[i]++;
  }
}

/** A dense index of a score triple (scores are 1..levels). */
const cellIndex = (s: Scores, i: number) => ((s.r[i] - 1) * s.levels + (s.f[i] - 1)) * s.levels + (s.m[i] - 1);

/**
 * The cube of core/segment-cube.ts, exactly what segmentCubeSql returns (row order aside):
 * accumulated in dense typed arrays over (score cell, class, stage) — at most 10³ × 3 × 4 slots.
 */
export function scoreCube(base: ScoredCustomers, s: Scores): CubeCell[] {
  const L = s.levels;
  const slots = L * L * L * 12;
  const customers = new Uint32Array(slots);
  const revenue = new Float64Array(slots);
  const recencySum = new Float64Array(slots);
  const frequencySum = new Float64Array(slots);
  const minRec = new Float64Array(slots).fill(Infinity);
  const maxRec = new Float64Array(slots).fill(-Infinity);
  const minFreq = new Float64Array(slots).fill(Infinity);
  const maxFreq = new Float64Array(slots).fill(-Infinity);
  const minMon = new Float64Array(slots).fill(Infinity);
  const maxMon = new Float64Array(slots).fill(-Infinity);
  const { recency, frequency, monetary } = base;
  const { r, f, m, abc, stage } = s;
  for (let i = 0; i < base.n; i++) {
    const k = (((r[i] - 1) * L + (f[i] - 1)) * L + (m[i] - 1)) * 12 + abc[i] * 4 + stage[i];
    const rec = recency[i];
    const fr = frequency[i];
    const mon = monetary[i];
    customers[k]++;
    revenue[k] += mon;
    recencySum[k] += rec;
    frequencySum[k] += fr;
    if (rec < minRec[k]) minRec[k] = rec;
    if (rec > maxRec[k]) maxRec[k] = rec;
    if (fr < minFreq[k]) minFreq[k] = fr;
    if (fr > maxFreq[k]) maxFreq[k] = fr;
    if (mon < minMon[k]) minMon[k] = mon;
    if (mon > maxMon[k]) maxMon[k] = mon;
  }
  const cells: CubeCell[] = [];
  for (let k = 0; k < slots; k++) {
    if (customers[k] === 0) continue;
    const cell = Math.floor(k / 12);
    cells.push({
      r_score: Math.floor(cell / (L * L)) + 1,
      f_score: (Math.floor(cell / L) % L) + 1,
      m_score: (cell % L) + 1,
      abc_class: ABC_IDS[Math.floor((k % 12) / 4)],
      lifecycle: STAGE_IDS[k % 4],
      customers: customers[k],
      revenue: revenue[k],
      recency_sum: recencySum[k],
      frequency_sum: frequencySum[k],
      min_recency: minRec[k],
      max_recency: maxRec[k],
      min_frequency: minFreq[k],
      max_frequency: maxFreq[k],
      min_monetary: minMon[k],
      max_monetary: maxMon[k],
    });
  }
  return cells;
}

/** One attribute value per customer (the cross-tab dimension), aligned with the base order. */
export interface CustomerAttribute {
  /** Index into values; −1 = no value. */
  codes: Int32Array;
  values: string[];
}

export function attributeFromValues(values: ArrayLike<string | null>): CustomerAttribute {
  const dict = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = dict.get(v);
    if (code === undefined) dict.set(v, (code = dict.size));
    codes[i] = code;
  }
  return { codes, values: [...dict.keys()] };
}

export interface CrossTabCubeRow {
  r_score: number;
  f_score: number;
  m_score: number;
  value: string | null;
  customers: number;
  revenue: number;
}

/** Beyond this many (score cell × value) slots the cross-tab counts in a Map instead of typed arrays. */
const DENSE_CROSS_TAB_SLOTS = 1 << 22;

/** Customers and revenue by scores × attribute value, as crossTabCubeSql (`denseSlots`: for tests). */
export function crossTabCube(base: ScoredCustomers, s: Scores, attr: CustomerAttribute, denseSlots = DENSE_CROSS_TAB_SLOTS): CrossTabCubeRow[] {
  const L = s.levels;
  const width = attr.values.length + 1; // slot 0: no value
  const slots = L * L * L * width;
  const row = (k: number, customers: number, revenue: number): CrossTabCubeRow => {
    const cell = Math.floor(k / width);
    const code = (k % width) - 1;
    return {
      r_score: Math.floor(cell / (L * L)) + 1,
      f_score: (Math.floor(cell / L) % L) + 1,
      m_score: (cell % L) + 1,
      value: code < 0 ? null : attr.values[code],
      customers,
      revenue,
    };
  };
  const { r, f, m } = s;
  const { codes } = attr;
  const { monetary } = base;
  const out: CrossTabCubeRow[] = [];
  if (slots <= denseSlots) {
    const customers = new Uint32Array(slots);
    const revenue = new Float64Array(slots);
    for (let i = 0; i < base.n; i++) {
      const k = (((r[i] - 1) * L + (f[i] - 1)) * L + (m[i] - 1)) * width + codes[i] + 1;
      customers[k]++;
      revenue[k] += monetary[i];
    }
    for (let k = 0; k < slots; k++) if (customers[k] > 0) out.push(row(k, customers[k], revenue[k]));
    return out;
  }
  const acc = new Map<number, [number, number]>();
  for (let i = 0; i < base.n; i++) {
    const k = (((r[i] - 1) * L + (f[i] - 1)) * L + (m[i] - 1)) * width + codes[i] + 1;
    const a = acc.get(k);
    if (a) {
      a[0]++;
      a[1] += monetary[i];
    } else acc.set(k, [1, monetary[i]]);
  }
  for (const [k, [customers, revenue]] of acc) out.push(row(k, customers, revenue));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Explorer pages (customerPageSql's semantics: whitelisted sort, ties by customer id in the same
// direction, LIMIT/OFFSET; filters ANDed; search = case-insensitive literal substring of the id).
// ---------------------------------------------------------------------------------------------

/** The segment id of each score cell (index cellIndex), for the scheme and means in force. */
export type CellSegments = (r: number, f: number, m: number) => string;

export interface PageRequest {
  query: CustomerQuery;
  segmentOf: CellSegments;
  attribute: CustomerAttribute | null;
}

export interface ScoredCustomerRow {
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

/**
 * Per base column, an integer sort key with the column's order (equal values, equal keys), and
 * its bound: the integer columns themselves (offset to 0), monetary through m_rank (the number of
 * customers with monetary ≤ this one's, from DuckDB, so ties are DuckDB's ties). Sorting by such a
 * key is a counting sort, O(n + bound): ~2 ms at 100k where a comparator sort takes ~80 ms.
 */
const INTEGER_SORT: Partial<Record<CustomerSortColumn, (b: ScoredCustomers) => Int32Array>> = {
  first_purchase: (b) => b.firstDay,
  last_purchase: (b) => b.lastDay,
  recency_days: (b) => b.recency,
  frequency: (b) => b.frequency,
  monetary: (b) => b.mRank,
};

/** Ascending by the column, ties by id (= index); cached per base. */
function baseOrder(base: ScoredCustomers, column: CustomerSortColumn): Uint32Array | null {
  const integer = INTEGER_SORT[column];
  if (!integer && column !== 'avg_order_value') return null;
  let order = base.cache.orders.get(column);
  if (order) return order;
  const n = base.n;
  if (integer) {
    const v = integer(base);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
    const keys = new Uint32Array(n);
    for (let i = 0; i < n; i++) keys[i] = v[i] - lo;
    order = countingOrder(keys, n === 0 ? 0 : hi - lo + 1);
  } else {
    // A double without a rank: sort the indices by value (once per base, on first use).
    const v = base.aov;
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => v[x] - v[y] || x - y);
  }
  base.cache.orders.set(column, order);
  return order;
}

/** The Pareto (ABC) curve and the top-share reading; see paretoCurveSql and topShareSql. */
export interface ParetoReading {
  /** Per bucket of ranks, its last rank and the revenue share of the customers up to it. */
  curve: { rank: number; cumShare: number }[];
  /** The top `share` of customers (rounded up, at least one) and their revenue share; null without revenue. */
  top: { customers: number; revenueShare: number } | null;
}

/**
 * paretoCurveSql(maxPoints) and topShareSql(share) over the base, in one pass: customers by
 * monetary descending, ties by customer_id (the base order, kept by the stable counting sort on
 * m_rank, which is DuckDB's own tie rule); the running revenue share; the curve keeps the last rank
 * of each of ≤ maxPoints buckets ((rank · maxPoints + n − 1) // n), as the SQL's GROUP BY does.
 * The share is null (curve: 0) when the total is 0, as the SQL's nullif(total, 0). The total is
 * summed in rank order, so the last point is exactly 1.
 */
export function paretoReading(base: ScoredCustomers, maxPoints: number, share: number): ParetoReading {
  const n = base.n;
  if (n === 0) return { curve: [], top: null };
  const { mRank, monetary } = base;
  // Descending monetary = ascending (n − m_rank); ties stay in id order.
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = n - mRank[i];
  const order = countingOrder(keys, n);
  let total = 0;
  for (let k = 0; k < n; k++) total += monetary[order[k]];
  const topRank = Math.max(1, Math.ceil(n * share - 1e-9));
  const curve: ParetoReading['curve'] = [];
  let top: ParetoReading['top'] = null;
  let running = 0;
  for (let rank = 1; rank <= n; rank++) {
    running += monetary[order[rank - 1]];
    const cumShare = total === 0 ? null : running / total;
    if (rank === topRank && cumShare !== null) top = { customers: rank, revenueShare: cumShare };
    const bucket = Math.floor((rank * maxPoints + n - 1) / n);
    const next = rank === n ? -1 : Math.floor(((rank + 1) * maxPoints + n - 1) / n);
    if (bucket !== next) curve.push({ rank, cumShare: cumShare ?? 0 });
  }
  return { curve, top };
}

/** Indices ordered by an integer key in [0, bound), stable (ties keep the id order): a counting sort. */
function countingOrder(keys: Uint32Array, bound: number): Uint32Array {
  const n = keys.length;
  const start = new Uint32Array(bound + 1);
  for (let i = 0; i < n; i++) start[keys[i] + 1]++;
  for (let k = 1; k <= bound; k++) start[k] += start[k - 1];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[start[keys[i]]++] = i;
  return order;
}

/** Byte order of UTF-8 text, which is DuckDB's VARCHAR order (JS `<` compares UTF-16 units). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Ranks of distinct labels in UTF-8 order. */
function labelRanks(labels: Iterable<string>): Map<string, number> {
  return new Map([...new Set(labels)].sort(compareUtf8).map((l, i) => [l, i]));
}

function sortOrder(base: ScoredCustomers, s: Scores, sort: CustomerSortColumn, segmentOf: CellSegments): Uint32Array | null {
  if (sort === 'customer_id') return null; // the base order
  const ordered = baseOrder(base, sort);
  if (ordered) return ordered;
  const L = s.levels;
  const n = base.n;
  const keys = new Uint32Array(n);
  let bound = L + 1;
  switch (sort) {
    case 'r_score':
      keys.set(s.r);
      break;
    case 'f_score':
      keys.set(s.f);
      break;
    case 'm_score':
      keys.set(s.m);
      break;
    case 'abc_class':
      keys.set(s.abc);
      bound = ABC_IDS.length;
      break;
    case 'lifecycle': {
      const rank = labelRanks(STAGE_IDS);
      const byStage = STAGE_IDS.map((id) => rank.get(id)!);
      for (let i = 0; i < n; i++) keys[i] = byStage[s.stage[i]];
      bound = STAGE_IDS.length;
      break;
    }
    case 'rfm_code':
    case 'segment': {
      const label = (r: number, f: number, m: number) => (sort === 'segment' ? segmentOf(r, f, m) : rfmCode(r, f, m, L));
      const cellLabel: string[] = [];
      for (let r = 1; r <= L; r++) for (let f = 1; f <= L; f++) for (let m = 1; m <= L; m++) cellLabel.push(label(r, f, m));
      const rank = labelRanks(cellLabel);
      const cellRank = Uint32Array.from(cellLabel, (l) => rank.get(l)!);
      for (let i = 0; i < n; i++) keys[i] = cellRank[((s.r[i] - 1) * L + (s.f[i] - 1)) * L + (s.m[i] - 1)];
      bound = rank.size;
      break;
    }
    default:
      throw new Error(`Cannot sort customers by ${String(sort)}`);
  }
  return countingOrder(keys, bound);
}

function matcher(base: ScoredCustomers, s: Scores, req: PageRequest): (i: number) => boolean {
  const f: CustomerFilter = req.query.filter ?? {};
  const tests: ((i: number) => boolean)[] = [];
  if (f.segment !== undefined) {
    const L = s.levels;
    const inSegment = new Uint8Array(L * L * L);
    for (let r = 1; r <= L; r++)
      for (let fr = 1; fr <= L; fr++) for (let m = 1; m <= L; m++) inSegment[((r - 1) * L + (fr - 1)) * L + (m - 1)] = req.segmentOf(r, fr, m) === f.segment ? 1 : 0;
    tests.push((i) => inSegment[cellIndex(s, i)] === 1);
  }
  if (f.abc !== undefined) {
    const k = (ABC_IDS as readonly string[]).indexOf(f.abc);
    tests.push((i) => s.abc[i] === k);
  }
  if (f.lifecycle !== undefined) {
    const k = (STAGE_IDS as readonly string[]).indexOf(f.lifecycle);
    tests.push((i) => s.stage[i] === k);
  }
  if (f.r !== undefined) tests.push((i) => s.r[i] === f.r);
  if (f.f !== undefined) tests.push((i) => s.f[i] === f.f);
  if (f.m !== undefined) tests.push((i) => s.m[i] === f.m);
  if (f.attribute) {
    const codes = req.attribute?.codes;
    if (!codes) throw new Error('No attribute loaded for the filter');
    const a = f.attribute;
    if (a.kind === 'none') tests.push((i) => codes[i] < 0);
    else if (a.kind === 'value') {
      const k = req.attribute!.values.indexOf(a.value);
      tests.push((i) => k >= 0 && codes[i] === k);
    } else {
      if (!Array.isArray(a.except)) throw new Error('An "other" attribute filter needs the list of values it excludes');
      const except = new Set(a.except.map(String));
      const shown = Uint8Array.from(req.attribute!.values, (v) => (except.has(v) ? 1 : 0));
      tests.push((i) => codes[i] >= 0 && shown[codes[i]] === 0);
    }
  }
  const q = (req.query.search ?? '').trim().toLowerCase();
  if (q !== '') {
    const lower = (base.cache.lowerIds ??= base.ids.map((id) => id.toLowerCase()));
    tests.push((i) => lower[i].includes(q));
  }
  return (i) => {
    for (const t of tests) if (!t(i)) return false;
    return true;
  };
}

function checkedInt(v: number | undefined, fallback: number, lo: number, hi: number, what: string): number {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < lo || x > hi) throw new Error(`${what} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  return x;
}

/** One explorer page: the matching customers' count and the indices of the page, in order. */
export function customerPage(base: ScoredCustomers, s: Scores, req: PageRequest): { total: number; indices: number[] } {
  const sort = req.query.sort ?? 'monetary';
  if (!CUSTOMER_SORT_COLUMNS.includes(sort)) throw new Error(`Cannot sort customers by ${String(sort)}`);
  const descending = req.query.descending ?? sort === 'monetary';
  const limit = checkedInt(req.query.limit, 50, 1, MAX_PAGE_SIZE, 'limit');
  const offset = checkedInt(req.query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const order = sortOrder(base, s, sort, req.segmentOf);
  const matches = matcher(base, s, req);
  const indices: number[] = [];
  let total = 0;
  for (let k = 0; k < base.n; k++) {
    const pos = descending ? base.n - 1 - k : k;
    const i = order ? order[pos] : pos;
    if (!matches(i)) continue;
    if (total >= offset && indices.length < limit) indices.push(i);
    total++;
  }
  return { total, indices };
}

export function customerRow(base: ScoredCustomers, s: Scores, i: number, segmentOf: CellSegments): ScoredCustomerRow {
  const r = s.r[i];
  const f = s.f[i];
  const m = s.m[i];
  return {
    customer_id: base.ids[i],
    first_purchase: base.firstDay[i] * DAY_MS,
    last_purchase: base.lastDay[i] * DAY_MS,
    recency_days: base.recency[i],
    frequency: base.frequency[i],
    monetary: base.monetary[i],
    avg_order_value: base.aov[i],
    r_score: r,
    f_score: f,
    m_score: m,
    rfm_code: rfmCode(r, f, m, s.levels),
    abc_class: ABC_IDS[s.abc[i]],
    lifecycle: STAGE_IDS[s.stage[i]],
    segment: segmentOf(r, f, m),
  };
}
