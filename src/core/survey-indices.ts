// Customer-satisfaction indices and decisions on top of a PLS fit: ACSI-style 0–100 indices,
// the importance-performance quadrants with a ranked action list, and NPS. Pure TypeScript.
import { mean, sampleSd } from './models/linalg';
import type { IpmaResult, NamedMatrix, PlsModelSpec, SurveyData } from './models/pls';
import type { ItemScale } from './survey-presets';

export interface ConstructIndices {
  /** Unstandardised outer weights normalised to sum to 1 per construct. */
  weights: NamedMatrix;
  /** Per construct, one 0–100 score per respondent. */
  scores: Record<string, number[]>;
  /** Per construct, the mean 0–100 score: the index. */
  index: Record<string, number>;
}

/**
 * ACSI-style indices (Fornell et al. 1996; Ringle & Sarstedt 2016 for IPMA): every item is
 * rescaled to 0–100 with its answer scale, x' = (x − min)/(max − min)·100; the standardised
 * outer weights are unstandardised (w / SD(x')) and normalised to sum to 1, and the construct's
 * 0–100 score is Σ w̃·x'. Its mean is the index (the same number IPMA calls performance).
 */
export function constructIndices(
  data: SurveyData,
  model: PlsModelSpec,
  outerWeights: NamedMatrix,
  scales: Record<string, ItemScale>,
): ConstructIndices {
  const weights: NamedMatrix = {};
  const scores: Record<string, number[]> = {};
  const index: Record<string, number> = {};
  for (const c of model.constructs) {
    const cols = c.indicators.map((item) => {
      const s = scales[item];
      if (!s || !(s.max > s.min)) throw new Error(`The scale of "${item}" must have max > min.`);
      return Array.from(data[item], (v) => ((v - s.min) / (s.max - s.min)) * 100);
    });
    const raw = c.indicators.map((item, h) => {
      const w = outerWeights[c.name]?.[item];
      if (w === undefined) throw new Error(`No outer weight for ${c.name} / ${item}.`);
      const sd = sampleSd(cols[h]);
      return sd > 0 ? w / sd : 0;
    });
    const sum = raw.reduce((s, v) => s + v, 0);
    const norm = raw.map((v) => (sum !== 0 ? v / sum : 1 / raw.length));
    weights[c.name] = Object.fromEntries(c.indicators.map((item, h) => [item, norm[h]]));
    const n = cols[0]?.length ?? 0;
    const score = new Array<number>(n).fill(0);
    cols.forEach((col, h) => {
      for (let i = 0; i < n; i++) score[i] += norm[h] * col[i];
    });
    scores[c.name] = score;
    index[c.name] = n > 0 ? mean(score) : Number.NaN;
  }
  return { weights, scores, index };
}

export interface NetPromoter {
  /** Answers in 0..10 that were counted. */
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, −100..100. */
  score: number;
}

/** NPS: promoters answer 9–10, detractors 0–6; missing and out-of-range answers are not counted. */
export function netPromoterScore(values: Iterable<number | null | undefined>): NetPromoter {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 10) continue;
    if (v >= 9) promoters++;
    else if (v > 6) passives++;
    else detractors++;
  }
  const n = promoters + passives + detractors;
  return { n, promoters, passives, detractors, score: n > 0 ? ((promoters - detractors) / n) * 100 : Number.NaN };
}

export type IpmaQuadrant = 'concentrate' | 'keep' | 'low' | 'overkill';
export const IPMA_QUADRANTS: readonly IpmaQuadrant[] = ['concentrate', 'keep', 'low', 'overkill'];

export interface IpmaAction {
  construct: string;
  importance: number;
  performance: number;
  quadrant: IpmaQuadrant;
}

/**
 * Quadrants with the cross-hairs at the mean importance and mean performance of the drivers
 * (as in SmartPLS's IPMA chart): high importance & low performance → concentrate here; high &
 * high → keep up the good work; low & low → low priority; low importance & high performance →
 * possible overkill. Ranked by quadrant in that order, then by importance (largest first).
 */
export function ipmaActions(ipma: IpmaResult): { actions: IpmaAction[]; meanImportance: number; meanPerformance: number } {
  const entries = Object.entries(ipma.constructs);
  if (entries.length === 0) return { actions: [], meanImportance: Number.NaN, meanPerformance: Number.NaN };
  const meanImportance = entries.reduce((s, [, c]) => s + c.importance, 0) / entries.length;
  const meanPerformance = entries.reduce((s, [, c]) => s + c.performance, 0) / entries.length;
  const actions = entries.map(([construct, c]): IpmaAction => {
    const high = c.importance >= meanImportance;
    const good = c.performance >= meanPerformance;
    const quadrant: IpmaQuadrant = high ? (good ? 'keep' : 'concentrate') : good ? 'overkill' : 'low';
    return { construct, importance: c.importance, performance: c.performance, quadrant };
  });
  actions.sort((a, b) => IPMA_QUADRANTS.indexOf(a.quadrant) - IPMA_QUADRANTS.indexOf(b.quadrant) || b.importance - a.importance);
  return { actions, meanImportance, meanPerformance };
}

/** Pearson correlation of two equally long series (NaN when either is constant or n < 3). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 3 || y.length !== n) return Number.NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}
