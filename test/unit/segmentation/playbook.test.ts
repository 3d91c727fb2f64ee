// The editable playbook (src/core/playbook.ts): overrides per language, fallbacks, SQL CASEs.
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/duckdb';
import type { Database } from '../../../src/engine/database';
import {
  abcPlaybook,
  languageOf,
  lifecyclePlaybook,
  localized,
  segmentLabelCaseSql,
  segmentPlaybook,
  segmentStrategyCaseSql,
  setStrategyOverride,
} from '../../../src/core/playbook';
import { resolveSegmentationOptions } from '../../../src/core/segmentation-options';
import { schemeSpec } from '../../../src/core/segments';

describe('playbook entries', () => {
  it('lists the scheme\'s segments in order with the user\'s edits per language', () => {
    const options = resolveSegmentationOptions({ scheme: 'crm4', strategyOverrides: { churn_risk: { zh: '电话回访' } } });
    const entries = segmentPlaybook(options);
    expect(entries.map((e) => e.id)).toEqual(['high_value_loyal', 'potential_growth', 'churn_risk', 'low_value_silent', 'other']);
    const churn = entries[2];
    expect(churn.edited).toBe(true);
    expect(churn.strategy.zh).toBe('电话回访');
    expect(churn.strategy.en).toBe(churn.defaultStrategy.en);
    expect(entries[0].edited).toBe(false);
  });

  it('ABC classes and lifecycle stages use prefixed keys', () => {
    expect(abcPlaybook({ 'abc:C': { en: 'Self-service only' } }).map((e) => [e.key, e.strategy.en === 'Self-service only'])).toEqual([
      ['abc:A', false],
      ['abc:B', false],
      ['abc:C', true],
    ]);
    expect(lifecyclePlaybook().map((e) => e.key)).toEqual(['lifecycle:new', 'lifecycle:active', 'lifecycle:silent', 'lifecycle:churned']);
  });

  it('setStrategyOverride adds, replaces and removes per language', () => {
    let o = setStrategyOverride({}, 'champions', 'en', 'Thank them');
    expect(o).toEqual({ champions: { en: 'Thank them' } });
    o = setStrategyOverride(o, 'champions', 'zh', '感谢');
    expect(o).toEqual({ champions: { en: 'Thank them', zh: '感谢' } });
    o = setStrategyOverride(o, 'champions', 'en', '  ');
    expect(o).toEqual({ champions: { zh: '感谢' } });
    expect(setStrategyOverride(o, 'champions', 'zh', '')).toEqual({});
  });

  it('languages and fallbacks', () => {
    expect(languageOf('zh-CN')).toBe('zh');
    expect(languageOf('en')).toBe('en');
    expect(localized({ en: 'Only English', zh: '' }, 'zh')).toBe('Only English');
    expect(localized(undefined, 'en')).toBe('');
  });
});

describe('SQL CASE for labels and strategies', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  }, 60_000);

  it('maps segment ids to localized names and (edited) strategies; quotes user text', async () => {
    const options = resolveSegmentationOptions({
      scheme: 'custom',
      customRules: [{ id: "o'k", name: { en: "It's", zh: '好"的' }, strategy: { en: "Call'); DROP TABLE x; --", zh: '' }, r: [1, 5], f: [1, 5], m: [1, 5] }],
      strategyOverrides: { unassigned: { en: 'Review' } },
    });
    const spec = schemeSpec(options);
    const sql = (lang: 'en' | 'zh') =>
      `SELECT id, ${segmentLabelCaseSql(spec, lang, 'id')} AS label, ${segmentStrategyCaseSql(spec, lang, options.strategyOverrides, 'id')} AS strategy
       FROM (VALUES ('o''k'), ('unassigned'), ('nope')) AS t(id) ORDER BY id`;
    expect(await db.rows(sql('en'))).toEqual([
      { id: 'nope', label: 'nope', strategy: '' },
      { id: "o'k", label: "It's", strategy: "Call'); DROP TABLE x; --" },
      { id: 'unassigned', label: 'Unassigned', strategy: 'Review' },
    ]);
    const zh = await db.rows<{ id: string; label: string; strategy: string }>(sql('zh'));
    expect(zh.map((r) => [r.label, r.strategy])).toEqual([
      ['nope', ''],
      ['好"的', "Call'); DROP TABLE x; --"], // no Chinese strategy → the English one
      ['未分配', '检查规则表：为这些评分补充规则，或将其作为低优先级群体。'], // the edit was English only
    ]);
  });
});
