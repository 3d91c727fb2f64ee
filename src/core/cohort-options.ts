// The cohorts section of AnalysisConfig: grain, counting mode, customer filter and churn window of
// the cohort retention and KPI-trend analyses (issue #4).
import { COHORT_GRAINS, COHORT_MODES, type CohortGrain, type CohortMode } from './sql/cohort';
import { MAX_CHURN_WINDOW } from './sql/kpi-trends';

export interface CohortConfig {
  grain: CohortGrain;
  mode: CohortMode;
  /** Only customers with this attribute value (channel / region / category of the first purchase, or a customer-file column). */
  filter: { column: string; value: string } | null;
  /** Only customers in this segment (id of the configured segmentation scheme). */
  segment: string | null;
  /** Churn rate: share of the customers active in the previous N periods who are not active now. */
  churnWindow: number;
  /** Segment migration: the two reference dates (ISO days); null = one quarter before `migrationTo` / the config's as-of date. */
  migrationFrom: string | null;
  migrationTo: string | null;
}

export const DEFAULT_COHORT_OPTIONS: CohortConfig = {
  grain: 'month',
  mode: 'exact',
  filter: null,
  segment: null,
  churnWindow: 1,
  migrationFrom: null,
  migrationTo: null,
};

/** Fill defaults and reject what the SQL builders could not honour (e.g. from an edited share link). */
export function resolveCohortConfig(input: Partial<CohortConfig> | undefined): CohortConfig {
  const c = { ...DEFAULT_COHORT_OPTIONS, ...(input ?? {}) };
  if (!COHORT_GRAINS.includes(c.grain)) throw new Error(`Unknown cohort grain "${String(c.grain)}" (month, week or quarter)`);
  if (!COHORT_MODES.includes(c.mode)) throw new Error(`Unknown cohort mode "${String(c.mode)}" (exact or unbounded)`);
  if (!Number.isInteger(c.churnWindow) || c.churnWindow < 1 || c.churnWindow > MAX_CHURN_WINDOW) {
    throw new Error(`The churn window must be a whole number of periods from 1 to ${MAX_CHURN_WINDOW}`);
  }
  for (const d of [c.migrationFrom, c.migrationTo]) {
    if (d !== null && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`Migration dates are calendar days written YYYY-MM-DD, got ${JSON.stringify(d)}`);
  }
  if (c.segment !== null && typeof c.segment !== 'string') throw new Error('A cohort segment filter must be a segment id');
  if (c.filter && (typeof c.filter.column !== 'string' || typeof c.filter.value !== 'string')) throw new Error('A cohort filter needs a column and a value');
  return c;
}
