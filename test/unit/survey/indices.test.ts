// Indices, IPMA quadrants, NPS and the estimate export on hand-made numbers.
import { describe, expect, it } from 'vitest';
import type { IpmaResult } from '../../../src/core/models/pls';
import { constructIndices, ipmaActions, netPromoterScore, pearson } from '../../../src/core/survey-indices';

describe('constructIndices (ACSI-style 0–100)', () => {
  it('rescales items with their scale and weights them by unstandardised outer weights', () => {
    // A on 1..5: (x−1)/4·100 → 0, 50, 100 (SD 50); B on 0..10: x·10 → 20, 40, 60 (SD 20).
    const data = { A: [1, 3, 5], B: [2, 4, 6] };
    const model = { constructs: [{ name: 'C', indicators: ['A', 'B'], mode: 'A' as const }], paths: [] };
    const weights = { C: { A: 0.5, B: 0.5 } };
    const r = constructIndices(data, model, weights, { A: { min: 1, max: 5 }, B: { min: 0, max: 10 } });
    // Unstandardised: 0.5/50 = 0.01 and 0.5/20 = 0.025 → normalised 0.01/0.035 = 2/7 and 5/7.
    expect(r.weights.C.A).toBeCloseTo(2 / 7, 12);
    expect(r.weights.C.B).toBeCloseTo(5 / 7, 12);
    // Scores: 2/7·0 + 5/7·20, 2/7·50 + 5/7·40, 2/7·100 + 5/7·60.
    expect(r.scores.C[0]).toBeCloseTo(100 / 7, 10);
    expect(r.scores.C[1]).toBeCloseTo(300 / 7, 10);
    expect(r.scores.C[2]).toBeCloseTo(500 / 7, 10);
    expect(r.index.C).toBeCloseTo(300 / 7, 10);
  });
});

describe('netPromoterScore', () => {
  it('counts 9–10 as promoters and 0–6 as detractors, skipping missing and out-of-range answers', () => {
    const r = netPromoterScore([10, 9, 8, 7, 6, 0, null, 11, Number.NaN, 3]);
    expect(r).toEqual({ n: 7, promoters: 2, passives: 2, detractors: 3, score: ((2 - 3) / 7) * 100 });
  });
});

describe('ipmaActions', () => {
  it('places drivers in quadrants around the mean importance and performance and ranks them', () => {
    const ipma: IpmaResult = {
      target: 'Sat',
      targetPerformance: 70,
      indicators: {},
      warnings: [],
      // Mean importance 0.25, mean performance 60.
      constructs: {
        Price: { importance: 0.4, importanceStandardized: 0.4, performance: 50 },
        Staff: { importance: 0.3, importanceStandardized: 0.3, performance: 75 },
        Web: { importance: 0.1, importanceStandardized: 0.1, performance: 40 },
        Brand: { importance: 0.2, importanceStandardized: 0.2, performance: 75 },
      },
    };
    const r = ipmaActions(ipma);
    expect(r.meanImportance).toBeCloseTo(0.25, 12);
    expect(r.meanPerformance).toBeCloseTo(60, 12);
    expect(r.actions.map((a) => [a.construct, a.quadrant])).toEqual([
      ['Price', 'concentrate'],
      ['Staff', 'keep'],
      ['Web', 'low'],
      ['Brand', 'overkill'],
    ]);
  });
});

describe('pearson', () => {
  it('is 1 for a perfect line and NaN for a constant series', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
});
