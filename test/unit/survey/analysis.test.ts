// The survey analyses end to end in Node on real DuckDB-WASM: the survey file goes through the
// import pipeline (Workspace → survey_raw), items are read in SQL, the model is fitted,
// bootstrapped and joined with the transactions. Expected numbers come from SmartPLS's
// published output (mobi) and from hand calculations on a 10-respondent fixture.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type AnalysisConfig } from '../../../src/core/config';
import type { Database } from '../../../src/engine/database';
import { surveyModel, surveyProfile } from '../../../src/engine/analyses/survey';
import type { AnalysisContext } from '../../../src/engine/analyses/context';
import { Workspace } from '../../../src/engine/workspace';
import { ESTIMATE_COLUMNS, estimateRows, scoreTable } from '../../../src/ui/survey/exports';
import { toCsv } from '../../../src/core/csv';
import { openTestDatabase } from '../helpers/duckdb';

async function load(files: Record<string, string>): Promise<{ db: Database; ws: Workspace }> {
  const db = await openTestDatabase();
  const ws = new Workspace(db);
  for (const [name, path] of Object.entries(files)) {
    const bytes = fs.readFileSync(path);
    db.bindings.registerFileBuffer(name, new Uint8Array(bytes));
    await ws.addCsv(name, bytes.length, 'utf-8');
  }
  return { db, ws };
}

function context(db: Database, config: AnalysisConfig, progress: number[] = [], cancel = () => false): AnalysisContext {
  return { db, config, progress: (f) => progress.push(f ?? -1), isCancelled: cancel };
}

