import { describe, it, expect, beforeAll } from 'vitest';
import { clv, clvDiscounted, monthlyRate, UNITS_PER_MONTH } from '../../../src/core/models/clv';
import { conditionalExpectedPurchases, fitBgNbd, type BgNbdFit } from '../../../src/core/models/bgnbd';
import {
  conditionalExpectedAverageValue,
  fitGammaGamma,
  type GammaGammaFit,
} from '../../../src/core/models/gammagamma';
import { loadCdnowWithSpend } from './helpers';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('customer lifetime value', () => {
  const customers = loadCdnowWithSpend();
  let bg: BgNbdFit;
  let gg: GammaGammaFit;
  beforeAll(() => {
    bg = fitBgNbd(customers);
    gg = fitGammaGamma(customers);
  });

  it('reproduces lifetimes\' customer_lifetime_value output in its Quickstart', () => {
    // https://github.com/CamDavidsonPilon/lifetimes/blob/master/docs/Quickstart.md:
    // ggf.customer_lifetime_value(bgf, frequency, recency, T, monetary_value, time=12,
    // discount_rate=0.01) with the default freq="D", i.e. 12 steps of 30 time units (here
    // weeks, as the Quickstart's data are weekly) discounted 1% per step.
    const published: [number, number][] = [
      // [customer id, clv]
      [1, 140.096211],
      [2, 18.943467],
      [3, 38.180574],
      [6, 1003.868107],
      [7, 28.109683],
      [9, 167.418216],
    ];
    for (const [id, expected] of published) {
      const c = customers.find((r) => r.id === id)!;
      const value = clvDiscounted(bg, gg, c.x, c.tx, c.T, c.mx, { steps: 12, stepLength: 30, discountPerStep: 0.01 });
      expect(relErr(value, expected)).toBeLessThan(1e-5);
    }
  });

  it('without discounting, the per-step sum telescopes to E[M] · E[Y(horizon)] (by hand)', () => {
    const c = customers.find((r) => r.id === 6)!;
    const value = clvDiscounted(bg, gg, c.x, c.tx, c.T, c.mx, { steps: 12, stepLength: 4.345, discountPerStep: 0 });
    const direct =
      conditionalExpectedAverageValue(gg, c.x, c.mx) * conditionalExpectedPurchases(bg, 12 * 4.345, c.x, c.tx, c.T);
    expect(value).toBeCloseTo(direct, 10);
  });

  it('clv(): months of 4.345 weeks / 30 days and the monthly equivalent of an annual rate', () => {
    const c = customers.find((r) => r.id === 1)!;
    // (1.01)^12 − 1 = 12.68…% a year is 1% a month (lifetimes: "monthly discount rate ~ 12.7% annually")
    const annual = Math.pow(1.01, 12) - 1;
    expect(monthlyRate(annual)).toBeCloseTo(0.01, 14);
    expect(UNITS_PER_MONTH.week).toBe(4.345);
    expect(UNITS_PER_MONTH.day).toBe(30);
    const viaClv = clv(bg, gg, c.x, c.tx, c.T, c.mx, 12, 'week', annual);
    const explicit = clvDiscounted(bg, gg, c.x, c.tx, c.T, c.mx, { steps: 12, stepLength: 4.345, discountPerStep: 0.01 });
    expect(viaClv).toBeCloseTo(explicit, 10);
    // The same customer and model re-expressed in days (times ×7, alpha ×7) with 30-day months
    // must equal the weekly model evaluated on steps of 30/7 weeks.
    const bgDays = { ...bg, alpha: bg.alpha * 7 };
    const inDays = clv(bgDays, gg, c.x, c.tx * 7, c.T * 7, c.mx, 12, 'day', annual);
    const inWeeks = clvDiscounted(bg, gg, c.x, c.tx, c.T, c.mx, { steps: 12, stepLength: 30 / 7, discountPerStep: 0.01 });
    expect(inDays).toBeCloseTo(inWeeks, 10);
    expect(clv(bg, gg, c.x, c.tx, c.T, c.mx, 0, 'week', 0.1)).toBe(0);
  });

  it('discounting lowers value and a longer horizon raises it', () => {
    const c = customers.find((r) => r.id === 9)!;
    const base = clv(bg, gg, c.x, c.tx, c.T, c.mx, 12, 'week', 0);
    expect(clv(bg, gg, c.x, c.tx, c.T, c.mx, 12, 'week', 0.2)).toBeLessThan(base);
    expect(clv(bg, gg, c.x, c.tx, c.T, c.mx, 24, 'week', 0)).toBeGreaterThan(base);
  });

  it('rejects meaningless settings with a clear message', () => {
    expect(() => clvDiscounted(bg, gg, 1, 1, 2, 10, { steps: 1.5, stepLength: 1, discountPerStep: 0 })).toThrow(/steps/);
    expect(() => clvDiscounted(bg, gg, 1, 1, 2, 10, { steps: 1, stepLength: 0, discountPerStep: 0 })).toThrow(/step length/);
    expect(() => clv(bg, gg, 1, 1, 2, 10, 12, 'week', -1)).toThrow(/discount/);
  });
});
