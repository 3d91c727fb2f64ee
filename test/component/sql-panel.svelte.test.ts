// "Show SQL" opened while its analysis is still running fills in once the analysis is done
// (the panel used to stay empty until it was closed and opened again).
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import SqlPanel from '../../src/ui/SqlPanel.svelte';
import { Workbench } from '../../src/ui/workbench.svelte';
import type { SqlReport } from '../../src/engine/api';

afterEach(() => cleanup());

describe('SqlPanel', () => {
  it('shows the statements of an analysis that finishes after the panel was opened', async () => {
    const wb = new Workbench();
    let report: SqlReport | null = null;
    let asked = 0;
    wb.sql = async () => (asked++, report);
    const settle = async () => {
      flushSync();
      await new Promise((r) => setTimeout(r, 0));
      flushSync();
    };
    // Props as state, as a parent view passes them: only `ran` changes below.
    const props = $state<{ wb: Workbench; name: string; ran: unknown }>({ wb, name: 'segmentation', ran: null });
    render(SqlPanel, { props });
    await fireEvent.click(screen.getByTestId('show-sql-segmentation'));
    await settle();
    const before = asked;
    expect(before).toBeGreaterThan(0);
    expect(screen.queryByTestId('analysis-ms-segmentation')).toBeNull();
    // The analysis finishes: the view passes its new result.
    report = { setup: ['SELECT 1'], analysis: ['SELECT 2'], ms: 12, sqlMs: 8, script: 'SELECT 1;\nSELECT 2;\n' };
    props.ran = { segments: [] };
    await settle();
    expect(asked).toBe(before + 1);
    expect(screen.getByTestId('analysis-ms-segmentation')).toHaveAttribute('data-value', '12');
  });
});
