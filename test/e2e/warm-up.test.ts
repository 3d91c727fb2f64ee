// The engine warm-up (src/engine/warm-up.ts): a throwaway engine worker runs the pipeline on
// synthetic rows while the sample is on screen, then goes; it never touches what is shown, and a
// file dropped meanwhile stops it and loads as usual.
import { afterEach, expect, it } from 'vitest';
import { numberValue, openApp, type Session, waitReady } from './harness';

let s: Session | undefined;

afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Engine workers of the page (the main one, and the warm-up's while it runs): not the read-ahead helpers. */
function engineWorkers(session: Session): number {
  return session.page.workers().filter((w) => /\/worker-[^/]*\.js$/.test(new URL(w.url()).pathname)).length;
}

async function warmUpState(session: Session): Promise<string | null> {
  return session.page.getAttribute('[data-testid=app-root]', 'data-warm-up');
}

it('runs after the sample is on screen, leaves it as it was, and its worker goes', async () => {
  s = await openApp();
  await waitReady(s.page);
  const before = await Promise.all(['kpi-customers', 'kpi-orders', 'kpi-revenue'].map((id) => numberValue(s!.page, id)));
  await s.page.waitForSelector('[data-testid=app-root][data-warm-up=running]', { timeout: 30_000 });
  await expect.poll(() => engineWorkers(s!)).toBe(2);
  await s.page.waitForSelector('[data-testid=app-root][data-warm-up=done]', { timeout: 120_000 });
  await expect.poll(() => engineWorkers(s!)).toBe(1);
  expect(await s.page.getAttribute('[data-testid=app-root]', 'data-state')).toBe('ready');
  expect(await Promise.all(['kpi-customers', 'kpi-orders', 'kpi-revenue'].map((id) => numberValue(s!.page, id)))).toEqual(before);
  // The sample's views still work on the sample (the warm-up's data lived in its own engine).
  await s.page.click('[data-testid=tab-segments]');
  await s.page.waitForSelector('[data-testid=segments-view][data-state=ready]', { timeout: 60_000 });
  // Every customer of the sample is scored or not (had no positive order).
  expect((await numberValue(s.page, 'seg-kpi-scored')) + (await numberValue(s.page, 'seg-kpi-unscored'))).toBe(before[0]);
  expect(s.blocked).toEqual([]);
  expect(s.consoleErrors).toEqual([]);
});

it('gives way to a file dropped while it runs', async () => {
  s = await openApp();
  await waitReady(s.page);
  await s.page.waitForSelector('[data-testid=app-root][data-warm-up=running]', { timeout: 30_000 });
  // By hand: 3 customers (A, B, C); orders with a positive net: O1, O2, O4; revenue 10 + 20 − 5 + 7.5 = 32.5.
  const csv = ['order_id,order_date,customer_id,amount', 'O1,2024-01-05,A,10', 'O2,2024-02-01,B,20', 'O3,2024-02-03,B,-5', 'O4,2024-03-01,C,7.5'].join('\n');
  await s.page.setInputFiles('[data-testid=file-input]', [{ name: 'four-rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  await s.page.waitForSelector('[data-testid=app-root][data-warm-up=stopped]', { timeout: 10_000 });
  await s.page.waitForFunction(() => !document.querySelector('[data-testid=sample-badge]'), undefined, { timeout: 60_000 });
  await waitReady(s.page);
  await expect.poll(() => engineWorkers(s!)).toBe(1);
  expect(await numberValue(s.page, 'kpi-customers')).toBe(3);
  expect(await numberValue(s.page, 'kpi-orders')).toBe(3);
  expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(32.5, 9);
  expect(s.blocked).toEqual([]);
  expect(s.consoleErrors).toEqual([]);
});
