// `npm run bench` (not part of npm test): the built app in headless Chromium against native
// DuckDB (@duckdb/node-api, 2 threads) on the same generated files, the same SQL. Prints a
// table of medians and ratios and writes test-results/bench.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../src/core/config';
import { type ColumnProfile, detectMapping } from '../../src/core/mapping';
import { cleanViewSql, dateBoundsSql, headlineKpisSql, QUALITY_CHECKS, qualityCountsSql, qualityExamplesAllSql, qualityExamplesSql } from '../../src/core/sql/quality';
import { type StageSpec, differenceCountsSql, dropColumnsSql, stageStatements, stagedUnionSql, storedDifferences } from '../../src/core/sql/stage';
import { csvFrom, type CsvDialect } from '../../src/engine/importer';
import { openApp, waitReady } from '../e2e/harness';
import { measureResegmentation } from './resegment-steps';
import { NOTED_MARK } from '../../src/engine/database';

const DATA = path.resolve('bench-data');
const SIZES = (process.env.BENCH_ROWS ?? '1000000,5000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function ensureFile(rows: number): string {
  fs.mkdirSync(DATA, { recursive: true });
  const file = path.join(DATA, `tx-${rows}.csv`);
  if (!fs.existsSync(file)) execFileSync('node', ['scripts/generate-big.mjs', String(rows), file], { stdio: 'inherit' });
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The analysis views timed after the load, with the analysis whose SQL they show. */
const VIEWS = [
  { tab: 'segments', analysis: 'segmentation' },
  { tab: 'cohorts', analysis: 'cohorts' },
  { tab: 'clv', analysis: 'clv' },
] as const;

/** Replays the analysis part of the app's DuckDB script natively (the setup part untimed). */
async function nativeAnalysis(dir: string, script: string): Promise<number> {
  const marker = '-- 2. The analysis.';
  const at = script.indexOf(marker);
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await instance.connect();
  await c.run(`SET file_search_path = '${dir.replace(/'/g, "''")}'`);
  await c.run(script.slice(0, at));
  // Only what DuckDB-WASM ran too: statements the app noted without running (reused results,
  // in-memory views) are left out. Statements end with ';' at the end of a line (core/script.ts).
  const statements = script
    .slice(at + marker.length)
    .split(/;\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith(NOTED_MARK) && !/^(--[^\n]*\n?)*$/.test(s));
  const t = performance.now();
  for (const statement of statements) await c.run(statement);
  const ms = performance.now() - t;
  c.closeSync();
  return ms;
}

async function native(file: string) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await instance.connect();
  const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  const time = async (sql: string) => {
    const t = performance.now();
    await c.run(sql);
    return performance.now() - t;
  };
  const [d] = await rows(`SELECT Delimiter, Quote, Escape, HasHeader FROM sniff_csv('${file}')`);
  const described = await rows(`DESCRIBE SELECT * FROM read_csv('${file}')`);
  const dialect: CsvDialect = {
    delimiter: String(d.Delimiter), quote: String(d.Quote), escape: String(d.Escape), header: Boolean(d.HasHeader),
    dateFormat: null, timestampFormat: null,
    columns: described.map((x) => ({ name: String(x.column_name), type: String(x.column_type) })),
  };
  const from = csvFrom(file, dialect, 'rejects_0');
  const sample = await rows(`SELECT * FROM ${from} LIMIT 2000`);
  const profiles: ColumnProfile[] = dialect.columns.map((col) => {
    const values = sample.map((r) => r[col.name]).filter((v) => v !== null).map(String);
    return { name: col.name, type: col.type, samples: values.slice(0, 50), distinct: new Set(values).size, nonNull: values.length, rows: sample.length };
  });
  const mapping = detectMapping(profiles).mapping;
  const columns = dialect.columns.map((col) => ({ name: col.name, type: 'VARCHAR' }));
  const spec: StageSpec = { table: 'stg_0', from, columns, mapping, dateFormat: null, decimalComma: false, fileLabel: 'f' };
  let stage = 0;
  for (const sql of stageStatements(spec)) stage += await time(sql);
  // As the app does (workspace.ts): drop stored differences that are all NULL.
  const countsSql = differenceCountsSql(spec);
  if (countsSql) {
    const t = performance.now();
    const [counts] = await rows(countsSql);
    spec.typedOnly = storedDifferences(spec).filter((_, k) => Number(counts[String(k)]) === 0);
    stage += performance.now() - t;
    for (const sql of dropColumnsSql(spec, spec.typedOnly)) stage += await time(sql);
  }
  await c.run(stagedUnionSql([spec]));
  await c.run(dateBoundsSql());
  await c.run(cleanViewSql(DEFAULT_POLICIES));
  // The report's statements as the app runs them: the counts, then the example rows of every
  // check that found something (one pass), and the return-only customers' rows.
  const [counts] = await rows(qualityCountsSql(DEFAULT_POLICIES));
  let quality = await time(qualityCountsSql(DEFAULT_POLICIES));
  const originals = dialect.columns.map((col) => col.name);
  const found = QUALITY_CHECKS.filter((check) => Number(counts[check]) > 0);
  if (found.length) quality += await time(qualityExamplesAllSql(found, DEFAULT_POLICIES, originals));
  if (Number(counts.return_only_customers) > 0) quality += await time(qualityExamplesSql('return_only', DEFAULT_POLICIES, originals));
  const kpis = await time(headlineKpisSql());
  const [k] = await rows(headlineKpisSql());
  c.closeSync();
  return { stage, quality, kpis, customers: Number(k.customers) };
}

