import { describe, it, expect, beforeAll } from 'vitest';
import {
  conditionalExpectedAverageValue,
  fitGammaGamma,
  spendFrequencyCorrelation,
  type GammaGammaFit,
} from '../../../src/core/models/gammagamma';
import { ModelInputError } from '../../../src/core/models/bgnbd';
import { gammaVariate, loadCdnowWithSpend, rng } from './helpers';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('fitGammaGamma on the CDNOW repeat buyers', () => {
  const customers = loadCdnowWithSpend();
  let fit: GammaGammaFit;
  beforeAll(() => {
    fit = fitGammaGamma(customers);
  });

  it('uses the 946 repeat buyers and reports the 1,411 others as excluded', () => {
    expect(fit.customers).toBe(946);
    expect(fit.excluded).toBe(2357 - 946);
    expect(fit.converged).toBe(true);
    expect(fit.message).toMatch(/946 repeat buyers/);
  });

  it('gives the same fit and correlation from columns (the app\'s input) as from rows', () => {
    const columns = { x: Float64Array.from(customers, (c) => c.x), mx: customers.map((c) => c.mx) };
    expect(fitGammaGamma(columns)).toEqual(fit);
    expect(spendFrequencyCorrelation(columns)).toBe(spendFrequencyCorrelation(customers));
    // A NaN spend with weight 0 is left out, as a row (0 × NaN would make the sums NaN).
    const withNaN = { x: [...columns.x, 3], mx: [...columns.mx, NaN], weight: [...customers.map(() => 1), 0] };
    expect(spendFrequencyCorrelation(withNaN)).toBe(spendFrequencyCorrelation(customers));
    expect(() => fitGammaGamma({ x: [2, 1], mx: [10, NaN] })).toThrow(/row 2 .*non-finite/);
  });

  it('reproduces the published estimates p = 6.25, q = 3.74, gamma = 15.44', () => {
    // Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", note 025,
    // http://www.brucehardie.com/notes/025/gamma_gamma.pdf: p = 6.25, q = 3.74, γ = 15.44
    // (Excel Solver). lifetimes' test_params_out_is_close_to_Hardie_paper asserts these to
    // within 1.5e-2 (decimal=2).
    expect(Math.abs(fit.p - 6.25)).toBeLessThan(0.015);
    expect(Math.abs(fit.q - 3.74)).toBeLessThan(0.015);
    expect(Math.abs(fit.gamma - 15.44)).toBeLessThan(0.015);
    // lifetimes Quickstart prints "p: 6.25, q: 3.74, v: 15.45" (2 decimals, rounded):
    // https://github.com/CamDavidsonPilon/lifetimes/blob/master/docs/Quickstart.md
    expect(fit.p).toBeGreaterThanOrEqual(6.245);
    expect(fit.p).toBeLessThan(6.255);
    expect(fit.q).toBeGreaterThanOrEqual(3.735);
    expect(fit.q).toBeLessThan(3.745);
    expect(fit.gamma).toBeGreaterThanOrEqual(15.445);
    expect(fit.gamma).toBeLessThan(15.455);
    expect(fit.standardErrors).not.toBeNull();
  });

  it('Hardie\'s rounded solution is (almost) as likely: γ is weakly identified', () => {
    // The note's 15.44 and lifetimes' 15.45 differ by far less than one standard error.
    expect(fit.standardErrors!.gamma).toBeGreaterThan(1);
  });

  it('conditional expected average spend matches the lifetimes Quickstart', () => {
    // ggf.conditional_expected_average_profit(frequency, monetary_value).head(10), same source.
    const published: [number, number, number][] = [
      // [x, mx, expected]
      [2, 22.35, 24.658619], // customer 1
      [1, 11.77, 18.911489], // customer 2
      [0, 0, 35.170981], // customer 3: no repeat purchase → population mean γp/(q−1)
      [7, 73.74, 71.462843], // customer 6
      [2, 25.55, 27.282408], // customer 9
    ];
    for (const [x, mx, expected] of published) {
      expect(relErr(conditionalExpectedAverageValue(fit, x, mx), expected)).toBeLessThan(1e-5);
    }
    // "Expected conditional average profit: 35.2529588256" (mean over all 2,357 customers)
    const mean =
      customers.reduce((s, c) => s + conditionalExpectedAverageValue(fit, c.x, c.mx), 0) / customers.length;
    expect(relErr(mean, 35.2529588256)).toBeLessThan(1e-5);
  });

  it('spend–frequency correlation of repeat buyers matches the Quickstart (0.113884)', () => {
    // returning_customers_summary[['monetary_value', 'frequency']].corr() → 0.113884
    expect(spendFrequencyCorrelation(customers)).toBeCloseTo(0.113884, 6);
  });
});

