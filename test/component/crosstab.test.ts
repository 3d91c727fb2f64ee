// The cross-tab table: every non-empty cell — a value, "other" or "no value" — lists its
// customers; "other" passes the values that have their own column, which the filter excludes.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, expect, it } from 'vitest';
import CrossTab from '../../src/ui/segments/CrossTab.svelte';
import type { CrossTabResult } from '../../src/engine/analyses/segmentation';

afterEach(cleanup);

it('clicking a value, the "other" and the "no value" column selects that column', async () => {
  const result: CrossTabResult = {
    attribute: { source: 'tx', column: 'channel' },
    columns: [
      { kind: 'value', value: 'APP', customers: 5 },
      { kind: 'value', value: 'WEB', customers: 3 },
      { kind: 'other', value: null, customers: 2 },
      { kind: 'none', value: null, customers: 1 },
    ],
    cells: [
      { segment: 'vip', kind: 'value', value: 'APP', customers: 5, revenue: 50 },
      { segment: 'vip', kind: 'value', value: 'WEB', customers: 3, revenue: 30 },
      { segment: 'vip', kind: 'other', value: null, customers: 2, revenue: 20 },
      { segment: 'vip', kind: 'none', value: null, customers: 1, revenue: 10 },
    ],
  };
  const picks: unknown[] = [];
  render(CrossTab, {
    options: [{ ref: { source: 'tx', column: 'channel' } }],
    attribute: { source: 'tx', column: 'channel' },
    result,
    segments: [{ id: 'vip', name: 'VIP', color: '#000' }],
    onAttribute: () => {},
    onSelect: (...args: unknown[]) => picks.push(args),
  });
  await fireEvent.click(screen.getByTestId('crosstab-cell-vip-other'));
  await fireEvent.click(screen.getByTestId('crosstab-cell-vip-none'));
  await fireEvent.click(screen.getByTestId('crosstab-cell-vip-value-WEB'));
  expect(picks).toEqual([
    ['vip', { kind: 'other', value: null }, ['APP', 'WEB']],
    ['vip', { kind: 'none', value: null }, ['APP', 'WEB']],
    ['vip', { kind: 'value', value: 'WEB' }, ['APP', 'WEB']],
  ]);
});
