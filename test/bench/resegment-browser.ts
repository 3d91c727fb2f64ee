// Benchmark: re-segmentation in the built app (headless Chromium, the worker's DuckDB-WASM) at
// ~100k customers. Not a timed test; prints timings.
//   node scripts/generate-big.mjs 1000000 /tmp/big/tx-1m.csv
//   DIST_DIR=<build> node test/bench/resegment-browser.mjs /tmp/big/tx-1m.csv
// For each settings change: the engine time of the summaries (the view's seg-timing), the time
// until the summaries are on screen, and until every view (explorer page, cross-tab) has settled.
import { openApp, waitReady } from '../e2e/harness';
import { measureResegmentation, RESEGMENT_STEPS } from './resegment-steps';

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

  const timings = await measureResegmentation(s.page, 3);
  for (const r of timings.slice(-RESEGMENT_STEPS.length)) {
    console.log(`${r.label.padEnd(18)} engine ${String(r.engine).padStart(4)} ms · summaries on screen ${r.onScreen.toFixed(0).padStart(4)} ms · every view ${r.everyView.toFixed(0).padStart(4)} ms`);
  }
  console.log(`all changes, every view (ms, in order): ${timings.map((r) => r.everyView.toFixed(0)).join(' ')}`);
  const shown = timings.map((r) => r.onScreen);
  const settled = timings.map((r) => r.everyView);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const max = (xs: number[]) => Math.max(...xs);
  console.log(`median of ${shown.length}: summaries on screen ${median(shown).toFixed(0)} ms, every view ${median(settled).toFixed(0)} ms; slowest ${max(shown).toFixed(0)} / ${max(settled).toFixed(0)} ms`);
} finally {
  await s.close();
}
