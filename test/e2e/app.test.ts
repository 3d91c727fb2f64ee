// The built app in Debian Chromium, offline: every non-local request is blocked and counted.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberValue, openApp, screenshot, type Session, value, waitReady } from './harness';
import { gbkFixture, parquetFixture, sampleKpisByHand } from './fixtures';

let s: Session;

beforeAll(async () => {
  s = await openApp();
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

async function drop(files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const before = await s.page.getAttribute('[data-testid=app-root]', 'data-state');
  await s.page.setInputFiles('[data-testid=file-input]', files);
  // Wait for the step to start and then to finish.
  if (before === 'ready') await s.page.waitForFunction(() => document.querySelector('[data-testid=app-root]')?.getAttribute('data-state') !== 'ready', undefined, { timeout: 10_000 }).catch(() => undefined);
  await waitReady(s.page);
}

describe('the workbench on its embedded sample', () => {
  it('opens ready, with the sample badge and headline KPIs equal to an independent computation', async () => {
    expect(await s.page.getAttribute('[data-testid=app-root]', 'data-state')).toBe('ready');
    expect(await s.page.isVisible('[data-testid=sample-badge]')).toBe(true);
    const hand = sampleKpisByHand();
    expect(await numberValue(s.page, 'kpi-customers')).toBe(hand.customers);
    expect(await numberValue(s.page, 'kpi-orders')).toBe(hand.orders);
    expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(hand.revenue, 2);
    expect(await numberValue(s.page, 'kpi-aov')).toBeCloseTo(hand.aov, 6);
    expect(await value(s.page, 'kpi-first-date')).toBe(hand.first);
    expect(await value(s.page, 'kpi-last-date')).toBe(hand.last);
    await screenshot(s.page, 'sample-overview-en');
  });

  it('shows the quality counts the sample generator documents', async () => {
    await s.page.click('[data-testid=tab-quality]');
    // public/sample/README.md: 81,493 rows; 30 without customer; 10 bad dates; 10 bad amounts;
    // 1,558 return rows; 25 exact duplicates.
    expect(await numberValue(s.page, 'quality-rows-read')).toBe(81_493);
    expect(await numberValue(s.page, 'quality-missing-customer')).toBe(30);
    expect(await numberValue(s.page, 'quality-bad-date')).toBe(10);
    expect(await numberValue(s.page, 'quality-bad-amount')).toBe(10);
    expect(await numberValue(s.page, 'quality-returns')).toBe(1_558);
    expect(await numberValue(s.page, 'quality-duplicates')).toBe(25);
    expect(await numberValue(s.page, 'quality-return-only')).toBe(3);
    await screenshot(s.page, 'sample-quality-en');
  });

  it('switches to Chinese and remembers it after a reload', async () => {
    await s.page.selectOption('[data-testid=language]', 'zh-CN');
    await s.page.click('[data-testid=tab-overview]');
    expect(await s.page.textContent('h1')).toBe('客户分析工作台');
    expect(await s.page.textContent('[data-testid=kpi-customers] .label')).toBe('客户数');
    await screenshot(s.page, 'sample-overview-zh');
    await s.page.reload();
    await waitReady(s.page);
    expect(await s.page.textContent('h1')).toBe('客户分析工作台');
    await s.page.selectOption('[data-testid=language]', 'en');
  });
});

describe('dropping files', () => {
  it('reads an Online-Retail-shaped CSV: mapping without help and hand-counted quality numbers', async () => {
    await drop([{ name: 'retail.csv', mimeType: 'text/csv', buffer: fs.readFileSync('test/fixtures/dirty-small.csv') }]);
    expect(await s.page.isVisible('[data-testid=sample-badge]')).toBe(false);
    await s.page.click('[data-testid=tab-quality]');
    // Counted by hand in test/fixtures/dirty-small.csv (see test/unit/workspace.test.ts).
    expect(await numberValue(s.page, 'quality-rows-read')).toBe(12);
    expect(await numberValue(s.page, 'quality-missing-customer')).toBe(2);
    expect(await numberValue(s.page, 'quality-bad-date')).toBe(1);
    expect(await numberValue(s.page, 'quality-bad-amount')).toBe(1);
    expect(await numberValue(s.page, 'quality-returns')).toBe(2);
    expect(await numberValue(s.page, 'quality-duplicates')).toBe(1);
    // Example rows are loaded when opened: the bad date is data row 9, shown as written.
    await s.page.click('[data-testid=quality-examples-bad_date]');
    const example = s.page.locator('tr.examples tbody tr');
    await example.first().waitFor();
    expect(await example.count()).toBe(1);
    expect(await example.locator('td').nth(1).textContent()).toBe('9');
    expect(await example.locator('td', { hasText: 'not a date' }).count()).toBe(1);
    await s.page.click('[data-testid=tab-mapping]');
    expect(await value(s.page, 'map-customer_id')).toBe('CustomerID');
    expect(await value(s.page, 'map-quantity')).toBe('Quantity');
    expect(await value(s.page, 'map-unit_price')).toBe('UnitPrice');
    expect(await value(s.page, 'map-amount')).toBe('');
    expect(await s.page.isVisible('[data-testid=amount-computed]')).toBe(true);
    await screenshot(s.page, 'retail-mapping-en');
  });

  it('reads a Parquet file row group by row group', async () => {
    await s.page.click('[data-testid=tab-files]');
    // Replace what is loaded: remove the CSV, then drop the Parquet file.
    await s.page.click('[data-testid=file-card] button:has-text("Remove")');
    await waitReady(s.page);
    await drop([{ name: 'orders.parquet', mimeType: 'application/octet-stream', buffer: parquetFixture() }]);
    await s.page.click('[data-testid=tab-quality]');
    // 7 rows: row 4 has an empty customer, row 3 is a return, row 7 repeats row 6.
    expect(await numberValue(s.page, 'quality-rows-read')).toBe(7);
    expect(await numberValue(s.page, 'quality-missing-customer')).toBe(1);
    expect(await numberValue(s.page, 'quality-returns')).toBe(1);
    expect(await numberValue(s.page, 'quality-duplicates')).toBe(1);
    expect(await numberValue(s.page, 'quality-bad-date')).toBe(0);
    await s.page.click('[data-testid=tab-overview]');
    // Customers A, B, C; positive orders o1 o2 o5 o6; revenue 10+20-5+30+40 = 95.
    expect(await numberValue(s.page, 'kpi-customers')).toBe(3);
    expect(await numberValue(s.page, 'kpi-orders')).toBe(4);
    expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(95, 9);
  });

  it('detects a GBK file with Chinese headers', async () => {
    await s.page.click('[data-testid=tab-files]');
    await s.page.click('[data-testid=file-card] button:has-text("Remove")');
    await waitReady(s.page);
    await drop([{ name: 'gbk-export.csv', mimeType: 'text/csv', buffer: gbkFixture() }]);
    await s.page.click('[data-testid=tab-files]');
    expect(await s.page.textContent('[data-testid=file-encoding]')).toBe('gb18030');
    await s.page.click('[data-testid=tab-mapping]');
    expect(await value(s.page, 'map-customer_id')).toBe('会员编号');
    expect(await value(s.page, 'map-order_date')).toBe('下单时间');
    expect(await value(s.page, 'map-amount')).toBe('实付金额');
    expect(await value(s.page, 'map-channel')).toBe('渠道');
    await s.page.click('[data-testid=tab-overview]');
    expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(200, 9);
    expect(await numberValue(s.page, 'kpi-customers')).toBe(2);
  });

  it('explains a bad file and keeps what was loaded', async () => {
    const revenueBefore = await numberValue(s.page, 'kpi-revenue');
    await drop([{ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) }]);
    const error = s.page.locator('[data-testid=error]');
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain('empty.csv');
    expect(await error.textContent()).toContain('The data you had loaded before is still here');
    expect(await numberValue(s.page, 'kpi-revenue')).toBe(revenueBefore);
    await screenshot(s.page, 'error-empty-file');
  });

  it('made no request outside the local server and logged no console errors', () => {
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
