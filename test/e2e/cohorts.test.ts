// The Cohorts view in Chromium: export cohorts.csv and compare it with an independent plain-JS
// computation over the embedded sample, then with hand-computed values for a small dropped file.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberValue, openApp, screenshot, type Session, waitReady } from './harness';

const HEADER = 'cohort,period,cohort_size,active_customers,retention,revenue,cumulative_revenue_per_customer';
let s: Session;

beforeAll(async () => {
  s = await openApp();
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

async function openCohorts(): Promise<void> {
  await s.page.click('[data-testid=tab-cohorts]');
  await s.page.waitForSelector('[data-testid=cohorts-count]', { timeout: 60_000 });
  await waitReady(s.page);
}

/** Click the export button and read the downloaded file (BOM checked and stripped). */
async function exportCohorts(): Promise<string[][]> {
  const [download] = await Promise.all([s.page.waitForEvent('download', { timeout: 60_000 }), s.page.click('[data-testid=export-cohorts]')]);
  expect(download.suggestedFilename()).toBe('cohorts.csv');
  const text = fs.readFileSync((await download.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe(HEADER);
  return lines.slice(1).map((l) => l.split(','));
}

type Row = [cohort: string, period: number, size: number, active: number, retention: number, revenue: number, cumulative: number];

function expectRows(actual: string[][], expected: Row[]): void {
  expect(actual.map((r) => [r[0], Number(r[1]), Number(r[2]), Number(r[3])])).toEqual(expected.map((e) => e.slice(0, 4)));
  actual.forEach((r, i) => {
    expect(Number(r[4])).toBeCloseTo(expected[i][4], 9);
    expect(Number(r[5])).toBeCloseTo(expected[i][5], 6);
    expect(Number(r[6])).toBeCloseTo(expected[i][6], 6);
  });
}

/**
 * Monthly cohorts of public/sample/transactions.csv by the definitions of issue #4, in plain JS:
 * the clean rows as in sampleKpisByHand (exact duplicates once; customer, valid date and numeric
 * amount required), orders = order ids, an order's day = its first row's day, positive = net > 0.
 */
function sampleCohortsByHand(): Row[] {
  const lines = fs.readFileSync('public/sample/transactions.csv', 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const [iOrder, iDate, iCustomer, iAmount] = ['order_id', 'order_date', 'customer_id', 'amount'].map((c) => header.indexOf(c));
  const seen = new Set<string>();
  const orders = new Map<string, { customer: string; day: string; net: number }>();
  let lastDay = '0000';
  for (const line of lines.slice(1)) {
    if (seen.has(line)) continue;
    seen.add(line);
    const f = line.split(',');
    const customer = f[iCustomer].trim();
    const day = f[iDate].slice(0, 10);
    const d = new Date(`${day}T00:00:00Z`);
    const validDate =
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(f[iDate]) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day && Number(f[iDate].slice(11, 13)) < 24 && Number(f[iDate].slice(14, 16)) < 60;
    const amount = /^-?\d+(\.\d+)?$/.test(f[iAmount]) ? Number(f[iAmount]) : NaN;
    if (!customer || !validDate || Number.isNaN(amount)) continue;
    const key = `${customer}\u0000${f[iOrder]}`;
    const o = orders.get(key) ?? { customer, day, net: 0 };
    o.net += amount;
    if (day < o.day) o.day = day;
    orders.set(key, o);
    if (day > lastDay) lastDay = day;
  }
  const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const first = new Map<string, number>();
  for (const o of orders.values()) {
    if (o.net > 1e-9) first.set(o.customer, Math.min(first.get(o.customer) ?? Infinity, monthIndex(o.day)));
  }
  const horizon = monthIndex(lastDay);
  const size = new Map<number, number>();
  for (const c of first.values()) size.set(c, (size.get(c) ?? 0) + 1);
  const active = new Map<string, Set<string>>();
  const revenue = new Map<string, number>();
  for (const o of orders.values()) {
    const c = first.get(o.customer);
    if (c === undefined) continue;
    const k = monthIndex(o.day) - c;
    if (k < 0) continue;
    revenue.set(`${c}|${k}`, (revenue.get(`${c}|${k}`) ?? 0) + o.net);
    if (o.net > 1e-9) {
      if (!active.has(`${c}|${k}`)) active.set(`${c}|${k}`, new Set());
      active.get(`${c}|${k}`)!.add(o.customer);
    }
  }
  const rows: Row[] = [];
  for (const c of [...size.keys()].sort((a, b) => a - b)) {
    const n = size.get(c)!;
    const label = `${Math.floor(c / 12)}-${String((c % 12) + 1).padStart(2, '0')}`;
    let cumulative = 0;
    for (let k = 0; k <= horizon - c; k++) {
      const a = active.get(`${c}|${k}`)?.size ?? 0;
      const r = revenue.get(`${c}|${k}`) ?? 0;
      cumulative += r;
      rows.push([label, k, n, a, a / n, r, cumulative / n]);
    }
  }
  return rows;
}

describe('cohorts on the embedded sample', () => {
  it('exports the monthly cohort table equal to an independent computation', async () => {
    await openCohorts();
    const expected = sampleCohortsByHand();
    expect(expected.length).toBeGreaterThan(400); // 30 monthly cohorts, the full triangle
    expectRows(await exportCohorts(), expected);
    expect(await numberValue(s.page, 'cohorts-count')).toBe(new Set(expected.map((r) => r[0])).size);
    await screenshot(s.page, 'cohorts-sample-en');
  });
});

// A hand-made file: six customers over four months.
const FIXTURE = [
  'order_id,order_date,customer_id,amount,channel',
  'O1,2024-01-05 10:00:00,A,100.00,web',
  'O2,2024-02-01 09:00:00,A,50.00,web',
  'O3,2024-04-20 12:00:00,A,30.00,web',
  'O4,2024-01-31 23:59:00,B,80.00,store',
  'O5,2024-03-10 10:00:00,B,-20.00,store', // a return: revenue −20 in March, but B is not active
  'R1,2024-01-10 10:00:00,C,-15.00,web', // C's first order is a return: C's cohort is February
  'O6,2024-02-15 10:00:00,C,60.00,web',
  'O7,2024-02-15 11:00:00,C,40.00,web', // a second order the same day
  'O8,2024-04-02 10:00:00,C,25.00,web',
  'O9,2024-02-29 10:00:00,D,200.00,store',
  'O10,2024-03-01 10:00:00,E,10.00,web',
  'O10,2024-03-01 10:00:00,E,5.00,store', // a second line of the same order: O10 = 15
  'O11,2024-04-30 10:00:00,E,20.00,web',
  'O12,2024-03-15 10:00:00,F,-30.00,web', // F only returned goods: no cohort
].join('\n');

describe('cohorts of a dropped file, computed by hand', () => {
  beforeAll(async () => {
    await s.page.setInputFiles('[data-testid=file-input]', [{ name: 'six-customers.csv', mimeType: 'text/csv', buffer: Buffer.from(FIXTURE) }]);
    await s.page.waitForFunction(() => !document.querySelector('[data-testid=sample-badge]'), undefined, { timeout: 60_000 });
    await waitReady(s.page);
    await openCohorts();
    await s.page.waitForFunction(() => document.querySelector('[data-testid=cohorts-count]')?.getAttribute('data-value') === '3', undefined, { timeout: 30_000 });
  });

  it('exact periods', async () => {
    // Cohorts: 2024-01 {A (01-05), B (01-31)}, 2024-02 {C (02-15; R1 in January is period −1), D (02-29)},
    // 2024-03 {E}. The data ends in April.
    expectRows(await exportCohorts(), [
      // Jan: k0 A 100 + B 80; k1 A 50; k2 only B's return −20 (nobody active); k3 A 30. Cumulative / 2.
      ['2024-01', 0, 2, 2, 1, 180, 90],
      ['2024-01', 1, 2, 1, 0.5, 50, 115],
      ['2024-01', 2, 2, 0, 0, -20, 105],
      ['2024-01', 3, 2, 1, 0.5, 30, 120],
      // Feb: k0 C 60 + 40, D 200; k1 March empty; k2 C 25.
      ['2024-02', 0, 2, 2, 1, 300, 150],
      ['2024-02', 1, 2, 0, 0, 0, 150],
      ['2024-02', 2, 2, 1, 0.5, 25, 162.5],
      // Mar: E 10 + 5, then 20.
      ['2024-03', 0, 1, 1, 1, 15, 15],
      ['2024-03', 1, 1, 1, 1, 20, 35],
    ]);
    // Headline: 5 customers; period 1 retention (1 + 0 + 1) / (2 + 2 + 1) = 0.4.
    expect(await numberValue(s.page, 'cohorts-customers')).toBe(5);
    expect(await numberValue(s.page, 'cohorts-retention-1')).toBeCloseTo(0.4, 12);
    // Gaps between positive orders: A 27 and 79 (01-05→02-01→04-20, 2024 is a leap year), C 0 and 47,
    // E 60 → sorted 0, 27, 47, 60, 79: median 47; p80 at position 3.2 → 60 + 0.2 · 19 = 63.8.
    expect(await numberValue(s.page, 'cohorts-median-gap')).toBe(47);
    expect(await numberValue(s.page, 'cohorts-p80-gap')).toBeCloseTo(63.8, 9);
    expect(await s.page.getAttribute('[data-testid=cohort-heatmap]', 'data-rows')).toBe('3');
    // Suggested lifecycle windows from the median of 47 days: active 2 · 47 = 94 → whole weeks 98,
    // silent 4 · 47 = 188 → 189 (the rule of thumb of the segmentation issue).
    const apply = '[data-testid=cohorts-apply-lifecycle]';
    expect(JSON.parse((await s.page.getAttribute(apply, 'data-value'))!)).toEqual({ newDays: 98, activeDays: 98, silentDays: 189 });
    await s.page.click(apply);
    expect(await s.page.isDisabled(apply)).toBe(true);
    await screenshot(s.page, 'cohorts-fixture-en');
  });

  it('"in this period or later"', async () => {
    await s.page.selectOption('[data-testid=cohorts-mode]', 'unbounded');
    // Last active period: A 3, B 0 | C 2, D 0 | E 1. Revenue unchanged.
    expectRows(await exportCohorts(), [
      ['2024-01', 0, 2, 2, 1, 180, 90],
      ['2024-01', 1, 2, 1, 0.5, 50, 115],
      ['2024-01', 2, 2, 1, 0.5, -20, 105],
      ['2024-01', 3, 2, 1, 0.5, 30, 120],
      ['2024-02', 0, 2, 2, 1, 300, 150],
      ['2024-02', 1, 2, 1, 0.5, 0, 150],
      ['2024-02', 2, 2, 1, 0.5, 25, 162.5],
      ['2024-03', 0, 1, 1, 1, 15, 15],
      ['2024-03', 1, 1, 1, 1, 20, 35],
    ]);
    await s.page.selectOption('[data-testid=cohorts-mode]', 'exact');
  });

  it('weeks and quarters, and a channel filter', async () => {
    await s.page.selectOption('[data-testid=cohorts-grain]', 'quarter');
    // 2024-Q1 = {A, B, C, D, E}: k0 100 + 50 + 80 − 20 − 15 + 60 + 40 + 200 + 15 = 510 (R1 is in C's cohort
    // quarter); k1 A 30, C 25, E 20 = 75, active A, C, E.
    expectRows(await exportCohorts(), [
      ['2024-Q1', 0, 5, 5, 1, 510, 102],
      ['2024-Q1', 1, 5, 3, 0.6, 75, 117],
    ]);
    await s.page.selectOption('[data-testid=cohorts-grain]', 'week');
    const weeks = await exportCohorts();
    // A 2024-01-05 (Fri) → 2024-W01; B 01-31 (Wed) → W05; C 02-15 → W07; D 02-29 → W09; E 03-01 (Fri) → W09.
    expect([...new Set(weeks.map((r) => r[0]))]).toEqual(['2024-W01', '2024-W05', '2024-W07', '2024-W09']);
    await s.page.selectOption('[data-testid=cohorts-grain]', 'month');
    // First purchase in store: B (O4) and D (O9). E's first order O10 has a web and a store line: it counts too.
    await s.page.selectOption('[data-testid=cohorts-filter]', JSON.stringify(['channel', 'store']));
    const store = await exportCohorts();
    expect(store.filter((r) => r[1] === '0').map((r) => [r[0], r[2]])).toEqual([
      ['2024-01', '1'],
      ['2024-02', '1'],
      ['2024-03', '1'],
    ]);
    await s.page.selectOption('[data-testid=cohorts-filter]', '');
  });

  it('segment migration: default dates, special categories, a flow and migration.csv', async () => {
    // Default: to = the day after the last transaction (2024-05-01), from = one quarter earlier (2024-02-01).
    // The section computes once it is near the screen (here it already is: the table is short).
    await s.page.locator('[data-testid=migration]').scrollIntoViewIfNeeded();
    await s.page.waitForSelector('[data-testid=migration-total]', { timeout: 30_000 });
    expect(await s.page.inputValue('[data-testid=migration-from]')).toBe('2024-02-01');
    expect(await s.page.inputValue('[data-testid=migration-to]')).toBe('2024-05-01');
    // Before 2024-02-01: A and B bought (scored), C only returned (unscored), D, E, F had nothing (not yet).
    // By 2024-05-01 A–E have bought; F only returned and is left out. Five customers move.
    expect(await numberValue(s.page, 'migration-total')).toBe(5);
    const sum = (prefix: string) =>
      s.page.$$eval(`[data-testid^="migration-flow-${prefix}-"]`, (els) => els.reduce((t, e) => t + Number(e.getAttribute('data-value')), 0));
    expect(await sum('not_yet_customer')).toBe(2); // D, E
    expect(await sum('unscored')).toBe(1); // C
    // Every node label, "No purchase yet (returns only) · 1" the longest, lies inside the diagram.
    const overflow = await s.page.$eval('[data-testid=migration-flows]', (svg) => {
      const width = (svg as SVGSVGElement).viewBox.baseVal.width;
      return [...svg.querySelectorAll('text.node')]
        .map((t) => ({ text: t.textContent, box: (t as SVGTextElement).getBBox() }))
        .filter(({ box }) => box.x < 0 || box.x + box.width > width)
        .map(({ text }) => text);
    });
    expect(overflow).toEqual([]);
    await s.page.click('[data-testid^="migration-flow-unscored-"]');
    await s.page.waitForSelector('[data-testid=migration-customers] td');
    expect(await s.page.textContent('[data-testid=migration-customers] tbody td')).toBe('C');
    const read = async () => {
      const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=export-migration]')]);
      expect(download.suggestedFilename()).toBe('migration.csv');
      const text = fs.readFileSync((await download.path())!, 'utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trim().split('\r\n');
      expect(lines[0]).toBe('customer_id,segment_from,segment_to,monetary_from,monetary_to');
      return lines.slice(1).map((l) => l.split(','));
    };
    // C: nothing scored at the first date; −15 + 60 + 40 + 25 = 110 at the second.
    const flow = await read();
    expect(flow.map((r) => [r[0], r[1], r[3], r[4]])).toEqual([['C', 'unscored', '', '110']]);
    await s.page.click('[data-testid=migration-customers] button.link');
    // All: A 100 → 100 + 50 + 30 = 180 (O3 on 04-20 is before 05-01); B 80 → 80 − 20 = 60; D — → 200; E — → 15 + 20 = 35.
    const all = await read();
    expect(all.map((r) => [r[0], r[3], r[4]])).toEqual([
      ['A', '100', '180'],
      ['B', '80', '60'],
      ['C', '', '110'],
      ['D', '', '200'],
      ['E', '', '35'],
    ]);
    expect(all.filter((r) => r[1] === 'not_yet_customer').map((r) => r[0])).toEqual(['D', 'E']);
  });

  it('stays offline and error-free, in Chinese too', async () => {
    await s.page.selectOption('[data-testid=language]', 'zh-CN');
    expect(await s.page.textContent('[data-testid=tab-cohorts]')).toBe('同期群');
    await screenshot(s.page, 'cohorts-fixture-zh');
    await s.page.selectOption('[data-testid=language]', 'en');
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
