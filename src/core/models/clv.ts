// Customer lifetime value from a BG/NBD purchase model and a Gamma-Gamma spend model,
// following lifetimes' customer_lifetime_value (utils._customer_lifetime_value):
//
//   CLV = Σ_{i=1..steps} E[M] · (E[Y(i·L)] − E[Y((i−1)·L)]) / (1 + d)^i
//
// where E[Y(t)] is the BG/NBD conditional expected number of purchases in (T, T+t] given the
// customer's (x, tx, T), E[M] the Gamma-Gamma conditional expected spend per transaction,
// L the length of one step in the data's time unit and d the discount rate per step.
// Cash flows of a step are discounted at the end of that step.
//
// The app's convention (`clv`): steps are months, the horizon is a number of months, the
// discount rate is annual and converted to the equivalent monthly rate (1+d)^(1/12) − 1, and a
// month is 30 days / 4.345 weeks / 1 month — lifetimes' factors for freq "D" / "W" / "M" — so
// results match lifetimes given the same inputs.

import { conditionalExpectedPurchases, ModelInputError, type BgNbdParams } from './bgnbd';
import { conditionalExpectedAverageValue, type GammaGammaParams } from './gammagamma';

export type TimeUnit = 'day' | 'week' | 'month';

/** Length of one month in each data time unit (lifetimes' factors). */
export const UNITS_PER_MONTH: Readonly<Record<TimeUnit, number>> = { day: 30, week: 4.345, month: 1 };

export interface DiscountedClvOptions {
  /** Number of discounting steps. */
  steps: number;
  /** Length of one step in the data's time unit (e.g. 30 for monthly steps on daily data). */
  stepLength: number;
  /** Discount rate per step (e.g. 0.01 monthly). */
  discountPerStep: number;
}

/** lifetimes-compatible CLV with explicit steps; see the file comment for the formula. */
export function clvDiscounted(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  x: number,
  tx: number,
  T: number,
  mx: number,
  opts: DiscountedClvOptions,
): number {
  const { steps, stepLength, discountPerStep } = opts;
  if (!(Number.isInteger(steps) && steps >= 0)) throw new ModelInputError(`CLV: steps must be a whole number ≥ 0 (got ${steps}).`);
  if (!(stepLength > 0)) throw new ModelInputError(`CLV: step length must be > 0 (got ${stepLength}).`);
  if (!(discountPerStep > -1)) throw new ModelInputError(`CLV: discount rate must be > −100% (got ${discountPerStep}).`);
  const value = conditionalExpectedAverageValue(gg, x, mx);
  let total = 0;
  let prev = 0;
  for (let i = 1; i <= steps; i++) {
    const cum = conditionalExpectedPurchases(bg, i * stepLength, x, tx, T);
    total += (value * (cum - prev)) / Math.pow(1 + discountPerStep, i);
    prev = cum;
  }
  return total;
}

/**
 * CLV over `horizonMonths` months for a customer whose x, tx, T are in `unit`, discounted
 * monthly at the monthly equivalent of `annualDiscountRate` (0.1 = 10 % a year).
 */
export function clv(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  x: number,
  tx: number,
  T: number,
  mx: number,
  horizonMonths: number,
  unit: TimeUnit,
  annualDiscountRate: number,
): number {
  if (!(annualDiscountRate > -1)) throw new ModelInputError(`CLV: annual discount rate must be > −100% (got ${annualDiscountRate}).`);
  const perMonth = UNITS_PER_MONTH[unit];
  if (perMonth === undefined) throw new ModelInputError(`CLV: unknown time unit "${unit}".`);
  return clvDiscounted(bg, gg, x, tx, T, mx, {
    steps: horizonMonths,
    stepLength: perMonth,
    discountPerStep: monthlyRate(annualDiscountRate),
  });
}

/** The monthly rate equivalent to an annual one: (1 + annual)^(1/12) − 1. */
export function monthlyRate(annualDiscountRate: number): number {
  return Math.pow(1 + annualDiscountRate, 1 / 12) - 1;
}
