// The Segments view in Debian Chromium: open it on the sample, switch schemes, export
// customers.csv and compare every customer with an independent computation of the issue's
// definitions (plain JS over the sample CSV, below); then drop a hand-computed 8-customer file
// and check its export in Chinese, a one-segment export, the summary, Parquet and chart exports.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from 'playwright-core';
import { numberValue, openApp, screenshot, type Session, waitReady } from './harness';
import { parseCsv } from '../../src/core/csv';

const HEADER =
  'customer_id,first_purchase,last_purchase,recency_days,frequency,monetary,avg_order_value,r_score,f_score,m_score,rfm_code,segment,abc_class,lifecycle_stage,strategy';

let s: Session;

beforeAll(async () => {
  s = await openApp();
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

async function segmentsReady(scheme?: string) {
  const selector = scheme
    ? `[data-testid=segments-view][data-state=ready][data-scheme=${scheme}]`
    : '[data-testid=segments-view][data-state=ready]';
  await s.page.waitForSelector(selector, { timeout: 60_000 });
  await waitReady(s.page);
}

async function download(testid: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = (await Promise.all([s.page.waitForEvent('download', { timeout: 60_000 }), s.page.click(`[data-testid="${testid}"]`)])) as [Download, unknown];
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(path!) };
}

function csvRecords(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
  return parseCsv(bytes.toString('utf8'));
}

// ---------------------------------------------------------------------------------------------
// Independent computation of the definitions of issue #3 over public/sample/transactions.csv.
// Clean rows as in test/e2e/fixtures.ts (exact duplicate lines dropped, non-empty customer id,
// a valid 'YYYY-MM-DD HH:MM:SS' date, a numeric amount). Money is summed in integer cents.
// ---------------------------------------------------------------------------------------------
interface Expected {
  first: string;
  last: string;
  recency: number;
  frequency: number;
  monetaryCents: number;
  r: number;
  f: number;
  m: number;
  abc: string;
  stage: string;
  classic8: string;
}

const DAY = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

function sampleByHand(file = 'public/sample/transactions.csv', bins = 5): Map<string, Expected> {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const [iOrder, iDate, iCustomer, iAmount] = ['order_id', 'order_date', 'customer_id', 'amount'].map((c) => header.indexOf(c));
  const seen = new Set<string>();
  // customer → order → { day, cents }
  const orders = new Map<string, Map<string, { day: string; cents: number }>>();
  const monetary = new Map<string, number>();
  let lastDay = '0000-00-00';
  for (const line of lines.slice(1)) {
    if (seen.has(line)) continue;
    seen.add(line);
    const f = line.split(',');
    const customer = f[iCustomer].trim();
    const day = f[iDate].slice(0, 10);
    const validDate =
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(f[iDate]) &&
      !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
      new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day &&
      Number(f[iDate].slice(11, 13)) < 24 &&
      Number(f[iDate].slice(14, 16)) < 60;
    if (!customer || !validDate || !/^-?\d+(\.\d+)?$/.test(f[iAmount])) continue;
    const cents = Math.round(Number(f[iAmount]) * 100);
    if (!orders.has(customer)) orders.set(customer, new Map());
    const o = orders.get(customer)!.get(f[iOrder]) ?? { day, cents: 0 };
    o.cents += cents;
    if (day < o.day) o.day = day;
    orders.get(customer)!.set(f[iOrder], o);
    monetary.set(customer, (monetary.get(customer) ?? 0) + cents);
    if (day > lastDay) lastDay = day;
  }
  const asOf = dayNumber(lastDay) + 1;
  type Row = { id: string; first: string; last: string; recency: number; frequency: number; cents: number };
  const rows: Row[] = [];
  for (const [id, byOrder] of orders) {
    const positive = [...byOrder.values()].filter((o) => o.cents > 0).map((o) => o.day).sort();
    if (positive.length === 0) continue; // only returns: not scored
    const last = positive[positive.length - 1];
    rows.push({ id, first: positive[0], last, recency: asOf - dayNumber(last), frequency: positive.length, cents: monetary.get(id)! });
  }
  const n = rows.length;
  // score = ceil(bins · k / n), k = customers ordered at or before (ties included).
  const score = (k: number) => Math.ceil((bins * k) / n - 1e-12);
  const atOrBefore = (values: number[], better: (a: number, b: number) => boolean) => {
    return values.map((v) => values.filter((w) => !better(v, w)).length);
  };
  // R: recency descending → k = #{recency ≥ mine}; F, M ascending → k = #{value ≤ mine}.
  const kR = atOrBefore(rows.map((r) => r.recency), (mine, other) => other < mine);
  const kF = atOrBefore(rows.map((r) => r.frequency), (mine, other) => other > mine);
  const kM = atOrBefore(rows.map((r) => r.cents), (mine, other) => other > mine);
  const scores = rows.map((_, i) => ({ r: score(kR[i]), f: score(kF[i]), m: score(kM[i]) }));
  const mean = (d: 'r' | 'f' | 'm') => scores.reduce((a, x) => a + x[d], 0) / n;
  const means = { r: mean('r'), f: mean('f'), m: mean('m') };
  // ABC: monetary desc, id asc; share of the customers before.
  const total = rows.reduce((a, r) => a + r.cents, 0);
  const order = rows.map((r, i) => i).sort((a, b) => rows[b].cents - rows[a].cents || (rows[a].id < rows[b].id ? -1 : 1));
  const abc = new Array<string>(n);
  let before = 0;
  for (const i of order) {
    const share = before / total;
    abc[i] = share < 0.8 ? 'A' : share < 0.95 ? 'B' : 'C';
    before += rows[i].cents;
  }
  const classic8 = (sc: { r: number; f: number; m: number }) => {
    const hi = { r: sc.r > means.r, f: sc.f > means.f, m: sc.m > means.m };
    const kind = hi.r ? (hi.f ? 'value' : 'development') : hi.f ? 'retention' : 'win-back';
    return `${hi.m ? 'Important' : 'General'} ${kind}`;
  };
  const out = new Map<string, Expected>();
  rows.forEach((r, i) => {
    const tenure = asOf - dayNumber(r.first);
    const stage = tenure <= 90 ? 'new' : r.recency <= 90 ? 'active' : r.recency <= 180 ? 'silent' : 'churned';
    out.set(r.id, {
      first: r.first,
      last: r.last,
      recency: r.recency,
      frequency: r.frequency,
      monetaryCents: r.cents,
      ...scores[i],
      abc: abc[i],
      stage,
      classic8: classic8(scores[i]),
    });
  });
  return out;
}

describe('Segments on the embedded sample', () => {
  it('opens, switches scheme, and re-segments without re-reading', async () => {
    await s.page.click('[data-testid=tab-segments]');
    await segmentsReady('classic8');
    // The cross-tab (an aggregate over every transaction) waits until it is scrolled to.
    expect(await s.page.getAttribute('[data-testid=crosstab-section]', 'data-state')).toBe('waiting');
    const scored = await numberValue(s.page, 'seg-kpi-scored');
    expect(scored).toBeGreaterThan(4000);
    await s.page.selectOption('[data-testid=seg-scheme]', 'crm4');
    await segmentsReady('crm4');
    const crm4 = await s.page.$$eval('[data-testid^=segment-row-]', (rows) => rows.map((r) => Number(r.getAttribute('data-value'))));
    expect(crm4).toHaveLength(5);
    expect(crm4.reduce((a, b) => a + b, 0)).toBe(scored);
    await s.page.selectOption('[data-testid=seg-scheme]', 'grid11');
    await segmentsReady('grid11');
    expect(await s.page.$$eval('[data-testid^=segment-row-]', (rows) => rows.length)).toBe(11);
    await screenshot(s.page, 'segments-grid11-en');
    await s.page.selectOption('[data-testid=seg-scheme]', 'classic8');
    await segmentsReady('classic8');
  });

  it('exports customers.csv equal to an independent computation for every customer', async () => {
    const file = await download('export-customers');
    expect(file.name).toBe('customers.csv');
    const [header, ...rows] = csvRecords(file.bytes);
    expect(header.join(',')).toBe(HEADER);
    const expected = sampleByHand();
    expect(rows.length).toBe(expected.size);
    expect(rows.length).toBe(await numberValue(s.page, 'seg-kpi-scored'));
    const col = Object.fromEntries(header.map((h, i) => [h, i]));
    let checked = 0;
    for (const row of rows) {
      const e = expected.get(row[col.customer_id]);
      expect(e, row[col.customer_id]).toBeDefined();
      const got = {
        first: row[col.first_purchase],
        last: row[col.last_purchase],
        recency: Number(row[col.recency_days]),
        frequency: Number(row[col.frequency]),
        monetaryCents: Math.round(Number(row[col.monetary]) * 100),
        r: Number(row[col.r_score]),
        f: Number(row[col.f_score]),
        m: Number(row[col.m_score]),
        abc: row[col.abc_class],
        stage: row[col.lifecycle_stage],
        classic8: row[col.segment],
      };
      expect(got, row[col.customer_id]).toEqual(e);
      expect(row[col.rfm_code]).toBe(`${e!.r}${e!.f}${e!.m}`);
      expect(Number(row[col.avg_order_value])).toBeCloseTo(e!.monetaryCents / 100 / e!.frequency, 6);
      expect(row[col.strategy].length).toBeGreaterThan(20);
      checked++;
    }
    expect(checked).toBe(expected.size);
  });

  it('lists a segment in the explorer and opens a customer profile', async () => {
    await s.page.click('[data-testid=explore-segment-important_value]');
    const expectedCount = Number(await s.page.getAttribute('[data-testid=segment-row-important_value]', 'data-value'));
    await s.page.waitForFunction(
      (n) => document.querySelector('[data-testid=explorer-total]')?.getAttribute('data-value') === String(n),
      expectedCount,
      { timeout: 30_000 },
    );
    const first = s.page.locator('[data-testid=explorer-row]').first();
    const id = await first.getAttribute('data-value');
    await first.locator('button').first().click();
    await s.page.waitForSelector(`[data-testid=customer-profile][data-value="${id}"] [data-testid=profile-segment]`, { timeout: 30_000 });
    expect(await s.page.getAttribute('[data-testid=profile-segment]', 'data-value')).toBe('important_value');
    await screenshot(s.page, 'segments-profile-en');
  });

  it('lists the customers of a cross-tab cell (segment × main channel)', async () => {
    await s.page.locator('[data-testid=crosstab-section]').scrollIntoViewIfNeeded();
    await s.page.waitForSelector('[data-testid=crosstab-section][data-state=ready]', { timeout: 30_000 });
    const cell = s.page.locator('[data-testid^=crosstab-cell-important_value-value-]').first();
    await cell.waitFor({ timeout: 30_000 });
    const count = await cell.locator('xpath=..').getAttribute('data-value');
    await cell.click();
    await s.page.waitForFunction(
      (n) => document.querySelector('[data-testid=explorer-total]')?.getAttribute('data-value') === n,
      count,
      { timeout: 30_000 },
    );
    expect(Number(count)).toBeGreaterThan(0);
    expect(await s.page.textContent('[data-testid=explorer-filter]')).toMatch(/channel/i);
  });

  it('exports the summary, Parquet and charts as SVG and PNG', async () => {
    const summary = await download('export-segments-summary');
    expect(summary.name).toBe('segments.csv');
    const [head, ...segs] = csvRecords(summary.bytes);
    expect(head.slice(0, 3)).toEqual(['segment_id', 'segment', 'customers']);
    expect(segs.map((r) => r[0])).toEqual([
      'important_value', 'important_development', 'important_retention', 'important_winback',
      'general_value', 'general_development', 'general_retention', 'general_winback',
    ]);
    expect(segs.reduce((a, r) => a + Number(r[2]), 0)).toBe(await numberValue(s.page, 'seg-kpi-scored'));

    const parquet = await download('export-customers-parquet');
    expect(parquet.name).toBe('customers.parquet');
    expect(parquet.bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');

    const svg = await download('chart-heatmap-svg');
    expect(svg.name.endsWith('.svg')).toBe(true);
    expect(svg.bytes.toString('utf8')).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = await download('chart-pareto-png');
    expect(png.name.endsWith('.png')).toBe(true);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});

// ---------------------------------------------------------------------------------------------
// test/fixtures/segments-small.csv, by hand. as_of = 2024-12-31 + 1 = 2025-01-01.
//   U1: O1 (200 + 100 on 12-30), O2 200 (11-15), O3 100 (06-01): F 3, M 600, recency 2, tenure 214
//   U2: O4 500 (12-01): F 1, M 500, recency 31, tenure 31
//   U3: O5 150 (08-01), O6 150 (09-01), return R6 −50: F 2, M 250, recency 122, tenure 153
//   U4: O7 80 − 100 = −20 (not a purchase), O8 60 (05-01): F 1, M 40, recency 245, tenure 245
//   U5: only a return → not scored
//   U6: O10 40 (12-20), O11 40 (12-25): F 2, M 80, recency 7, tenure 12
//   U7: O12 100 (07-15), O13 150 (10-20): F 2, M 250 (ties U3), recency 73, tenure 170
//   "=SUM(1,2)": O14 20 (12-31): F 1, M 20, recency 1, tenure 1
// n = 7, score = ceil(5k/7), k = 1..7 → 1, 2, 3, 3, 4, 5, 5.
//   R (recency desc): U4 k1→1, U3 k2→2, U7 k3→3, U2 k4→3, U6 k5→4, U1 k6→5, =SUM k7→5
//   F: F=1 (U2, U4, =SUM) k3→3; F=2 (U3, U6, U7) k6→5; U1 k7→5
//   M: =SUM 20 k1→1, U4 40 k2→2, U6 80 k3→3, U3 = U7 = 250 k5→4, U2 500 k6→5, U1 600 k7→5
// Means: R 23/7 = 3.29, F 29/7 = 4.14, M 24/7 = 3.43 → high = R ≥ 4, F = 5, M ≥ 4.
// ABC (total 1740; U3 before U7 by id): U1 0, U2 .345, U3 .632, U7 .776 → A; U6 .920 → B; U4 .966, =SUM .989 → C
// Lifecycle 90/90/180: new if tenure ≤ 90 (U2, U6, =SUM); U1 2, U7 73 → active; U3 122 → silent; U4 245 → churned.
// ---------------------------------------------------------------------------------------------
const SMALL: Record<string, [string, string, number, number, number, number, string, string, string, string]> = {
  //          first         last          rec  F  M    AOV  code   ABC  stage      classic eight (zh)
  U1: ['2024-06-01', '2024-12-30', 2, 3, 600, 200, '555', 'A', 'active', '重要价值客户'],
  U2: ['2024-12-01', '2024-12-01', 31, 1, 500, 500, '335', 'A', 'new', '重要挽留客户'],
  U3: ['2024-08-01', '2024-09-01', 122, 2, 250, 125, '254', 'A', 'silent', '重要保持客户'],
  U4: ['2024-05-01', '2024-05-01', 245, 1, 40, 40, '132', 'C', 'churned', '一般挽留客户'],
  U6: ['2024-12-20', '2024-12-25', 7, 2, 80, 40, '453', 'B', 'new', '一般价值客户'],
  U7: ['2024-07-15', '2024-10-20', 73, 2, 250, 125, '354', 'A', 'active', '重要保持客户'],
  "'=SUM(1,2)": ['2024-12-31', '2024-12-31', 1, 1, 20, 20, '531', 'C', 'new', '一般发展客户'],
};

describe('Segments on a dropped, hand-computed file (in Chinese)', () => {
  it('exports the hand-computed values with Chinese labels and an escaped formula id', async () => {
    await s.page.selectOption('[data-testid=language]', 'zh-CN');
    await s.page.setInputFiles('[data-testid=file-input]', [
      { name: 'segments-small.csv', mimeType: 'text/csv', buffer: fs.readFileSync('test/fixtures/segments-small.csv') },
    ]);
    await s.page.waitForFunction(() => !document.querySelector('[data-testid=sample-badge]'), undefined, { timeout: 60_000 });
    await waitReady(s.page);
    await s.page.click('[data-testid=tab-segments]');
    await s.page.waitForFunction(() => document.querySelector('[data-testid=seg-kpi-scored]')?.getAttribute('data-value') === '7', undefined, { timeout: 60_000 });
    await segmentsReady('classic8');
    expect(await numberValue(s.page, 'seg-kpi-unscored')).toBe(1);
    expect(await s.page.getAttribute('[data-testid=seg-kpi-asof]', 'data-value')).toBe('2025-01-01');
    await screenshot(s.page, 'segments-small-zh');

    const file = await download('export-customers');
    const [header, ...rows] = csvRecords(file.bytes);
    expect(header.join(',')).toBe(HEADER);
    expect(rows).toHaveLength(7);
    const got = Object.fromEntries(
      rows.map((r) => [r[0], [r[1], r[2], Number(r[3]), Number(r[4]), Number(r[5]), Number(r[6]), r[10], r[12], r[13], r[11]]]),
    );
    expect(got).toEqual(SMALL);
    // Scores as separate columns agree with the code; the strategy is the Chinese playbook text.
    for (const r of rows) expect(`${r[7]}${r[8]}${r[9]}`).toBe(r[10]);
    expect(rows.find((r) => r[0] === 'U1')![14]).toMatch(/^VIP 待遇/);
    // The raw file text: the formula id is quoted (it holds a comma) and prefixed with an apostrophe.
    expect(file.bytes.toString('utf8')).toContain(`\r\n"'=SUM(1,2)",2024-12-31,`);
  });

  it('exports one segment, and the crm4 scheme re-labels without a reload', async () => {
    const one = await download('export-segment-important_retention');
    expect(one.name).toBe('customers-important_retention.csv');
    const [, ...rows] = csvRecords(one.bytes);
    expect(rows.map((r) => r[0]).sort()).toEqual(['U3', 'U7']);

    await s.page.selectOption('[data-testid=seg-scheme]', 'crm4');
    await segmentsReady('crm4');
    // crm4 with the same means: U1 R+F+M+ → 高价值忠诚; U3, U7 R−F+M+ → 流失风险; U4 R−F−M− → 低价值沉默;
    // U2 (R−F−M+), U6 (R+F+M−), =SUM (R+F−M−) → 其他.
    const file = await download('export-customers');
    const [, ...rows2] = csvRecords(file.bytes);
    expect(Object.fromEntries(rows2.map((r) => [r[0], r[11]]))).toEqual({
      U1: '高价值忠诚客户',
      U2: '其他客户',
      U3: '流失风险客户',
      U4: '低价值沉默客户',
      U6: '其他客户',
      U7: '流失风险客户',
      "'=SUM(1,2)": '其他客户',
    });
    await s.page.selectOption('[data-testid=language]', 'en');
  });

  it('an Online-Retail-shaped export (Windows-1252, quantity × price, a cancellation, a duplicate, rows without id)', async () => {
    // test/fixtures/online-retail-like.csv, by hand (see test/unit/workspace.test.ts for the cleaning):
    //   17850: 536365 (6 × 2.55 + 6 × 3.39 = 35.64) and 536366 (6 × 1.85 = 11.1) on 2010-12-01 → F 2, M 46.74
    //   12583: 536370 (24 × 3.75 + 3 × 18 = 144; the repeated line is dropped) on 2010-12-01 → F 1, M 144
    //   14527: only the cancellation C536379 (−27.5) → not scored
    //   12680: 581587 (12 × 0.85 + 4 × 4.15 = 26.8) on 2011-12-09 → F 1, M 26.8
    // as_of 2011-12-10 → recency 374, 374, 1. n = 3, score = ceil(5k/3): k 1, 2, 3 → 2, 4, 5.
    //   R: 17850 and 12583 tie (k2) → 4, 12680 → 5; F: F=1 (k2) → 4, 17850 → 5; M: 26.8 → 2, 46.74 → 4, 144 → 5.
    // Means R 13/3, F 13/3, M 11/3. 17850 R− F+ M+ → important retention; 12583 R− F− M+ → important
    // win-back; 12680 R+ F− M− → general development. ABC (217.54): 12583 0, 17850 .662 → A, 12680 .877 → B.
    // Lifecycle: 12680 first purchase 1 day ago → new; the others 374 days → churned.
    await s.page.click('[data-testid=tab-files]');
    await s.page.click('[data-testid=file-card] button:has-text("Remove")');
    await waitReady(s.page);
    await s.page.setInputFiles('[data-testid=file-input]', [
      { name: 'Online Retail.csv', mimeType: 'text/csv', buffer: fs.readFileSync('test/fixtures/online-retail-like.csv') },
    ]);
    await s.page.waitForFunction(() => document.querySelector('[data-testid=tab-segments]') !== null, undefined, { timeout: 60_000 });
    await waitReady(s.page);
    await s.page.click('[data-testid=tab-segments]');
    await s.page.selectOption('[data-testid=seg-scheme]', 'classic8');
    await s.page.waitForFunction(() => document.querySelector('[data-testid=seg-kpi-scored]')?.getAttribute('data-value') === '3', undefined, { timeout: 60_000 });
    await segmentsReady('classic8');
    const file = await download('export-customers');
    const [header, ...rows] = csvRecords(file.bytes);
    expect(header.join(',')).toBe(HEADER);
    expect(Object.fromEntries(rows.map((r) => [r[0], [r[1], r[2], Number(r[3]), Number(r[4]), Number(r[5]), r[10], r[11], r[12], r[13]]]))).toEqual({
      '12583': ['2010-12-01', '2010-12-01', 374, 1, 144, '445', 'Important win-back', 'A', 'churned'],
      '12680': ['2011-12-09', '2011-12-09', 1, 1, 26.8, '542', 'General development', 'B', 'new'],
      '17850': ['2010-12-01', '2010-12-01', 374, 2, 46.74, '454', 'Important retention', 'A', 'churned'],
    });
  });

  it('made no request outside the local server and logged no console errors', () => {
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