/** Ready, and still ready a moment later (views start their analyses right after mounting). */
async function settle(page: import('playwright-core').Page): Promise<void> {
  for (let calm = 0; calm < 3; ) {
    await waitReady(page, 600_000);
    await page.waitForTimeout(100);
    calm = (await page.getAttribute('[data-testid=app-root]', 'data-state')) === 'ready' ? calm + 1 : 0;
  }
}

/** Whether a process descends from this one: another benchmark's Chromium must not count. */
function ownProcess(pid: number): boolean {
  for (let p = pid, depth = 0; p > 1 && depth < 20; depth++) {
    if (p === process.pid) return true;
    try {
      p = Number(fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

/** Sum of the resident memory of our Chromium's renderer processes (the page and its worker). */
function rendererRssBytes(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer') || !ownProcess(Number(pid))) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

async function browser(file: string) {
  const s = await openApp();
  try {
    await waitReady(s.page, 300_000);
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, rendererRssBytes())), 100);
    // (the poll runs until every view has been visited, so peak covers the analyses too)
    const t0 = performance.now();
    await s.page.setInputFiles('[data-testid=file-input]', file);
    await s.page.waitForFunction(() => document.querySelector('[data-testid=sample-badge]') === null, undefined, { timeout: 600_000 });
    await waitReady(s.page, 600_000);
    const dropToReady = performance.now() - t0;
    expect(await s.page.getAttribute('[data-testid=app-root]', 'data-state')).toBe('ready');
    const customers = Number(await s.page.getAttribute('[data-testid=kpi-customers]', 'data-value'));
    // Every analysis view in turn: time to ready on screen, the worker's own time, and the
    // script of the exact SQL it ran (replayed natively below).
    const views: Record<string, { wall: number; worker: number; sql: number; script: string }> = {};
    for (const v of VIEWS) {
      const t = performance.now();
      await s.page.click(`[data-testid=tab-${v.tab}]`);
      await s.page.waitForSelector(`[data-testid=show-sql-${v.analysis}]`, { timeout: 600_000 });
      await settle(s.page);
      const wall = performance.now() - t;
      await s.page.click(`[data-testid=show-sql-${v.analysis}]`);
      await s.page.waitForSelector(`[data-testid=analysis-ms-${v.analysis}]`, { timeout: 60_000 });
      const worker = Number(await s.page.getAttribute(`[data-testid=analysis-ms-${v.analysis}]`, 'data-value'));
      const sql = Number(await s.page.getAttribute(`[data-testid=analysis-ms-${v.analysis}]`, 'data-sql-ms'));
      const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click(`[data-testid=download-script-${v.analysis}]`)]);
      const script = fs.readFileSync((await download.path())!, 'utf8');
      views[v.tab] = { wall, worker, sql, script };
    }
    const dropToEveryView = performance.now() - t0;
    clearInterval(poll);
    // Re-segmentation: settings changes on the Segments tab (issue 3's 100 ms at 100k customers).
    await s.page.click('[data-testid=tab-segments]');
    await s.page.waitForSelector('[data-testid=segments-view][data-state=ready]', { timeout: 600_000 });
    await settle(s.page);
    const resegment = await measureResegmentation(s.page, 3);
    await s.page.click('[data-testid=tab-files]');
    const el = '[data-testid=load-timings]';
    const attr = async (name: string) => Number(await s.page.getAttribute(el, name));
    return {
      dropToReady,
      stage: await attr('data-stage'),
      quality: await attr('data-quality'),
      kpis: await attr('data-kpis'),
      customers,
      peakRendererBytes: peak,
      blocked: s.blocked.length,
      views,
      dropToEveryView,
      resegmentOnScreen: median(resegment.map((r) => r.onScreen)),
      resegmentEveryView: median(resegment.map((r) => r.everyView)),
      resegmentSlowest: Math.max(...resegment.map((r) => r.everyView)),
    };
  } finally {
    await s.close();
  }
}

