// The segmentation "cube": customers grouped by (R score, F score, M score, ABC class, lifecycle
// stage) with counts, sums and ranges — at most levels³ × 3 × 4 rows, whatever the number of
// customers. The cube (core/scored-customers.ts scoreCube, = segmentCubeSql) and this pure
// TypeScript give every summary of the Segments view: a segment is a function of the three scores
// (and the mean scores), so it is assigned per cell with assignSegment — the same rules as the
// SQL CASE — instead of per customer.
import { assignSegment, schemeSegments, type SchemeSpec, type ScoreTriple } from './segments';

export interface CubeCell {
  r_score: number;
  f_score: number;
  m_score: number;
  abc_class: string;
  lifecycle: string;
  customers: number;
  revenue: number;
  recency_sum: number;
  frequency_sum: number;
  min_recency: number;
  max_recency: number;
  min_frequency: number;
  max_frequency: number;
  min_monetary: number;
  max_monetary: number;
}

export interface SegmentStats {
  segment: string;
  customers: number;
  customer_share: number;
  revenue: number;
  /** Of all scored customers' revenue; null when that total is 0. */
  revenue_share: number | null;
  avg_recency_days: number;
  avg_frequency: number;
  avg_monetary: number;
  mean_r: number;
  mean_f: number;
  mean_m: number;
}

export interface GroupStats {
  id: string;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number | null;
  avg_recency_days: number;
  avg_frequency: number;
  avg_monetary: number;
  min_monetary: number;
  max_monetary: number;
}

export interface HeatCell {
  r_score: number;
  f_score: number;
  customers: number;
  mean_monetary: number;
  revenue: number;
}

export interface ScoreBin {
  dim: 'r' | 'f' | 'm';
  score: number;
  customers: number;
  min_value: number;
  max_value: number;
}

export interface CubeSummary {
  customers: number;
  revenue: number;
  means: ScoreTriple | null;
  segments: SegmentStats[];
  abc: GroupStats[];
  lifecycle: GroupStats[];
  heatmap: HeatCell[];
  distributions: ScoreBin[];
}

export const LIFECYCLE_ORDER = ['new', 'active', 'silent', 'churned'] as const;

/**
 * Mean scores over all scored customers exactly as SQL's avg(score) gives them: the integer sum
 * divided once by the count (both exact in a double), so SQL given these means and the TypeScript
 * rules make the same "above the mean" decisions.
 */
export function cubeMeans(cells: readonly Pick<CubeCell, 'r_score' | 'f_score' | 'm_score' | 'customers'>[]): (ScoreTriple & { n: number }) | null {
  let n = 0;
  let r = 0;
  let f = 0;
  let m = 0;
  for (const c of cells) {
    n += c.customers;
    r += c.r_score * c.customers;
    f += c.f_score * c.customers;
    m += c.m_score * c.customers;
  }
  return n > 0 ? { n, r: r / n, f: f / n, m: m / n } : null;
}

interface Acc {
  customers: number;
  revenue: number;
  recency: number;
  frequency: number;
  r: number;
  f: number;
  m: number;
  minMonetary: number;
  maxMonetary: number;
}

const acc = (): Acc => ({ customers: 0, revenue: 0, recency: 0, frequency: 0, r: 0, f: 0, m: 0, minMonetary: Infinity, maxMonetary: -Infinity });

function add(a: Acc, c: CubeCell): void {
  a.customers += c.customers;
  a.revenue += c.revenue;
  a.recency += c.recency_sum;
  a.frequency += c.frequency_sum;
  a.r += c.r_score * c.customers;
  a.f += c.f_score * c.customers;
  a.m += c.m_score * c.customers;
  a.minMonetary = Math.min(a.minMonetary, c.min_monetary);
  a.maxMonetary = Math.max(a.maxMonetary, c.max_monetary);
}

/** The segment id of each cell, in cell order. */
export function cellSegments(cells: readonly Pick<CubeCell, 'r_score' | 'f_score' | 'm_score'>[], spec: SchemeSpec, means: ScoreTriple | null): string[] {
  const memo = new Map<string, string>();
  return cells.map((c) => {
    const key = `${c.r_score}|${c.f_score}|${c.m_score}`;
    let seg = memo.get(key);
    if (seg === undefined) {
      seg = assignSegment(spec, { r: c.r_score, f: c.f_score, m: c.m_score }, means ?? undefined);
      memo.set(key, seg);
    }
    return seg;
  });
}

