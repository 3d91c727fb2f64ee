// Benchmark: re-segmentation in the built app (headless Chromium, the worker's DuckDB-WASM) at
// ~100k customers. Not a timed test; prints timings.
//   node scripts/generate-big.mjs 1000000 /tmp/big/tx-1m.csv
//   DIST_DIR=<build> node test/bench/resegment-browser.mjs /tmp/big/tx-1m.csv
// For each settings change: the engine time of the summaries (the view's seg-timing), the time
// until the summaries are on screen, and until every view (explorer page, cross-tab) has settled.
import { openApp, waitReady } from '../e2e/harness';

const file = process.argv[2] ?? '/tmp/big/tx-1m.csv';
const s = await openApp();
try {
  await waitReady(s.page);
  let t = Date.now();
  await s.page.setInputFiles('[data-testid=file-input]', file);
  await s.page.waitForFunction(() => document.querySelector('[data-testid=sample-badge]') === null, undefined, { timeout: 300_000 });
  await waitReady(s.page, 300_000);
  console.log(`load: ${Date.now() - t} ms`);
  t = Date.now();
  await s.page.click('[data-testid=tab-segments]');
  await s.page.waitForSelector('[data-testid=segments-view][data-state=ready]', { timeout: 300_000 });
  await waitReady(s.page, 300_000);
  console.log(`first Segments view (per-customer metrics once): ${Date.now() - t} ms; ${await s.page.getAttribute('[data-testid=seg-kpi-scored]', 'data-value')} scored customers`);

  const steps: [string, string, string][] = [
    ['scheme crm4', 'seg-scheme', 'crm4'],
    ['scheme grid11', 'seg-scheme', 'grid11'],
    ['bins 3', 'seg-bins', '3'],
    ['bins 10', 'seg-bins', '10'],
    ['bins 5', 'seg-bins', '5'],
    ['scheme classic8', 'seg-scheme', 'classic8'],
    ['bins 4', 'seg-bins', '4'],
    ['bins 5', 'seg-bins', '5'],
  ];
  const shown: number[] = [];
  const settled: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [label, testid, value] of steps) {
      // Timed inside the page: the change event is dispatched there, and a MutationObserver notes
      // when the summaries are on screen (segments-view ready) and when every view has settled
      // (the app root ready again after the explorer and cross-tab requests).
      const r = await s.page.evaluate(
        ([tid, v]) =>
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
                // Let queued requests (explorer, cross-tab) start before calling it settled.
                setTimeout(() => {
                  if (root.getAttribute('data-state') !== 'ready') return;
                  observer.disconnect();
                  resolve({ onScreen, all: performance.now() - t0, engine: document.querySelector('[data-testid=seg-timing]')?.getAttribute('data-value') ?? null });
                }, 30);
              }
            };
            const observer = new MutationObserver(check);
            observer.observe(view, { attributes: true });
            observer.observe(root, { attributes: true });
            select.value = v;
            select.dispatchEvent(new Event('change', { bubbles: true }));
            check();
          }),
        [testid, value] as const,
      );
      shown.push(r.onScreen);
      settled.push(r.all - 30);
      if (round === 2) {
        console.log(`${label.padEnd(18)} engine ${String(r.engine).padStart(4)} ms · summaries on screen ${r.onScreen.toFixed(0).padStart(4)} ms · every view ${(r.all - 30).toFixed(0).padStart(4)} ms`);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`median of ${shown.length}: summaries on screen ${median(shown).toFixed(0)} ms, every view ${median(settled).toFixed(0)} ms`);
} finally {
  await s.close();
}
