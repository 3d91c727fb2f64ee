// Settings of the lifetime-value module (config section `clv`).
import type { ClvUnit } from './sql/clv-summary';

export interface ClvOptions {
  /** Time unit of the model's x, tx, T (weeks as in the BG/NBD literature). */
  unit: ClvUnit;
  /** ISO day ending the calibration period (inclusive); null = the last purchase day (no holdout). */
  calibrationEnd: string | null;
  /** ISO day ending the holdout period (inclusive); null = the last purchase day. */
  holdoutEnd: string | null;
  /** Prediction horizon for expected purchases and CLV, in `unit`. */
  horizon: number;
  /** Annual discount rate for CLV (0.1 = 10 %). */
  discountRate: number;
  /** L2 penalty on the model parameters (lifetimes' penalizer_coef); 0 = plain maximum likelihood. */
  penalizer: number;
}

export const DEFAULT_CLV_OPTIONS: ClvOptions = {
  unit: 'weeks',
  calibrationEnd: null,
  holdoutEnd: null,
  horizon: 52,
  discountRate: 0.1,
  penalizer: 0,
};