it('browser vs native DuckDB on generated transactions', async () => {
  const results: Record<string, unknown>[] = [];
  for (const rows of SIZES) {
    const file = ensureFile(rows);
    const nat = [];
    const web = [];
    for (let i = 0; i < RUNS; i++) nat.push(await native(file));
    for (let i = 0; i < RUNS; i++) web.push(await browser(file));
    expect(web[0].customers).toBe(nat[0].customers);
    expect(web.every((w) => w.blocked === 0)).toBe(true);
    const m = <T,>(xs: T[], k: keyof T) => median(xs.map((x) => Number(x[k])));
    for (const step of ['stage', 'quality', 'kpis'] as const) {
      results.push({ rows, step, browser_ms: Math.round(m(web, step)), native_ms: Math.round(m(nat, step)), ratio: +(m(web, step) / m(nat, step)).toFixed(2) });
    }
    results.push({ rows, step: 'drop_to_ready', browser_ms: Math.round(m(web, 'dropToReady')), native_ms: null, ratio: null });
    for (const v of VIEWS) {
      const worker = median(web.map((w) => w.views[v.tab].worker));
      const sql = median(web.map((w) => w.views[v.tab].sql));
      const wall = median(web.map((w) => w.views[v.tab].wall));
      const nat = [];
      for (let i = 0; i < RUNS; i++) nat.push(await nativeAnalysis(path.dirname(file), web[0].views[v.tab].script));
      // The ratio compares SQL with SQL: the statements DuckDB-WASM ran for the analysis against the
      // same script natively. The worker total adds TypeScript work (model fits, in-memory views).
      results.push({ rows, step: `${v.analysis} (SQL)`, browser_ms: Math.round(sql), native_ms: Math.round(median(nat)), ratio: +(sql / median(nat)).toFixed(2) });
      results.push({ rows, step: `${v.analysis} (worker total)`, browser_ms: Math.round(worker), native_ms: null, ratio: null });
      results.push({ rows, step: `${v.tab} view on screen`, browser_ms: Math.round(wall), native_ms: null, ratio: null });
    }
    for (const k of ['resegmentOnScreen', 'resegmentEveryView', 'resegmentSlowest'] as const) {
      const label = { resegmentOnScreen: 're-segmentation: summaries on screen', resegmentEveryView: 're-segmentation: every view', resegmentSlowest: 're-segmentation: slowest change' }[k];
      results.push({ rows, step: label, browser_ms: Math.round(m(web, k)), native_ms: null, ratio: null });
    }
    results.push({ rows, step: 'drop_to_every_view_ready', browser_ms: Math.round(median(web.map((w) => w.dropToEveryView))), native_ms: null, ratio: null });
    results.push({ rows, step: 'peak_renderer_MB', browser_ms: Math.round(m(web, 'peakRendererBytes') / 2 ** 20), native_ms: null, ratio: null });
  }
  console.table(results);
  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync('test-results/bench.json', JSON.stringify({ date: new Date().toISOString(), runs: RUNS, results }, null, 2));
}, 3_600_000);
