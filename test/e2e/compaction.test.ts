// After a load is on screen the engine compresses its tables (Database.compact, run by the
// Workbench once the data and its trend are shown): the page says when it is done, and what is
// shown before and read after it are the same numbers. Expected values are counted here from
// the file's own lines (a line equal to an earlier one is a duplicate and is left out).
import { afterEach, expect, it } from 'vitest';
import { warmUpTransactionsCsv } from '../../src/core/warm-up-data';
import { numberValue, openApp, type Session, waitReady } from './harness';

let s: Session | undefined;

afterEach(async () => {
  await s?.close();
  s = undefined;
});

it('compacts the tables after a load, with the same numbers before and after, and the views work on them', async () => {
  const csv = warmUpTransactionsCsv(150_000);
  const seen = new Set<string>();
  const customers = new Set<string>();
  let revenue = 0;
  for (const line of csv.trimEnd().split('\n').slice(1)) {
    if (seen.has(line)) continue;
    seen.add(line);
    const [, , customer, amount] = line.split(',');
    customers.add(customer);
    revenue += Number(amount);
  }

  s = await openApp();
  await waitReady(s.page);
  await s.page.setInputFiles('[data-testid=file-input]', [{ name: 'transactions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  await s.page.waitForFunction(() => !document.querySelector('[data-testid=sample-badge]'), undefined, { timeout: 60_000 });
  await waitReady(s.page);
  expect(await numberValue(s.page, 'kpi-customers')).toBe(customers.size);
  expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(revenue, 2);

  await s.page.waitForSelector('[data-testid=app-root][data-compaction=done]', { timeout: 60_000 });
  expect(await numberValue(s.page, 'kpi-customers')).toBe(customers.size);
  // Read from the compressed tables: every customer is scored or not (no positive order).
  await s.page.click('[data-testid=tab-segments]');
  await s.page.waitForSelector('[data-testid=segments-view][data-state=ready]', { timeout: 60_000 });
  expect((await numberValue(s.page, 'seg-kpi-scored')) + (await numberValue(s.page, 'seg-kpi-unscored'))).toBe(customers.size);
  expect(s.blocked).toEqual([]);
  expect(s.consoleErrors).toEqual([]);
});
