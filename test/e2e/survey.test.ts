// The Satisfaction view in Chromium, offline: drop the ECSI mobile-phone survey alone, pick the
// ECSI preset and read every path coefficient from the diagram's data-value (expected values:
// SmartPLS's published output in test/fixtures/mobi); then the embedded sample survey with the
// seed preset, dropped together with the sample transactions.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberValue, openApp, screenshot, type Session, waitReady } from './harness';

let s: Session;

beforeAll(async () => {
  s = await openApp();
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

async function drop(files: { name: string; path: string }[]) {
  await s.page.setInputFiles(
    '[data-testid=file-input]',
    files.map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: fs.readFileSync(f.path) })),
  );
  await s.page.waitForFunction(() => document.querySelector('[data-testid=app-root]')?.getAttribute('data-state') !== 'ready', undefined, { timeout: 10_000 }).catch(() => undefined);
  await waitReady(s.page);
}

/** Waits until a result of the current model is on screen and nothing is running. */
async function waitForResult(selector: string) {
  await s.page.waitForSelector(selector, { timeout: 60_000 });
  await waitReady(s.page);
}

/** SmartPLS export: tab separated, decimal comma; row = from, column = to; 0 = no path. */
function smartPlsPaths(): { from: string; to: string; value: number }[] {
  const lines = fs.readFileSync('test/fixtures/mobi/smartpls_pathWeighting_pathCoefficients.txt', 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const cols = lines[0].split('\t').slice(1).map((c) => c.trim());
  return lines.slice(1).flatMap((line) => {
    const cells = line.split('\t').map((c) => c.trim());
    return cols.map((to, j) => ({ from: cells[0], to, value: Number(cells[j + 1].replace(',', '.')) })).filter((p) => p.value !== 0);
  });
}

describe('Satisfaction view', () => {
  it('estimates the ECSI model on mobi.csv with SmartPLS path coefficients (1e-4)', async () => {
    // Replaces the embedded sample: a survey alone, no transactions, must still give a ready app.
    await drop([{ name: 'mobi.csv', path: 'test/fixtures/mobi/mobi.csv' }]);
    expect(await s.page.getAttribute('[data-testid=app-root]', 'data-state')).toBe('ready');
    await s.page.click('[data-testid=tab-survey]');
    await s.page.waitForSelector('[data-testid=survey-file][data-rows="250"]');
    await s.page.waitForSelector('[data-testid=survey-preset]');
    await s.page.selectOption('[data-testid=survey-preset]', 'ecsi');
    await s.page.fill('[data-testid=survey-resamples]', '100');
    await s.page.press('[data-testid=survey-resamples]', 'Tab');
    await s.page.click('[data-testid=survey-run]');
    await waitForResult('[data-testid=survey-result][data-resamples="100"][data-preset="ecsi"]');

    const expected = smartPlsPaths();
    expect(expected).toHaveLength(12);
    expect(await s.page.locator('[data-testid^=pls-path-]').count()).toBe(12);
    for (const { from, to, value } of expected) {
      const got = await numberValue(s.page, `pls-path-${from}-${to}`);
      expect(Math.abs(got - value), `${from} → ${to}: ${got} vs SmartPLS ${value}`).toBeLessThan(1e-4);
    }
    expect(await numberValue(s.page, 'kpi-survey-respondents')).toBe(250);
    // The action list has one line per driver of satisfaction (Image, Expectation, Quality, Value).
    expect(await s.page.locator('[data-testid=survey-actions] li').count()).toBe(4);
    // The estimates export: UTF-8 with BOM, one row per path with SmartPLS's value.
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=survey-export-estimates]')]);
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8').slice(1).split('\r\n');
    expect(csv[0]).toBe('section,row,column,value,bootstrap_mean,se,t,p,ci_lower,ci_upper');
    const imageExpectation = csv.find((l) => l.startsWith('path,Image,Expectation,'))!.split(',');
    expect(Number(imageExpectation[3])).toBeCloseTo(0.50491393, 6);
    // The diagram as SVG (with the path values) and as PNG (PNG signature), drawn without network.
    const [svgDownload] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=survey-export-svg]')]);
    const svgText = fs.readFileSync((await svgDownload.path())!, 'utf8');
    expect(svgText).toContain('<svg');
    expect(svgText).toContain('data-testid="pls-path-Image-Expectation"');
    const [pngDownload] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=survey-export-png]')]);
    expect([...fs.readFileSync((await pngDownload.path())!).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const [scoresDownload] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=survey-export-scores]')]);
    const scoreLines = fs.readFileSync((await scoresDownload.path())!, 'utf8').trim().split('\r\n');
    expect(scoreLines).toHaveLength(251);
    expect(scoreLines[0]).toContain('Satisfaction_0_100');
    await screenshot(s.page, 'survey-ecsi-en');
    await s.page.locator('[data-testid=pls-diagram]').screenshot({ path: 'test-results/survey-ecsi-diagram.png' });
    await s.page.locator('[data-testid=ipma-chart]').screenshot({ path: 'test-results/survey-ecsi-ipma.png' });
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });

  it('shows bootstrap progress and can cancel it, keeping the previous result', async () => {
    await s.page.fill('[data-testid=survey-resamples]', '10000');
    await s.page.press('[data-testid=survey-resamples]', 'Tab');
    await s.page.click('[data-testid=survey-run]');
    await s.page.waitForSelector('[data-testid=progress] [role=progressbar][aria-valuenow]', { timeout: 30_000 });
    await s.page.click('[data-testid=cancel]');
    await waitReady(s.page);
    expect(await s.page.getAttribute('[data-testid=error]', 'data-code')).toBe('cancelled');
    expect(await s.page.getAttribute('[data-testid=survey-result]', 'data-resamples')).toBe('100');
    await s.page.fill('[data-testid=survey-resamples]', '100');
    await s.page.press('[data-testid=survey-resamples]', 'Tab');
  });

  it('explains an invalid custom model instead of estimating it', async () => {
    await s.page.selectOption('[data-testid=survey-preset]', 'custom');
    // Constructs from prefixes but no paths yet.
    await s.page.waitForSelector('[data-testid=survey-issues]');
    expect(await s.page.textContent('[data-testid=survey-issues]')).toContain('Add at least one structural path');
    expect(await s.page.isDisabled('[data-testid=survey-run]')).toBe(true);
    // The same message in Chinese; the model and results stay.
    await s.page.selectOption('[data-testid=language]', 'zh-CN');
    expect(await s.page.textContent('[data-testid=tab-survey]')).toBe('满意度');
    expect(await s.page.textContent('[data-testid=survey-issues]')).toContain('请至少在两个构念之间添加一条结构路径');
    await s.page.selectOption('[data-testid=survey-preset]', 'ecsi');
    await s.page.click('[data-testid=survey-run]');
    await waitForResult('[data-testid=survey-result][data-preset="ecsi"]');
    expect(await s.page.textContent('[data-testid=survey-actions]')).toMatch(/继续保持|重点改进|次要改进|可能过度投入/);
    await screenshot(s.page, 'survey-ecsi-zh');
    await s.page.selectOption('[data-testid=language]', 'en');
    expect(s.consoleErrors).toEqual([]);
  });

  it('runs the seed model on the sample survey dropped together with the sample transactions', async () => {
    // Added to mobi.csv; the survey loaded last is the one in use.
    await drop([
      { name: 'transactions.csv', path: 'public/sample/transactions.csv' },
      { name: 'survey.csv', path: 'public/sample/survey.csv' },
    ]);
    await s.page.click('[data-testid=tab-survey]');
    await waitForResult('[data-testid=survey-result][data-preset="seed"]');
    expect(await s.page.inputValue('[data-testid=survey-preset]')).toBe('seed');
    for (const [from, to] of [
      ['PreSale', 'Satisfaction'],
      ['InSale', 'Satisfaction'],
      ['AfterSale', 'Satisfaction'],
      ['Satisfaction', 'Loyalty'],
    ]) {
      const v = await numberValue(s.page, `pls-path-${from}-${to}`);
      // The generator's paths are positive (0.2, 0.45, 0.3, 0.6 on latent scores).
      expect(v, `${from} → ${to}`).toBeGreaterThan(0.05);
    }
    // By hand from the file: 600 respondents (missing answers replaced by means); NPS from column NPS.
    const [header, ...rows] = fs.readFileSync('public/sample/survey.csv', 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    const nps = rows.map((r) => r[header.indexOf('NPS')]).filter((v) => v !== '').map(Number);
    const promoters = nps.filter((v) => v >= 9).length;
    const detractors = nps.filter((v) => v <= 6).length;
    expect(await numberValue(s.page, 'kpi-survey-respondents')).toBe(600);
    expect(await numberValue(s.page, 'survey-nps-promoters')).toBe(promoters);
    expect(await numberValue(s.page, 'survey-nps-detractors')).toBe(detractors);
    expect(await numberValue(s.page, 'kpi-survey-nps')).toBeCloseTo(((promoters - detractors) / nps.length) * 100, 9);
    // Every respondent is a customer of the sample shop.
    expect(await numberValue(s.page, 'survey-matched')).toBe(600);
    // Satisfaction by RFM segment (default scheme) and loyalty by actual purchases are shown.
    expect(await s.page.locator('[data-testid=survey-segments] tbody tr').count()).toBeGreaterThan(1);
    expect(await s.page.locator('[data-testid=survey-repeat] tbody tr').count()).toBeGreaterThan(1);
    await screenshot(s.page, 'survey-sample-seed-en');
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
