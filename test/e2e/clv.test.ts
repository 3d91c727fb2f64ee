// Lifetime value through the built app in Chromium, offline: drop the raw CDNOW transaction
// file (no header, runs of spaces), keep its exact-duplicate lines (separate same-value
// orders), set the 39-week calibration end and read the fitted parameters, which must match
// the published ones (Fader, Hardie & Lee 2005; Fader & Hardie, note 025).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberValue, openApp, screenshot, type Session, value, waitReady } from './harness';

let s: Session;

beforeAll(async () => {
  s = await openApp();
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

async function settle(): Promise<void> {
  // Give the step a moment to start, then wait until the page is ready again.
  await s.page.waitForTimeout(200);
  await waitReady(s.page);
}

describe('Lifetime value on the embedded sample', () => {
  it('fits on the default settings (calibration = all data, 52 weeks, 10 %) and shows predictions', async () => {
    await s.page.click('[data-testid=tab-clv]');
    await s.page.waitForSelector('[data-testid=clv-r][data-value]', { timeout: 60_000 });
    await waitReady(s.page);
    expect(await value(s.page, 'clv-bgnbd-status')).toBe('converged');
    // Every customer of the clean data with a purchase is scored.
    await s.page.click('[data-testid=tab-overview]');
    const customers = await numberValue(s.page, 'kpi-customers');
    await s.page.click('[data-testid=tab-clv]');
    await s.page.waitForSelector('[data-testid=clv-customers]', { timeout: 60_000 });
    expect(await numberValue(s.page, 'clv-customers')).toBeLessThanOrEqual(customers);
    expect(await numberValue(s.page, 'clv-customers')).toBeGreaterThan(customers * 0.95);
    expect(await numberValue(s.page, 'clv-total-clv')).toBeGreaterThan(0);
    console.log('clv timings on the sample (ms):', await s.page.getAttribute('[data-testid=clv-timing]', 'data-timings'));
    await screenshot(s.page, 'clv-sample-en');
  });

  it('shows its SQL with the first scores only, and copies and downloads the whole script', async () => {
    const patterns = Number(await s.page.getAttribute('[data-testid=clv-timing]', 'data-patterns'));
    const frequencyAges = Number(await s.page.getAttribute('[data-testid=clv-timing]', 'data-frequency-ages'));
    expect(frequencyAges).toBeGreaterThan(200);
    expect(frequencyAges).toBeLessThan(patterns);
    await s.page.click('[data-testid=show-sql-clv]');
    const shown = (await s.page.locator('[data-testid=sql-clv]').textContent())!;
    // The values rows: x, T in days, then the expected and discounted purchases if alive.
    const valueLines = (text: string) => text.split('\n').filter((line) => /^\(\d+, \d+, [-\d.e+]+, [-\d.e+]+\),?$/.test(line));
    expect(valueLines(shown)).toHaveLength(200);
    expect(shown).toContain(`-- … ${(frequencyAges - 200).toLocaleString('en-US')} more rows: in the copied or downloaded script`);
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=download-script-clv]')]);
    const script = fs.readFileSync((await download.path())!, 'utf8');
    const rows = valueLines(script);
    expect(rows).toHaveLength(frequencyAges); // one line per (frequency, age)
    expect(new Set(rows.map((line) => line.split(',').slice(0, 2).join())).size).toBe(frequencyAges);
    expect(script).not.toContain('more rows');
    await s.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await s.page.click('[data-testid=copy-script-clv]');
    await s.page.waitForSelector('text=Copied', { timeout: 30_000 });
    expect(await s.page.evaluate(() => navigator.clipboard.readText())).toBe(script);
    await s.page.click('[data-testid=show-sql-clv]');
  });
});

describe('Lifetime value on the raw CDNOW sample', () => {
  it('reads the whitespace-separated, headerless file and maps its columns from the values', async () => {
    await s.page.setInputFiles('[data-testid=file-input]', [
      { name: 'CDNOW_sample.txt', mimeType: 'text/plain', buffer: fs.readFileSync('test/fixtures/cdnow/CDNOW_sample.txt') },
    ]);
    await s.page.waitForFunction(() => document.querySelector('[data-testid=sample-badge]') === null, undefined, { timeout: 60_000 });
    await waitReady(s.page);
    await s.page.click('[data-testid=tab-overview]');
    expect(await numberValue(s.page, 'kpi-customers')).toBe(2357);
    await s.page.click('[data-testid=tab-files]');
    expect(await s.page.textContent('[data-testid=file-delimiter]')).toBe('runs of spaces');
    await s.page.click('[data-testid=tab-mapping]');
    expect(await value(s.page, 'map-customer_id')).toBe('column0');
    expect(await value(s.page, 'map-order_date')).toBe('column2');
    expect(await value(s.page, 'map-amount')).toBe('column4');
    await s.page.click('[data-testid=tab-quality]');
    expect(await numberValue(s.page, 'quality-rows-read')).toBe(6919);
    // 21 lines repeat an earlier line exactly: separate orders, kept.
    expect(await numberValue(s.page, 'quality-duplicates')).toBe(21);
    await s.page.uncheck('[data-testid=policy-drop-duplicates]');
    await settle();
  });

  it('fits the 39-week calibration period and shows the published estimates', async () => {
    await s.page.click('[data-testid=tab-clv]');
    // First fit: the whole data (calibration end = last purchase day).
    await s.page.waitForSelector('[data-testid=clv-view][data-calibration-end="1998-06-30"]', { timeout: 60_000 });
    await s.page.fill('[data-testid=clv-calibration-end]', '1997-09-30');
    await s.page.dispatchEvent('[data-testid=clv-calibration-end]', 'change');
    await s.page.waitForSelector('[data-testid=clv-view][data-calibration-end="1997-09-30"]', { timeout: 60_000 });
    await waitReady(s.page);
    // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    expect(Math.abs((await numberValue(s.page, 'clv-r')) - 0.243)).toBeLessThan(0.001);
    expect(Math.abs((await numberValue(s.page, 'clv-alpha')) - 4.414)).toBeLessThan(0.01);
    expect(Math.abs((await numberValue(s.page, 'clv-a')) - 0.793)).toBeLessThan(0.005);
    expect(Math.abs((await numberValue(s.page, 'clv-b')) - 2.426)).toBeLessThan(0.02);
    expect(Math.abs((await numberValue(s.page, 'clv-loglik')) - -9582.4)).toBeLessThan(0.5);
    // Fader & Hardie, note 025: p = 6.25, q = 3.74, gamma = 15.44.
    expect(Math.abs((await numberValue(s.page, 'clv-p')) - 6.25)).toBeLessThan(0.05);
    expect(Math.abs((await numberValue(s.page, 'clv-q')) - 3.74)).toBeLessThan(0.05);
    expect(Math.abs((await numberValue(s.page, 'clv-gamma')) - 15.44)).toBeLessThan(0.05);
    expect(await value(s.page, 'clv-bgnbd-status')).toBe('converged');
    expect(await value(s.page, 'clv-gg-status')).toBe('converged');
    expect(await numberValue(s.page, 'clv-customers')).toBe(2357);
    // Validation charts, heatmaps and the customers to save first are drawn.
    for (const id of ['clv-holdout-chart', 'clv-tracking-cumulative', 'clv-tracking-weekly', 'clv-heatmap-expected', 'clv-heatmap-alive', 'clv-at-risk']) {
      expect(await s.page.isVisible(`[data-testid=${id}]`)).toBe(true);
    }
    console.log('clv timings on CDNOW (ms):', await s.page.getAttribute('[data-testid=clv-timing]', 'data-timings'));
    await screenshot(s.page, 'clv-cdnow-en');
  });

  it('rejects a bad horizon with a message and keeps the results', async () => {
    await s.page.fill('[data-testid=clv-horizon]', '-3');
    await s.page.dispatchEvent('[data-testid=clv-horizon]', 'change');
    expect(await s.page.textContent('[data-testid=clv-invalid]')).toContain('Horizon (weeks) must be a number greater than 0');
    expect(Math.abs((await numberValue(s.page, 'clv-r')) - 0.243)).toBeLessThan(0.001);
  });

  it('speaks Chinese, made no network request and logged no error', async () => {
    await s.page.selectOption('[data-testid=language]', 'zh-CN');
    expect(await s.page.textContent('[data-testid=tab-clv]')).toContain('客户终身价值');
    expect(await s.page.textContent('[data-testid=clv-invalid]')).toContain('预测期（周）必须是大于 0 的数');
    await screenshot(s.page, 'clv-cdnow-zh');
    await s.page.selectOption('[data-testid=language]', 'en');
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
