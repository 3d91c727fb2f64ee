// The Segments view in jsdom. The engine is exercised by the unit and e2e tests; here the
// Workbench's `analyze` hands back a fixed, hand-made result so the test looks at what the view
// shows and what it writes into the config (scheme, validation, playbook edits).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { Workbench } from '../../src/ui/workbench.svelte';
import SegmentsView from '../../src/ui/segments/SegmentsView.svelte';
import { i18n } from '../../src/i18n/index.svelte';
import type { DatasetState } from '../../src/engine/workspace';
import type { SegmentationResult } from '../../src/engine/analyses/segmentation';

function result(): SegmentationResult {
  const seg = (segment: string, customers: number, revenue: number) => ({
    segment, customers, customer_share: customers / 10, revenue, revenue_share: revenue / 1000,
    avg_recency_days: 10, avg_frequency: 2, avg_monetary: revenue / customers, mean_r: 4, mean_f: 3, mean_m: 4,
  });
  const group = (id: string, customers: number, revenue: number) => ({
    id, customers, customer_share: customers / 10, revenue, revenue_share: revenue / 1000,
    avg_recency_days: 10, avg_frequency: 2, avg_monetary: revenue / customers, min_monetary: 1, max_monetary: 500,
  });
  return {
    asOf: Date.UTC(2025, 0, 1), asOfIsDefault: true, customers: 11, scored: 10, unscored: 1, revenue: 1000, levels: 5,
    means: { r: 3, f: 3, m: 3 },
    segments: [seg('important_value', 6, 900), seg('general_winback', 4, 100)],
    abc: [group('A', 3, 800), group('B', 3, 150), group('C', 4, 50)],
    lifecycle: [group('new', 2, 100), group('active', 8, 900)],
    heatmap: [{ r_score: 5, f_score: 5, customers: 6, mean_monetary: 150, revenue: 900 }, { r_score: 1, f_score: 1, customers: 4, mean_monetary: 25, revenue: 100 }],
    distributions: [{ dim: 'r', score: 5, customers: 6, min_value: 1, max_value: 9 }, { dim: 'r', score: 1, customers: 4, min_value: 200, max_value: 300 }],
    pareto: { points: [{ x: 0, y: 0 }, { x: 0.5, y: 0.9 }, { x: 1, y: 1 }], top20: { customers: 2, customerShare: 0.2, revenueShare: 0.6 }, classA: { customers: 3, customerShare: 0.3, revenueShare: 0.8 } },
    attributes: [],
    timings: { total: 12, rebuiltBase: false, rebuiltSegments: true },
  };
}

function workbench(): { wb: Workbench; calls: string[] } {
  const wb = new Workbench();
  wb.dataset = { files: [], columns: [], detected: null, mapping: {}, mappingErrors: [], quality: null, kpis: null, customerAttributes: null } as unknown as DatasetState;
  wb.state = 'ready';
  const calls: string[] = [];
  wb.analyze = (async (name: string) => {
    calls.push(name);
    if (name === 'segmentation') return result();
    if (name === 'segmentCustomers') return { total: 0, offset: 0, rows: [] };
    return null;
  }) as Workbench['analyze'];
  return { wb, calls };
}

afterEach(() => {
  cleanup();
  i18n.locale = 'en';
});

describe('SegmentsView', () => {
  it('shows the counts, every segment of the scheme (empty ones with 0) and the Pareto reading', async () => {
    const { wb } = workbench();
    render(SegmentsView, { wb });
    await waitFor(() => expect(screen.getByTestId('segments-view')).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByTestId('seg-kpi-scored')).toHaveAttribute('data-value', '10');
    expect(screen.getByTestId('seg-kpi-asof')).toHaveAttribute('data-value', '2025-01-01');
    expect(screen.getAllByTestId(/^segment-row-/)).toHaveLength(8);
    expect(screen.getByTestId('segment-row-important_value')).toHaveAttribute('data-value', '6');
    expect(screen.getByTestId('segment-row-important_retention')).toHaveAttribute('data-value', '0');
    expect(screen.getByTestId('pareto-top20')).toHaveTextContent('The top 20% of customers make 60.0% of revenue.');
    expect(screen.getByTestId('heat-5-5')).toHaveAttribute('data-value', '6');
  });

  it('switching the scheme writes the config and re-segments', async () => {
    const { wb, calls } = workbench();
    render(SegmentsView, { wb });
    await waitFor(() => expect(calls).toContain('segmentation'));
    const before = calls.filter((c) => c === 'segmentation').length;
    await fireEvent.change(screen.getByTestId('seg-scheme'), { target: { value: 'grid11' } });
    expect(wb.config.segmentation.scheme).toBe('grid11');
    await waitFor(() => expect(calls.filter((c) => c === 'segmentation').length).toBe(before + 1));
    expect(screen.getAllByTestId(/^segment-row-/)).toHaveLength(11);
  });

  it('explains an invalid setting and does not apply it', async () => {
    const { wb } = workbench();
    render(SegmentsView, { wb });
    await fireEvent.change(screen.getByTestId('seg-abc-a'), { target: { value: '97' } });
    expect(screen.getByTestId('seg-settings-error')).toHaveTextContent('ABC cut-offs must satisfy 0 < A < B ≤ 1');
    expect(wb.config.segmentation.abc.a).toBe(0.8);
  });

  it('edits a strategy in the playbook (per language) without re-segmenting', async () => {
    const { wb, calls } = workbench();
    render(SegmentsView, { wb });
    await waitFor(() => expect(screen.getByTestId('segments-view')).toHaveAttribute('data-state', 'ready'));
    const before = calls.filter((c) => c === 'segmentation').length;
    await fireEvent.click(screen.getByTestId('strategy-edit-important_value'));
    await fireEvent.input(screen.getByTestId('strategy-input-important_value'), { target: { value: 'Invite to the VIP evening' } });
    await fireEvent.click(screen.getByTestId('strategy-save-important_value'));
    expect(wb.config.segmentation.strategyOverrides).toEqual({ important_value: { en: 'Invite to the VIP evening' } });
    expect(screen.getByTestId('strategy-important_value')).toHaveTextContent('Invite to the VIP evening');
    expect(calls.filter((c) => c === 'segmentation').length).toBe(before);
  });

  it('renders in Chinese with the classic-eight names', async () => {
    i18n.locale = 'zh-CN';
    const { wb } = workbench();
    render(SegmentsView, { wb });
    await waitFor(() => expect(screen.getByTestId('segments-view')).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByTestId('segment-row-important_value')).toHaveTextContent('重要价值客户');
    expect(screen.getByTestId('pareto-top20')).toHaveTextContent('前 20% 的客户贡献了 60.0% 的收入。');
  });
});
