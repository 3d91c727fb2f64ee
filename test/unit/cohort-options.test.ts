// The cohorts config section and the chart aggregations of the Cohorts view, by hand.
import { describe, expect, it } from 'vitest';
import { DEFAULT_COHORT_OPTIONS, resolveCohortConfig } from '../../src/core/cohort-options';
import { averageByPeriod, groupCohorts } from '../../src/ui/cohorts/cohort-math';
import type { CohortCell } from '../../src/engine/analyses/cohorts';

describe('resolveCohortConfig', () => {
  it('fills defaults and rejects what the SQL cannot honour', () => {
    expect(resolveCohortConfig(undefined)).toEqual(DEFAULT_COHORT_OPTIONS);
    expect(resolveCohortConfig({ grain: 'week', churnWindow: 3 })).toMatchObject({ grain: 'week', mode: 'exact', churnWindow: 3 });
    expect(() => resolveCohortConfig({ grain: 'day' as never })).toThrow(/grain/);
    expect(() => resolveCohortConfig({ mode: 'rolling' as never })).toThrow(/mode/);
    expect(() => resolveCohortConfig({ churnWindow: 0 })).toThrow(/churn window/);
    expect(() => resolveCohortConfig({ churnWindow: 1.5 })).toThrow(/churn window/);
    expect(() => resolveCohortConfig({ migrationFrom: '2024-1-1' })).toThrow(/YYYY-MM-DD/);
    expect(() => resolveCohortConfig({ segment: 5 as never })).toThrow(/segment/);
    expect(() => resolveCohortConfig({ filter: { column: 'channel', value: 3 } as never })).toThrow(/filter/);
  });
});

describe('averageByPeriod', () => {
  const cell = (cohort: string, period: number, size: number, active: number, revenue: number, cum: number): CohortCell => ({
    cohort,
    cohort_start: 0,
    period,
    cohort_size: size,
    active_customers: active,
    retention: active / size,
    revenue,
    cumulative_revenue_per_customer: cum,
  });
  // Cohort X (10 customers) reaches periods 0..2, Y (30) only 0..1.
  const cells = [cell('Y', 1, 30, 6, 60, 5), cell('X', 0, 10, 10, 100, 10), cell('X', 1, 10, 4, 40, 14), cell('X', 2, 10, 1, 10, 15), cell('Y', 0, 30, 30, 90, 3)];

  it('weights retention by cohort size over the cohorts that reached the period', () => {
    const rows = groupCohorts(cells);
    expect(rows.map((r) => [r.cohort, r.size, r.cells.map((c) => c.period)])).toEqual([
      ['Y', 30, [0, 1]],
      ['X', 10, [0, 1, 2]],
    ]);
    const avg = averageByPeriod(rows, 3);
    // k0: 40/40; k1: (4 + 6) / 40 = 0.25; k2: only X: 1/10.
    expect(avg.map((a) => a.retention)).toEqual([1, 0.25, 0.1]);
    expect(avg.map((a) => a.cohorts)).toEqual([2, 2, 1]);
    // Revenue per cohort: (100 + 90) / 2 = 95, (40 + 60) / 2 = 50, 10.
    expect(avg.map((a) => a.revenuePerCohort)).toEqual([95, 50, 10]);
    // Cumulative per customer weighted by size: (10·10 + 3·30) / 40 = 4.75; (14·10 + 5·30) / 40 = 7.25; 15.
    expect(avg.map((a) => a.cumulativePerCustomer)).toEqual([4.75, 7.25, 15]);
  });
});
