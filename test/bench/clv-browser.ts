// Benchmark: the `clv` analysis in the worker of the built app (headless Chromium) on
// ~100k customers. Run: DIST_DIR=<build> node test/bench/clv-browser.mjs   (prints timings;
// not a timed test). Data: the CDNOW sample replicated 43× (101,351 customers, 297,517 rows)
// with each replica's customers shifted by 0–59 days, as in clv-analysis.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, waitReady } from '../e2e/harness';

function replicatedCsv(): string {
  const lines = fs.readFileSync(new URL('../fixtures/cdnow/CDNOW_sample.txt', import.meta.url), 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const out = ['customer_id,order_date,amount'];
  for (let k = 0; k < 43; k++) {
    for (const l of lines) {
      const [, id, d, , v] = l.trim().split(/\s+/);
      const day = new Date(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) + ((Number(id) * 7919 + k * 104729) % 60) * 86_400_000);
      out.push(`${Number(id)}-${k},${day.toISOString().slice(0, 10)},${v}`);
    }
  }
  const file = path.join(os.tmpdir(), 'clv-bench-100k.csv');
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

const s = await openApp();
try {
  await waitReady(s.page);
  const file = replicatedCsv();
  await s.page.setInputFiles('[data-testid=file-input]', file);
  await s.page.waitForFunction(() => document.querySelector('[data-testid=sample-badge]') === null, undefined, { timeout: 120_000 });
  await waitReady(s.page);
  await s.page.click('[data-testid=tab-quality]');
  await s.page.uncheck('[data-testid=policy-drop-duplicates]');
  await s.page.waitForTimeout(300);
  await waitReady(s.page);
  await s.page.click('[data-testid=tab-clv]');
  for (const [label, end] of [
    ['calibration = all data', null],
    ['39-week calibration + holdout', '1997-09-30'],
  ] as const) {
    if (end) {
      await s.page.fill('[data-testid=clv-calibration-end]', end);
      await s.page.dispatchEvent('[data-testid=clv-calibration-end]', 'change');
      await s.page.waitForSelector(`[data-testid=clv-view][data-calibration-end="${end}"]`, { timeout: 120_000 });
    } else {
      await s.page.waitForSelector('[data-testid=clv-timing]', { timeout: 120_000 });
    }
    await waitReady(s.page);
    const customers = await s.page.getAttribute('[data-testid=clv-customers]', 'data-value');
    const timings = JSON.parse((await s.page.getAttribute('[data-testid=clv-timing]', 'data-timings')) ?? '{}') as Record<string, number>;
    console.log(`${label}: ${customers} customers; worker timings (ms): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  }
} finally {
  await s.close();
}