describe('Gamma-Gamma formulas and behaviour', () => {
  it('conditional expectation is the credibility-weighted average of note 025 eq. 5 (by hand)', () => {
    const params = { p: 6, q: 4, gamma: 15 };
    // weight on own mean = px/(px+q−1) = 12/15; population mean = γp/(q−1) = 30
    expect(conditionalExpectedAverageValue(params, 2, 40)).toBeCloseTo(0.8 * 40 + 0.2 * 30, 12);
    expect(conditionalExpectedAverageValue(params, 0, 0)).toBeCloseTo(30, 12);
    expect(Number.isNaN(conditionalExpectedAverageValue({ p: 1, q: 0.9, gamma: 1 }, 0, 0))).toBe(true);
  });

  it('recovers the parameters of simulated spend, in any currency scale', () => {
    const truth = { p: 6.25, q: 3.74, gamma: 15.44 };
    const u = rng(7);
    const rows: { x: number; mx: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = 1 + Math.floor(u() * 8);
      const nu = gammaVariate(u, truth.q) / truth.gamma; // ν ~ Gamma(q, rate γ)
      let sum = 0;
      for (let k = 0; k < x; k++) sum += gammaVariate(u, truth.p) / nu; // z ~ Gamma(p, rate ν)
      rows.push({ x, mx: sum / x });
    }
    const fit = fitGammaGamma(rows);
    expect(fit.converged).toBe(true);
    for (const k of ['p', 'q', 'gamma'] as const) {
      expect(Math.abs(fit[k] - truth[k])).toBeLessThan(3 * fit.standardErrors![k]);
    }
    // the same spends in a currency 1000× smaller: p, q unchanged, γ scales
    const fitYen = fitGammaGamma(rows.map((r) => ({ x: r.x, mx: r.mx * 1000 })));
    expect(relErr(fitYen.p, fit.p)).toBeLessThan(1e-5);
    expect(relErr(fitYen.q, fit.q)).toBeLessThan(1e-5);
    expect(relErr(fitYen.gamma, fit.gamma * 1000)).toBeLessThan(1e-5);
  });

  it('a penalizer shrinks the parameters', () => {
    const customers = loadCdnowWithSpend();
    const free = fitGammaGamma(customers);
    const pen = fitGammaGamma(customers, { penalizer: 0.01 });
    expect(pen.p + pen.q + pen.gamma).toBeLessThan(free.p + free.q + free.gamma);
  });
});

describe('Gamma-Gamma bad input (documented: throw vs converged = false)', () => {
  it('throws ModelInputError for empty or non-finite input', () => {
    expect(() => fitGammaGamma([])).toThrow(ModelInputError);
    expect(() => fitGammaGamma([{ x: 2, mx: 10 }, { x: 1, mx: NaN }])).toThrow(/row 2 .*non-finite/);
    expect(() => fitGammaGamma([{ x: -1, mx: 10 }])).toThrow(/whole number/);
  });

  it('returns converged = false when there are no (or too few) repeat buyers', () => {
    const none = fitGammaGamma([
      { x: 0, mx: 0 },
      { x: 0, mx: 0 },
    ]);
    expect(none.converged).toBe(false);
    expect(none.excluded).toBe(2);
    expect(none.message).toMatch(/cannot be fitted/);
  });

  it('returns converged = false when spend does not vary (parameters run off)', () => {
    const fit = fitGammaGamma([
      { x: 1, mx: 10 },
      { x: 2, mx: 10 },
      { x: 3, mx: 10 },
      { x: 4, mx: 10 },
    ]);
    expect(fit.converged).toBe(false);
    expect(fit.message).toMatch(/not reliable/);
    expect(fit.standardErrors).toBeNull();
  });

  it('excludes and reports repeat buyers with negative average spend', () => {
    const rows = loadCdnowWithSpend().map((c) => ({ x: c.x, mx: c.mx }));
    rows.push({ x: 2, mx: -5 });
    const fit = fitGammaGamma(rows);
    expect(fit.excluded).toBe(2357 - 946 + 1);
    expect(fit.message).toMatch(/negative average spend/);
  });
});