/** SmartPLS 2.0 path coefficients (decimal comma; row = from, column = to). */
function smartPlsPaths(): { from: string; to: string; value: number }[] {
  const lines = fs.readFileSync('test/fixtures/mobi/smartpls_pathWeighting_pathCoefficients.txt', 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const cols = lines[0].split('\t').slice(1).map((s) => s.trim());
  return lines.slice(1).flatMap((line) => {
    const cells = line.split('\t').map((s) => s.trim());
    return cols.map((to, j) => ({ from: cells[0], to, value: Number(cells[j + 1].replace(',', '.')) })).filter((p) => p.value !== 0);
  });
}

describe('surveyModel on mobi.csv (ECSI, 250 respondents) through the import pipeline', () => {
  let db: Database;
  let ws: Workspace;
  const config = defaultConfig();
  beforeAll(async () => {
    ({ db, ws } = await load({ 'mobi.csv': 'test/fixtures/mobi/mobi.csv' }));
    await ws.apply(config);
  });

  it('classifies the file as a survey and reproduces the 12 SmartPLS path coefficients', async () => {
    expect(ws.loaded[0].kind).toBe('survey');
    const profile = await surveyProfile(context(db, config), undefined);
    expect(profile.rows).toBe(250);
    expect(profile.items).toHaveLength(24);
    expect(profile.suggestedPreset).toBe('ecsi');
    expect(profile.idColumn).toBeNull();
    const progress: number[] = [];
    const r = await surveyModel(context(db, { ...config, survey: { ...config.survey, preset: 'ecsi', resamples: 50 } }, progress), undefined);
    expect(r.used).toBe(250);
    expect(r.missing.replaced).toBe(0);
    const expected = smartPlsPaths();
    expect(expected).toHaveLength(12);
    for (const { from, to, value } of expected) expect(Math.abs(r.fit.paths[from][to] - value), `${from} → ${to}`).toBeLessThan(1e-6);
    expect(r.bootstrap!.successful).toBe(50);
    expect(progress.at(-1)).toBe(1);
    expect(r.target).toBe('Satisfaction');
    expect(Object.keys(r.ipma!.constructs).sort()).toEqual(['Expectation', 'Image', 'Quality', 'Value']);
    // Every answer in mobi is on 1..10: the single-item Complaints index is the mean of (x − 1)/9·100.
    const cusco = fs.readFileSync('test/fixtures/mobi/mobi.csv', 'utf8').trim().split(/\r?\n/).slice(1).map((l) => Number(l.split(',')[6]));
    expect(r.index.Complaints).toBeCloseTo(cusco.reduce((s, v) => s + ((v - 1) / 9) * 100, 0) / 250, 9);
  });

  it('reverse-coding the single item of Complaints flips exactly the signs of its two paths', async () => {
    const r = await surveyModel(context(db, { ...config, survey: { ...config.survey, preset: 'ecsi', resamples: 0, reversed: ['CUSCO'] } }), undefined);
    for (const { from, to, value } of smartPlsPaths()) {
      const sign = from === 'Complaints' || to === 'Complaints' ? -1 : 1;
      expect(Math.abs(r.fit.paths[from][to] - sign * value), `${from} → ${to}`).toBeLessThan(1e-6);
    }
    expect(r.bootstrap).toBeNull();
  });

  it('stops when cancelled and explains an invalid model', async () => {
    let calls = 0;
    await expect(surveyModel(context(db, { ...config, survey: { ...config.survey, preset: 'ecsi' } }, [], () => ++calls > 30), undefined)).rejects.toMatchObject({ code: 'cancelled' });
    // The seed preset finds none of its PRE/INS/AFT/SAT/LOY items in mobi.
    await expect(surveyModel(context(db, config), undefined)).rejects.toMatchObject({ userMessage: 'survey.err.invalidModel', causeMessage: expect.stringContaining('unmeasured (PreSale)') });
  });
});

describe('surveyModel on a hand-made survey joined with transactions', () => {
  const survey = {
    preset: 'custom' as const,
    constructs: [
      { name: 'Satisfaction', indicators: ['S1', 'S2'], mode: 'A' as const },
      { name: 'Loyalty', indicators: ['L1'], mode: 'A' as const },
    ],
    paths: [['Satisfaction', 'Loyalty']] as [string, string][],
    resamples: 0,
  };

  let shared: { db: Database; config: AnalysisConfig };
  beforeAll(async () => {
    const { db, ws } = await load({ 'orders.csv': 'test/fixtures/survey/orders.csv', 'respondents.csv': 'test/fixtures/survey/respondents.csv' });
    expect(ws.loaded.map((f) => f.kind)).toEqual(['transactions', 'survey']);
    const config = defaultConfig();
    await ws.apply(config);
    shared = { db, config: { ...config, survey: { ...config.survey, ...survey } } };
  });
  const setup = async () => shared;

  it('detects items, the customer id and the NPS column', async () => {
    const { db, config } = await setup();
    const p = await surveyProfile(context(db, config), undefined);
    expect(p.rows).toBe(10);
    expect(p.idColumn).toBe('customer_id');
    expect(p.npsColumn).toBe('NPS');
    expect(p.items).toEqual(['S1', 'S2', 'L1', 'NPS']);
    expect(p.columns.find((c) => c.name === 'S2')).toMatchObject({ filled: 9, min: 1, max: 5 });
  });

  it('computes indices, NPS, missing counts and loyalty by actual purchase frequency', async () => {
    const { db, config } = await setup();
    const r = await surveyModel(context(db, config), undefined);
    // One empty cell (S2 of respondent 6), replaced by the mean.
    expect(r.missing).toMatchObject({ dropped: 0, replaced: 1 });
    expect(r.used).toBe(10);
    // L1 answers 4,2,5,4,1,3,5,2,3,5 on 1..5 → (x−1)/4·100 = 75,25,100,75,0,50,100,25,50,100 → mean 60.
    expect(r.index.Loyalty).toBeCloseTo(60, 10);
    // NPS answers 9,5,10,8,0,7,9,6,7,10: promoters 4 (9,10,9,10), detractors 3 (5,0,6), passives 3.
    expect(r.nps).toMatchObject({ column: 'NPS', n: 10, promoters: 4, passives: 3, detractors: 3 });
    expect(r.nps!.score).toBeCloseTo(10, 10);
    const c = r.customers!;
    // C1–C7 carry ids; C7 has no transactions.
    expect(c.respondentsWithId).toBe(7);
    expect(c.matched).toBe(6);
    // Frequencies: C6 0 (only a return), C1 1, C5 1, C2 2, C3 3, C4 5; loyalty 0–100 of each from L1.
    expect(c.repeat!.buckets).toEqual([
      { min: 0, max: 0, respondents: 1, loyalty: 50, satisfaction: expect.any(Number) },
      { min: 1, max: 1, respondents: 2, loyalty: 37.5, satisfaction: expect.any(Number) },
      { min: 2, max: 2, respondents: 1, loyalty: 25, satisfaction: expect.any(Number) },
      { min: 3, max: 4, respondents: 1, loyalty: 100, satisfaction: expect.any(Number) },
      { min: 5, max: null, respondents: 1, loyalty: 75, satisfaction: expect.any(Number) },
    ]);
    // Pearson by hand over (frequency, loyalty) = (1,75) (2,25) (3,100) (5,75) (1,0) (0,50).
    const f = [1, 2, 3, 5, 1, 0];
    const l = [75, 25, 100, 75, 0, 50];
    const mf = f.reduce((a, b) => a + b) / 6;
    const ml = l.reduce((a, b) => a + b) / 6;
    const sxy = f.reduce((s, v, i) => s + (v - mf) * (l[i] - ml), 0);
    const sxx = f.reduce((s, v) => s + (v - mf) ** 2, 0);
    const syy = l.reduce((s, v) => s + (v - ml) ** 2, 0);
    expect(c.repeat!.correlation).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 10);
  });

  it('exports scores per respondent and every estimate as CSV', async () => {
    const { db, config } = await setup();
    const r = await surveyModel(context(db, config), undefined);
    const scores = scoreTable(r);
    expect(scores.header).toEqual(['row', 'customer_id', 'Satisfaction_score', 'Satisfaction_0_100', 'Loyalty_score', 'Loyalty_0_100']);
    expect(scores.rows.map((row) => row[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(scores.rows.map((row) => row[1])).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', '', '', '']);
    // Loyalty is the single item L1 on 1..5: (x − 1)/4·100.
    expect(scores.rows.map((row) => row[5])).toEqual([75, 25, 100, 75, 0, 50, 100, 25, 50, 100]);
    const text = toCsv([...ESTIMATE_COLUMNS], estimateRows(r));
    expect(text.startsWith('\uFEFFsection,row,column,value,')).toBe(true);
    expect(text).toContain('\r\npath,Satisfaction,Loyalty,');
    const npsLine = text.split('\r\n').find((l) => l.startsWith('nps,NPS,,'))!;
    expect(Number(npsLine.split(',')[3])).toBeCloseTo(10, 10);
  });

  it('drops incomplete respondents casewise and groups respondents by RFM segment', async () => {
    const { db, config } = await setup();
    const r = await surveyModel(context(db, { ...config, survey: { ...config.survey, missing: 'casewise' } }), undefined);
    expect(r.missing).toMatchObject({ dropped: 1, replaced: 0 });
    expect(r.used).toBe(9);
    expect(r.respondentIds).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C7', null, null, null]);
    // C1–C5 have purchases, so they are scored; C6 (only a return) was dropped, C7 is unknown.
    const segs = r.customers!.segments!;
    expect(segs.reduce((s, g) => s + g.respondents, 0)).toBe(5);
    expect(r.customers!.segmentsNote).toBeNull();
  });
});

describe('surveyModel with hostile column names', () => {
  it('quotes every user column name (quotes, semicolons, SQL in names)', async () => {
    const db = await openTestDatabase();
    const ws = new Workspace(db);
    const text = fs
      .readFileSync('test/fixtures/survey/respondents.csv', 'utf8')
      .replace('S1,S2,L1', `"S'1","S""2","L; DROP TABLE survey_raw; --1"`);
    const bytes = new TextEncoder().encode(text);
    db.bindings.registerFileBuffer('hostile.csv', bytes);
    await ws.addCsv('hostile.csv', bytes.length, 'utf-8');
    const config = defaultConfig();
    await ws.apply(config);
    const survey = {
      ...config.survey,
      preset: 'custom' as const,
      resamples: 0,
      constructs: [
        { name: 'Sat', indicators: [`S'1`, 'S"2'], mode: 'A' as const },
        { name: 'Loy', indicators: ['L; DROP TABLE survey_raw; --1'], mode: 'A' as const },
      ],
      paths: [['Sat', 'Loy']] as [string, string][],
    };
    const r = await surveyModel(context(db, { ...config, survey }), undefined);
    // Same answers as the plain fixture: L1 → 75,25,100,75,0,50,100,25,50,100 → index 60.
    expect(r.index.Loy).toBeCloseTo(60, 10);
    expect(r.used).toBe(10);
  });
});

