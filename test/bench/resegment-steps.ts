// Re-segmentation latency in the built app, measured inside the page: for each settings change
// (bins, scheme), the time until the summaries are on screen and until every view of the Segments
// tab (summaries, explorer page, cross-tab) has settled. Used by `npm run bench` and
// test/bench/resegment-browser.ts. Expects the Segments tab open and ready.
import type { Page } from 'playwright-core';

export const RESEGMENT_STEPS: readonly [label: string, testid: string, value: string][] = [
  ['scheme crm4', 'seg-scheme', 'crm4'],
  ['scheme grid11', 'seg-scheme', 'grid11'],
  ['bins 3', 'seg-bins', '3'],
  ['bins 10', 'seg-bins', '10'],
  ['bins 5', 'seg-bins', '5'],
  ['scheme classic8', 'seg-scheme', 'classic8'],
  ['bins 4', 'seg-bins', '4'],
  ['bins 5', 'seg-bins', '5'],
];

export interface ResegmentTiming {
  label: string;
  /** Worker time of the summaries (the view's seg-timing). */
  engine: number | null;
  onScreen: number;
  everyView: number;
}

/** Quiet time after the root is ready again, so queued requests (explorer, cross-tab) count. */
const SETTLE_MS = 30;

export async function measureResegmentation(page: Page, rounds: number): Promise<ResegmentTiming[]> {
  const out: ResegmentTiming[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [label, testid, value] of RESEGMENT_STEPS) {
      // The change event is dispatched in the page; a MutationObserver notes when the summaries
      // are on screen (segments-view ready again) and when the app root is ready and stays so.
      const r = await page.evaluate(
        ([tid, v, settle]) =>
          new Promise<{ onScreen: number; all: number; engine: string | null }>((resolve) => {
            const view = document.querySelector('[data-testid=segments-view]')!;
            const root = document.querySelector('[data-testid=app-root]')!;
            const select = document.querySelector(`[data-testid=${tid}]`) as HTMLSelectElement;
            let onScreen = -1;
            let sawBusy = false;
            const t0 = performance.now();
            const check = () => {
              if (view.getAttribute('data-state') === 'busy') sawBusy = true;
              if (onScreen < 0 && sawBusy && view.getAttribute('data-state') === 'ready') onScreen = performance.now() - t0;
              if (onScreen >= 0 && root.getAttribute('data-state') === 'ready') {
                const at = performance.now() - t0;
                setTimeout(() => {
                  if (root.getAttribute('data-state') !== 'ready') return;
                  observer.disconnect();
                  resolve({ onScreen, all: at, engine: document.querySelector('[data-testid=seg-timing]')?.getAttribute('data-value') ?? null });
                }, settle);
              }
            };
            const observer = new MutationObserver(check);
            observer.observe(view, { attributes: true });
            observer.observe(root, { attributes: true });
            select.value = v;
            select.dispatchEvent(new Event('change', { bubbles: true }));
            check();
          }),
        [testid, value, SETTLE_MS] as const,
      );
      out.push({ label, engine: r.engine === null ? null : Number(r.engine), onScreen: r.onScreen, everyView: r.all });
    }
  }
  return out;
}
