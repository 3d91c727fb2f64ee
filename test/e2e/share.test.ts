// A link made in one browser reproduces the numbers in another: settings travel in the URL
// fragment, the data does not.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { numberValue, openApp, type Session, waitReady } from './harness';

const sessions: Session[] = [];
afterAll(async () => {
  for (const s of sessions) await s.close();
});

const retail = () => ({ name: 'retail.csv', mimeType: 'text/csv', buffer: fs.readFileSync('test/fixtures/dirty-small.csv') });

async function dropAndWait(s: Session) {
  await s.page.setInputFiles('[data-testid=file-input]', [retail()]);
  await s.page.waitForFunction(() => !document.querySelector('[data-testid=sample-badge]'), undefined, { timeout: 60_000 });
  await waitReady(s.page);
}

describe('share links', () => {
  it('reproduces the same numbers from a link in a fresh browser', async () => {
    const a = await openApp();
    sessions.push(a);
    await waitReady(a.page);
    await dropAndWait(a);
    await a.page.click('[data-testid=tab-quality]');
    // Non-default settings: keep rows without customer id, drop returns instead of netting.
    await a.page.uncheck('[data-testid=policy-exclude-missing-customer]');
    await waitReady(a.page);
    await a.page.uncheck('[data-testid=policy-net-returns]');
    await waitReady(a.page);
    const cleanRows = await numberValue(a.page, 'quality-clean-rows');
    await a.page.click('[data-testid=tab-overview]');
    const revenue = await numberValue(a.page, 'kpi-revenue');
    const customers = await numberValue(a.page, 'kpi-customers');
    // Hand check against test/fixtures/dirty-small.csv: 12 rows − bad date − bad amount − 2 returns
    // − 1 duplicate = 7 rows (the 2 rows without customer id are kept).
    expect(cleanRows).toBe(7);
    // 6×2.55 + 6×3.39 + 6×1.85 + 32×1.69 + 24×1.45 + 2×4.95 + 4×3.75 (no returns netted).
    expect(revenue).toBeCloseTo(15.3 + 20.34 + 11.1 + 54.08 + 34.8 + 9.9 + 15, 6);
    await a.page.click('[data-testid=share]');
    // The link is compressed asynchronously once the panel opens.
    await a.page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid=share-link]')?.value.includes('#cfg='));
    const link = await a.page.inputValue('[data-testid=share-link]');
    expect(link).toMatch(/#cfg=v1\.[A-Za-z0-9_-]+$/);

    const b = await openApp({ suffix: link.slice(link.indexOf('#')) });
    sessions.push(b);
    await waitReady(b.page);
    expect(await b.page.isVisible('[data-testid=shared-pending]')).toBe(true);
    await dropAndWait(b);
    expect(await b.page.isVisible('[data-testid=shared-pending]')).toBe(false);
    expect(await numberValue(b.page, 'kpi-revenue')).toBe(revenue);
    expect(await numberValue(b.page, 'kpi-customers')).toBe(customers);
    await b.page.click('[data-testid=tab-quality]');
    expect(await numberValue(b.page, 'quality-clean-rows')).toBe(cleanRows);
    expect(await b.page.isChecked('[data-testid=policy-net-returns]')).toBe(false);
    expect(a.blocked.concat(b.blocked)).toEqual([]);
    expect(a.consoleErrors.concat(b.consoleErrors)).toEqual([]);
  });

  it('loads ?data=<url> only after the user agrees', async () => {
    const dist = path.resolve(process.env.DIST_DIR ?? 'dist');
    const served = path.join(dist, 'e2e-remote-data.csv');
    fs.copyFileSync('test/fixtures/dirty-small.csv', served);
    try {
      const d = await openApp({ suffix: '?data=e2e-remote-data.csv' });
      sessions.push(d);
      const requested: string[] = [];
      d.context.on('request', (r) => requested.push(r.url()));
      await waitReady(d.page);
      expect(await d.page.isVisible('[data-testid=data-consent]')).toBe(true);
      expect(await d.page.textContent('[data-testid=data-consent]')).toContain('e2e-remote-data.csv');
      expect(requested.some((u) => u.includes('e2e-remote-data.csv'))).toBe(false);
      await d.page.click('[data-testid=data-load]');
      await d.page.waitForFunction(() => !document.querySelector('[data-testid=sample-badge]'), undefined, { timeout: 60_000 });
      await waitReady(d.page);
      expect(requested.some((u) => u.includes('e2e-remote-data.csv'))).toBe(true);
      await d.page.click('[data-testid=tab-quality]');
      expect(await numberValue(d.page, 'quality-rows-read')).toBe(12);
      expect(d.blocked).toEqual([]);
    } finally {
      fs.rmSync(served, { force: true });
    }
  });

  it('explains a damaged link and still opens on the sample', async () => {
    const c = await openApp({ suffix: '#cfg=v1.this-is-not-a-config' });
    sessions.push(c);
    await waitReady(c.page);
    expect(await c.page.textContent('[data-testid=error]')).toContain('damaged');
    expect(await numberValue(c.page, 'kpi-customers')).toBeGreaterThan(0);
  });
});
