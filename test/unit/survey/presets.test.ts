// Preset models, prefix suggestions and model validation, checked against the model
// definitions in the literature and the fixture files (not against the code's own output).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bestPreset,
  constructLayers,
  effectiveTarget,
  itemPrefix,
  itemsWithPrefix,
  keyConstructs,
  modelForPreset,
  presetModel,
  suggestConstructs,
  validateSurveyModel,
} from '../../../src/core/survey-presets';

const mobiItems = fs.readFileSync('test/fixtures/mobi/mobi.csv', 'utf8').split(/\r?\n/)[0].split(',').map((s) => s.replace(/"/g, ''));
const sampleItems = fs.readFileSync('public/sample/survey.csv', 'utf8').split(/\r?\n/)[0].split(',').filter((c) => c !== 'customer_id' && c !== 'NPS');
const csvPairs = (file: string) =>
  fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map((s) => s.replace(/"/g, '')) as [string, string]);

describe('presets', () => {
  it('ECSI on mobi equals the measurement and structural model in the fixture files', () => {
    const m = presetModel('ecsi', mobiItems);
    const measure = csvPairs('test/fixtures/mobi/ECSImeasuremod.csv');
    const got = m.constructs.flatMap((c) => c.indicators.map((i) => `${c.name}:${i}`)).sort();
    expect(got).toEqual(measure.map(([c, i]) => `${c}:${i}`).sort());
    const paths = csvPairs('test/fixtures/mobi/ECSIstrucmod.csv');
    expect(m.paths.map((p) => p.join('>')).sort()).toEqual(paths.map((p) => p.join('>')).sort());
    expect(m.paths).toHaveLength(12);
    expect(validateSurveyModel(m, mobiItems)).toEqual([]);
  });

  it('ACSI (Fornell et al. 1996): six constructs, nine paths, no image', () => {
    const m = presetModel('acsi', mobiItems);
    expect(m.constructs.map((c) => c.name)).toEqual(['Expectation', 'Quality', 'Value', 'Satisfaction', 'Complaints', 'Loyalty']);
    expect(m.paths).toHaveLength(9);
    expect(m.paths).toContainEqual(['Complaints', 'Loyalty']);
    expect(validateSurveyModel(m, mobiItems)).toEqual([]);
  });

  it('the seed model on the sample survey: pre-, in- and after-sale → satisfaction → loyalty', () => {
    const m = presetModel('seed', sampleItems);
    expect(m.constructs.map((c) => [c.name, c.indicators.length])).toEqual([
      ['PreSale', 3],
      ['InSale', 5],
      ['AfterSale', 4],
      ['Satisfaction', 3],
      ['Loyalty', 3],
    ]);
    expect(validateSurveyModel(m, sampleItems)).toEqual([]);
    expect(bestPreset(sampleItems)).toBe('seed');
    expect(bestPreset(mobiItems)).toBe('ecsi');
    expect(keyConstructs(m)).toEqual({ satisfaction: 'Satisfaction', loyalty: 'Loyalty' });
    expect(constructLayers(m)).toEqual({ PreSale: 0, InSale: 0, AfterSale: 0, Satisfaction: 1, Loyalty: 2 });
  });

  it('reports constructs a preset cannot measure from the columns', () => {
    const m = presetModel('seed', mobiItems);
    const issues = validateSurveyModel(m, mobiItems);
    expect(issues.filter((i) => i.key === 'survey.err.unmeasured').map((i) => i.params.construct)).toEqual(['PreSale', 'InSale', 'AfterSale', 'Satisfaction', 'Loyalty']);
  });
});

describe('custom models', () => {
  it('suggests one construct per item-name prefix, items in numeric order', () => {
    expect(itemPrefix('PERQ7')).toBe('PERQ');
    expect(itemPrefix('sat_2')).toBe('sat');
    expect(itemPrefix('CUSCO')).toBe('CUSCO');
    expect(itemsWithPrefix('Q', ['Q10', 'Q2', 'Q1', 'QX1'])).toEqual(['Q1', 'Q2', 'Q10']);
    const s = suggestConstructs(mobiItems);
    expect(s.map((c) => c.name)).toEqual(['CUEX', 'CUSA', 'CUSCO', 'CUSL', 'IMAG', 'PERQ', 'PERV']);
    expect(s.find((c) => c.name === 'PERQ')!.indicators).toEqual(['PERQ1', 'PERQ2', 'PERQ3', 'PERQ4', 'PERQ5', 'PERQ6', 'PERQ7']);
    expect(modelForPreset('custom', mobiItems).paths).toEqual([]);
  });

  it('explains every way a model can be wrong', () => {
    const cols = ['A1', 'A2', 'B1', 'C1', 'D1'];
    const keys = (m: Parameters<typeof validateSurveyModel>[0]) => validateSurveyModel(m, cols).map((i) => `${i.key}|${Object.values(i.params).join(',')}`);
    expect(keys({ constructs: [{ name: 'A', indicators: ['A1'], mode: 'A' }], paths: [] })).toEqual(['survey.err.tooFewConstructs|']);
    expect(
      keys({
        constructs: [
          { name: 'A', indicators: ['A1', 'A2'], mode: 'A' },
          { name: 'B', indicators: ['B1'], mode: 'B' },
        ],
        paths: [],
      }),
    ).toEqual(['survey.err.noPaths|']);
    expect(
      keys({
        constructs: [
          { name: 'A', indicators: ['A1', 'X9'], mode: 'A' },
          { name: 'B', indicators: [], mode: 'A' },
          { name: 'C', indicators: ['C1', 'A1'], mode: 'A' },
          { name: 'D', indicators: ['D1'], mode: 'A' },
        ],
        paths: [
          ['A', 'C'],
          ['C', 'A'],
          ['A', 'Z'],
          ['A', 'A'],
          ['A', 'C'],
        ],
      }),
    ).toEqual([
      'survey.err.unknownItem|A,X9',
      'survey.err.unmeasured|B',
      'survey.err.sharedItem|A1,A,C',
      'survey.err.unknownConstruct|Z,A,Z',
      'survey.err.selfLoop|A',
      'survey.err.duplicatePath|A,C',
      'survey.err.isolated|B',
      'survey.err.isolated|D',
      'survey.err.cycle|A → C → A',
    ]);
  });

  it('picks an endogenous IPMA target: the configured one, else satisfaction', () => {
    const m = presetModel('ecsi', mobiItems);
    expect(effectiveTarget(m, '')).toBe('Satisfaction');
    expect(effectiveTarget(m, 'Loyalty')).toBe('Loyalty');
    expect(effectiveTarget(m, 'Image')).toBe('Satisfaction');
  });
});
