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
    // Asked once on opening (it was asked twice: by the click and by the panel's refresh).
    expect(before).toBe(1);
    expect(screen.queryByTestId('analysis-ms-segmentation')).toBeNull();
    // The analysis finishes: the view passes its new result.
    report = { setup: ['SELECT 1'], analysis: ['SELECT 2'], ms: 12, sqlMs: 8 };
    props.ran = { segments: [] };
    await settle();
    expect(asked).toBe(before + 1);
    expect(screen.getByTestId('analysis-ms-segmentation')).toHaveAttribute('data-value', '12');
  });

  it('asks for the script only when it is downloaded', async () => {
    const wb = new Workbench();
    wb.sql = async () => ({ setup: ['SELECT 1'], analysis: ['SELECT 2'], ms: 12, sqlMs: 8 });
    const scripts: string[] = [];
    wb.script = async (name) => (scripts.push(name), new Blob(['SELECT 1;\nSELECT 2;\n'], { type: 'text/plain' }));
    const blobs: Blob[] = [];
    const { createObjectURL, revokeObjectURL } = URL;
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = () => {}; // jsdom does not download
    URL.createObjectURL = (blob: Blob) => (blobs.push(blob), 'blob:test');
    URL.revokeObjectURL = () => {};
    try {
      render(SqlPanel, { props: { wb, name: 'clv' } });
      await fireEvent.click(screen.getByTestId('show-sql-clv'));
      await screen.findByTestId('download-script-clv');
      expect(scripts).toEqual([]);
      await fireEvent.click(screen.getByTestId('download-script-clv'));
      await new Promise((r) => setTimeout(r, 0));
      expect(scripts).toEqual(['clv']);
      const text = await new Promise<string>((resolve) => {
        const reader = new FileReader(); // jsdom's Blob has no text()
        reader.onload = () => resolve(String(reader.result));
        reader.readAsText(blobs[0]);
      });
      expect(text).toBe('SELECT 1;\nSELECT 2;\n');
    } finally {
      URL.createObjectURL = createObjectURL;
      URL.revokeObjectURL = revokeObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
  });
});
