// The Lifetime value view in jsdom with the engine replaced by a fixed result: raw numbers in
// data-value, messages for a fit that did not converge and for a failed computation, both
// languages. (The computation itself is tested in test/unit/clv-*.test.ts and test/e2e/clv.test.ts.)
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { Workbench } from '../../src/ui/workbench.svelte';
import ClvView from '../../src/ui/clv/ClvView.svelte';
import { i18n } from '../../src/i18n/index.svelte';
import type { ClvResult } from '../../src/engine/analyses/clv';
import type { DatasetState } from '../../src/engine/workspace';

const DAY = 86_400_000;

function result(patch: Partial<ClvResult> = {}): ClvResult {
  const start = Date.UTC(1997, 0, 1);
  return {
    unit: 'weeks',
    horizon: 52,
    discountRate: 0.1,
    dataStart: start,
    dataEnd: Date.UTC(1998, 5, 30),
    calibrationEnd: Date.UTC(1997, 8, 30),
    holdoutEnd: Date.UTC(1998, 5, 30),
    holdoutLength: 39,
    customers: 2357,
    patterns: 1016,
    frequencyAges: 640,
    bgnbd: { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4259, logLik: -9582.43, converged: true, iterations: 26, message: 'ok', standardErrors: { r: 0.0126, alpha: 0.378, a: 0.186, b: 0.705 } },
    gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44, logLik: -4055.9, converged: true, iterations: 18, message: 'ok', standardErrors: { p: 1.19, q: 0.29, gamma: 4.16 }, customers: 946, excluded: 0 },
    spendCorrelation: 0.11,
    messages: [],
    holdoutByFrequency: [0, 1, 2, 3, 4, 5, 6, 7].map((f) => ({ frequency: f, customers: 100, actual: f * 0.8, predicted: f * 0.7 + 0.1 })),
    tracking: {
      stepDays: 7,
      ends: [0, 1, 2, 3].map((k) => start + (7 * k + 6) * DAY),
      actual: [1, 2, 3, 4],
      expected: [1.5, 2, 2.5, 3],
      actualCumulative: [1, 3, 6, 10],
      expectedCumulative: [1.5, 3.5, 6, 9],
    },
    heatmap: { T: 39, frequencies: [0, 1, 2], recencies: [0, 19.5, 39], expected: [[0.2, 0.2, 0.2], [0.1, 0.5, 1], [0.05, 0.8, 1.6]], pAlive: [[1, 1, 1], [0.3, 0.7, 0.9], [0.1, 0.6, 0.95]] },
    totals: { expectedPurchases: 2089.4, clv: 72214.6, meanPAlive: 0.813 },
    atRisk: [{ customer_id: '19339', x: 21, tx: 4.7, T: 29.3, total: 6552.7, p_alive: 0.0001, clv: 0 }],
    timingsMs: { summary: 1, fitBgNbd: 2, fitGammaGamma: 3, scoring: 4, validation: 5, total: 15 },
    ...patch,
  };
}

function workbench(value: ClvResult | null, error: string | null = null): Workbench {
  const wb = new Workbench();
  wb.dataset = { kpis: { customers: 2357, orders: 1, revenue: 1, aov: 1, first_date: 0, last_date: 0 } } as unknown as DatasetState;
  wb.state = 'ready';
  wb.analyze = (async () => {
    if (error) wb.error = { code: 'input', userMessage: error, causeMessage: 'cause' };
    return value;
  }) as Workbench['analyze'];
  return wb;
}

afterEach(() => {
  cleanup();
  i18n.locale = 'en';
});

describe('ClvView', () => {
  it('shows the fitted parameters with raw data-values, the predictions and the validation charts', async () => {
    render(ClvView, { wb: workbench(result()) });
    expect(await screen.findByTestId('clv-r')).toHaveAttribute('data-value', '0.2426');
    expect(screen.getByTestId('clv-r')).toHaveTextContent('0.2426');
    expect(screen.getByTestId('clv-alpha')).toHaveAttribute('data-value', '4.4137');
    expect(screen.getByTestId('clv-gamma')).toHaveAttribute('data-value', '15.44');
    expect(screen.getByTestId('clv-loglik')).toHaveAttribute('data-value', '-9582.43');
    expect(screen.getByTestId('clv-bgnbd-status')).toHaveTextContent('converged in 26 iterations');
    expect(screen.getByTestId('clv-total-clv')).toHaveTextContent('72,214.60');
    expect(screen.getByTestId('clv-view')).toHaveAttribute('data-calibration-end', '1997-09-30');
    expect(screen.getByTestId('clv-period')).toHaveTextContent('holdout to 06/30/1998 (39 weeks)');
    for (const id of ['clv-holdout-chart', 'clv-tracking-cumulative', 'clv-tracking-weekly', 'clv-heatmap-expected', 'clv-heatmap-alive', 'clv-at-risk']) {
      expect(screen.getByTestId(id)).toBeInTheDocument();
    }
    // The last frequency bucket reads "7+".
    expect(screen.getByTestId('clv-holdout-chart')).toHaveTextContent('7+');
  });

  it('says the purchase model did not converge instead of showing predictions', async () => {
    const failed = result({
      bgnbd: { r: NaN, alpha: NaN, a: NaN, b: NaN, logLik: NaN, converged: false, iterations: 0, message: 'Nobody made a repeat purchase.', standardErrors: null },
      gammaGamma: null,
      messages: [{ key: 'clv.msg.bgNotConverged', params: { detail: 'Nobody made a repeat purchase.' } }],
    });
    render(ClvView, { wb: workbench(failed) });
    expect(await screen.findByTestId('clv-message-bgNotConverged')).toHaveTextContent('did not converge, so no predictions are shown: Nobody made a repeat purchase.');
    expect(screen.getByTestId('clv-bgnbd-status')).toHaveAttribute('data-value', 'failed');
    expect(screen.queryByTestId('clv-total-clv')).toBeNull();
    expect(screen.queryByTestId('clv-holdout-chart')).toBeNull();
  });

  it('explains a failed computation in the view, in Chinese too', async () => {
    i18n.locale = 'zh-CN';
    render(ClvView, { wb: workbench(null, 'clv.error.calibrationBeforeData') });
    expect(await screen.findByTestId('clv-failed')).toHaveTextContent('校准期截止日早于第一笔购买');
  });

  it('renders the settings and labels in Chinese', async () => {
    i18n.locale = 'zh-CN';
    render(ClvView, { wb: workbench(result()) });
    expect(await screen.findByTestId('clv-bgnbd-status')).toHaveTextContent('已收敛（26 次迭代）');
    expect(screen.getByText('预测客户终身价值与流失风险')).toBeInTheDocument();
  });
});
