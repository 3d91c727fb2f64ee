// Cohort charts rendered in jsdom from a hand-made cohort table.
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import CohortHeatmap from '../../src/ui/cohorts/CohortHeatmap.svelte';
import KpiTrends from '../../src/ui/cohorts/KpiTrends.svelte';
import { i18n } from '../../src/i18n/index.svelte';
import type { CohortCell, KpiTrendPoint } from '../../src/engine/analyses/cohorts';

afterEach(() => {
  cleanup();
  i18n.locale = 'en';
});

/** 40 monthly cohorts of 10 customers; cohort i reaches periods 0..39−i, with k active in period k ≥ 1 → 10 − min(k, 9). */
function triangle(): CohortCell[] {
  const cells: CohortCell[] = [];
  for (let i = 0; i < 40; i++) {
    const label = `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    for (let k = 0; k < 40 - i; k++) {
      const active = k === 0 ? 10 : 10 - Math.min(k, 9);
      cells.push({ cohort: label, cohort_start: Date.UTC(2020, i, 1), period: k, cohort_size: 10, active_customers: active, retention: active / 10, revenue: active * 5, cumulative_revenue_per_customer: 0 });
    }
  }
  return cells;
}

describe('CohortHeatmap', () => {
  it('shows every cohort and a size-weighted average row', () => {
    render(CohortHeatmap, { cells: triangle(), metric: 'retention' });
    const frame = screen.getByTestId('cohort-heatmap');
    expect(frame).toHaveAttribute('data-rows', '40');
    expect(frame).toHaveAttribute('data-periods', '40');
    expect(frame.querySelectorAll('tbody tr')).toHaveLength(40);
    // Every cohort has 10 customers and 9 active in period 1 → 0.9; period 39 only the first cohort: 1 of 10.
    expect(screen.getByTestId('cohort-average-1')).toHaveAttribute('data-value', '0.9');
    expect(screen.getByTestId('cohort-average-39')).toHaveAttribute('data-value', '0.1');
    expect(screen.getByTestId('cohort-average-1')).toHaveTextContent('90.0%');
  }, 30_000); // 1,700 cells in jsdom take a few seconds on a loaded machine

  it('labels in Chinese', () => {
    i18n.locale = 'zh-CN';
    render(CohortHeatmap, { cells: triangle(), metric: 'revenue' });
    expect(screen.getByText('同期群 × 期数')).toBeInTheDocument();
    expect(screen.getByText('同期群平均')).toBeInTheDocument();
  }, 30_000);
});

describe('KpiTrends', () => {
  const point = (period: string, active: number, churn: number | null): KpiTrendPoint => ({
    period, period_start: 0, active_customers: active, new_customers: 1, returning_customers: active - 1, orders: active, revenue: active * 10, aov: 10,
    customers_to_date: 5, repeat_customers_to_date: 1, repeat_rate: 0.2, churn_base: 4, churned: 1, churn_rate: churn,
  });

  it('shows the latest value and its change against the previous period', () => {
    render(KpiTrends, { points: [point('2024-01', 8, null), point('2024-02', 10, 0.25), point('2024-03', 5, 0.5)], grainLabel: 'month' });
    expect(screen.getByTestId('cohorts-trend-active_customers')).toHaveAttribute('data-value', '5');
    // 10 → 5 = −50 %; churn 25 % → 50 % = +25 percentage points.
    expect(screen.getByTestId('cohorts-trend-active_customers')).toHaveTextContent('vs previous: −50.0%');
    expect(screen.getByTestId('cohorts-trend-churn_rate')).toHaveTextContent('vs previous: +25.0 pp');
  });
});