/** `segmentOf`: the segment of a score triple when the caller has them all already (else the rules run per cell). */
export function summarizeCube(cells: readonly CubeCell[], spec: SchemeSpec, segmentOf?: (r: number, f: number, m: number) => string): CubeSummary {
  const meansN = cubeMeans(cells);
  const means = meansN ? { r: meansN.r, f: meansN.f, m: meansN.m } : null;
  const total = acc();
  for (const c of cells) add(total, c);
  const share = (v: number) => (total.revenue === 0 ? null : v / total.revenue);

  const segments = new Map<string, Acc>();
  const abc = new Map<string, Acc>();
  const stages = new Map<string, Acc>();
  const heat = new Map<string, { r: number; f: number; customers: number; revenue: number }>();
  const dist = new Map<string, ScoreBin>();
  const ids = segmentOf ? cells.map((c) => segmentOf(c.r_score, c.f_score, c.m_score)) : cellSegments(cells, spec, means);
  cells.forEach((c, i) => {
    for (const [map, key] of [
      [segments, ids[i]],
      [abc, c.abc_class],
      [stages, c.lifecycle],
    ] as const) {
      let a = map.get(key);
      if (!a) map.set(key, (a = acc()));
      add(a, c);
    }
    const hk = `${c.r_score}|${c.f_score}`;
    const h = heat.get(hk) ?? { r: c.r_score, f: c.f_score, customers: 0, revenue: 0 };
    h.customers += c.customers;
    h.revenue += c.revenue;
    heat.set(hk, h);
    for (const [dim, score, lo, hi] of [
      ['r', c.r_score, c.min_recency, c.max_recency],
      ['f', c.f_score, c.min_frequency, c.max_frequency],
      ['m', c.m_score, c.min_monetary, c.max_monetary],
    ] as const) {
      const key = `${dim}|${score}`;
      const b = dist.get(key) ?? { dim, score, customers: 0, min_value: Infinity, max_value: -Infinity };
      b.customers += c.customers;
      b.min_value = Math.min(b.min_value, lo);
      b.max_value = Math.max(b.max_value, hi);
      dist.set(key, b);
    }
  });

  // What segments, ABC classes and lifecycle stages all report.
  const common = (a: Acc) => ({
    customers: a.customers,
    customer_share: a.customers / total.customers,
    revenue: a.revenue,
    revenue_share: share(a.revenue),
    avg_recency_days: a.recency / a.customers,
    avg_frequency: a.frequency / a.customers,
    avg_monetary: a.revenue / a.customers,
  });
  const order = new Map(schemeSegments(spec).map((s, i) => [s.id, i]));
  const segmentStats: SegmentStats[] = [...segments.entries()]
    .map(([segment, a]) => ({
      segment,
      ...common(a),
      mean_r: a.r / a.customers,
      mean_f: a.f / a.customers,
      mean_m: a.m / a.customers,
    }))
    .sort((x, y) => (order.get(x.segment) ?? 999) - (order.get(y.segment) ?? 999) || (x.segment < y.segment ? -1 : 1));

  const groupStats = (map: Map<string, Acc>, rank: (id: string) => number): GroupStats[] =>
    [...map.entries()]
      .map(([id, a]) => ({
        id,
        ...common(a),
        min_monetary: a.minMonetary,
        max_monetary: a.maxMonetary,
      }))
      .sort((x, y) => rank(x.id) - rank(y.id) || (x.id < y.id ? -1 : 1));

  const stageRank = (id: string) => {
    const i = (LIFECYCLE_ORDER as readonly string[]).indexOf(id);
    return i < 0 ? 99 : i;
  };
  return {
    customers: total.customers,
    revenue: total.revenue,
    means,
    segments: segmentStats,
    abc: groupStats(abc, () => 0),
    lifecycle: groupStats(stages, stageRank),
    heatmap: [...heat.values()]
      .map((h) => ({ r_score: h.r, f_score: h.f, customers: h.customers, revenue: h.revenue, mean_monetary: h.revenue / h.customers }))
      .sort((a, b) => a.r_score - b.r_score || a.f_score - b.f_score),
    distributions: [...dist.values()].sort((a, b) => (a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : a.score - b.score)),
  };
}
