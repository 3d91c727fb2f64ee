// Small aggregations of the (bounded) cohort table for the charts: rows per cohort and the
// size-weighted average over the cohorts that have reached a period.
import type { CohortCell } from '../../engine/analyses/cohorts';

export interface CohortRow {
  cohort: string;
  size: number;
  /** Periods 0..last, in order. */
  cells: CohortCell[];
}

export interface PeriodAverage {
  period: number;
  /** Cohorts that have reached this period. */
  cohorts: number;
  /** Σ active / Σ size over those cohorts (null when none). */
  retention: number | null;
  /** Σ revenue / number of those cohorts. */
  revenuePerCohort: number | null;
  /** Σ cumulative revenue / Σ size: the size-weighted cumulative revenue per customer. */
  cumulativePerCustomer: number | null;
}

export function groupCohorts(cells: readonly CohortCell[]): CohortRow[] {
  const rows = new Map<string, CohortRow>();
  for (const c of cells) {
    let row = rows.get(c.cohort);
    if (!row) rows.set(c.cohort, (row = { cohort: c.cohort, size: c.cohort_size, cells: [] }));
    row.cells.push(c);
  }
  for (const row of rows.values()) row.cells.sort((a, b) => a.period - b.period);
  return [...rows.values()];
}

export function averageByPeriod(rows: readonly CohortRow[], periods: number): PeriodAverage[] {
  const out: PeriodAverage[] = [];
  for (let k = 0; k < periods; k++) {
    let cohorts = 0;
    let size = 0;
    let active = 0;
    let revenue = 0;
    let cumulative = 0;
    for (const row of rows) {
      const c = row.cells[k];
      if (!c) continue;
      cohorts++;
      size += c.cohort_size;
      active += c.active_customers;
      revenue += c.revenue;
      cumulative += c.cumulative_revenue_per_customer * c.cohort_size;
    }
    out.push({
      period: k,
      cohorts,
      retention: size > 0 ? active / size : null,
      revenuePerCohort: cohorts > 0 ? revenue / cohorts : null,
      cumulativePerCustomer: size > 0 ? cumulative / size : null,
    });
  }
  return out;
}
