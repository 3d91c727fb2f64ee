// Segment schemes: hand-picked score triples with the segment each definition gives (worked out
// from the definitions and the grid table in src/core/segments.ts), then the SQL CASE
// checked against the TypeScript assignment on every score triple.
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/duckdb';
import type { Database } from '../../../src/engine/database';
import {
  assignSegment,
  CLASSIC8_SEGMENTS,
  CRM4_SEGMENTS,
  GRID11_SEGMENTS,
  gridLevel,
  matchSegmentRule,
  schemeSegments,
  segmentCaseSql,
  type SchemeSpec,
  type ScoreTriple,
} from '../../../src/core/segments';
import type { CustomSegmentRule } from '../../../src/core/segmentation-options';

const triple = (r: number, f: number, m: number): ScoreTriple => ({ r, f, m });

describe('classic eight', () => {
  const spec: SchemeSpec = { id: 'classic8' };
  const means = triple(3, 3, 3);
  it.each([
    [4, 4, 4, 'important_value'],
    [4, 2, 5, 'important_development'],
    [3, 5, 5, 'important_retention'], // R = mean is not above it → R low
    [1, 1, 4, 'important_winback'],
    [5, 5, 3, 'general_value'], // M = mean → M low
    [5, 1, 1, 'general_development'],
    [2, 4, 2, 'general_retention'],
    [3, 3, 3, 'general_winback'],
  ])('R%i F%i M%i → %s', (r, f, m, expected) => {
    expect(assignSegment(spec, triple(r, f, m), means)).toBe(expected);
  });

  it('uses fractional means (high = strictly above)', () => {
    const m = triple(3.2, 2.9, 3.0000001);
    expect(assignSegment(spec, triple(4, 3, 3), m)).toBe('general_value'); // 4 > 3.2, 3 > 2.9, 3 ≤ 3.0000001
  });

  it('has the eight Chinese names of the issue', () => {
    expect(CLASSIC8_SEGMENTS.map((s) => s.name.zh)).toEqual([
      '重要价值客户',
      '重要发展客户',
      '重要保持客户',
      '重要挽留客户',
      '一般价值客户',
      '一般发展客户',
      '一般保持客户',
      '一般挽留客户',
    ]);
  });
});

describe('four CRM types', () => {
  const spec: SchemeSpec = { id: 'crm4' };
  const means = triple(3, 3, 3);
  it.each([
    [5, 5, 5, 'high_value_loyal'],
    [4, 1, 4, 'potential_growth'],
    [1, 5, 5, 'churn_risk'],
    [1, 1, 1, 'low_value_silent'],
    [3, 3, 3, 'low_value_silent'], // all at the mean → all low
    [5, 5, 1, 'other'],
    [1, 5, 1, 'other'],
    [5, 1, 1, 'other'],
    [1, 1, 5, 'other'],
  ])('R%i F%i M%i → %s', (r, f, m, expected) => {
    expect(assignSegment(spec, triple(r, f, m), means)).toBe(expected);
  });
});

describe('named grid', () => {
  it('maps scores of other bin counts onto five levels', () => {
    const levels = (bins: number) => Array.from({ length: bins }, (_, i) => gridLevel(i + 1, bins));
    expect(levels(5)).toEqual([1, 2, 3, 4, 5]);
    expect(levels(3)).toEqual([1, 3, 5]);
    expect(levels(4)).toEqual([1, 2, 4, 5]); // 1 + 4/3 = 2.33 → 2, 1 + 8/3 = 3.67 → 4
    expect(levels(7)).toEqual([1, 2, 2, 3, 4, 4, 5]);
    expect(levels(10)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it.each([
    [5, 5, 5, 'champions'],
    [4, 4, 4, 'champions'],
    [5, 3, 3, 'loyal'], // FM 3
    [3, 4, 4, 'loyal'],
    [1, 5, 5, 'cant_lose'],
    [1, 4, 3, 'at_risk'], // FM 3.5 < 4
    [2, 5, 5, 'at_risk'],
    [2, 3, 2, 'at_risk'], // FM 2.5
    [1, 1, 1, 'lost'],
    [1, 2, 2, 'lost'],
    [2, 2, 2, 'hibernating'],
    [2, 1, 1, 'hibernating'],
    [3, 2, 2, 'need_attention'],
    [3, 3, 2, 'need_attention'], // FM 2.5
    [3, 1, 1, 'about_to_sleep'],
    [3, 2, 1, 'about_to_sleep'], // FM 1.5
    [4, 2, 2, 'potential_loyalist'],
    [5, 3, 2, 'potential_loyalist'], // FM 2.5
    [4, 3, 3, 'loyal'],
    [4, 1, 1, 'promising'],
    [4, 1, 2, 'promising'],
    [5, 1, 1, 'new_customers'],
    [5, 2, 1, 'new_customers'],
  ])('bins 5: R%i F%i M%i → %s', (r, f, m, expected) => {
    expect(assignSegment({ id: 'grid11', bins: 5 }, triple(r, f, m))).toBe(expected);
  });

  it.each([
    [10, 10, 10, 'champions'],
    [7, 8, 8, 'champions'], // levels 4, 4, 4
    [1, 10, 10, 'cant_lose'],
    [2, 7, 8, 'cant_lose'], // levels 1, 4, 4
    [10, 1, 1, 'new_customers'],
    [9, 2, 2, 'new_customers'], // levels 5, 1, 1
    [5, 6, 5, 'loyal'], // levels 3, 3, 3
  ])('bins 10: R%i F%i M%i → %s', (r, f, m, expected) => {
    expect(assignSegment({ id: 'grid11', bins: 10 }, triple(r, f, m))).toBe(expected);
  });

  it('is a partition: every triple matches a rule for bins 3..10, and bins 5 reaches all 11 segments', () => {
    for (let bins = 3; bins <= 10; bins++) {
      const seen = new Set<string>();
      for (let r = 1; r <= bins; r++)
        for (let f = 1; f <= bins; f++)
          for (let m = 1; m <= bins; m++) {
            const hit = matchSegmentRule({ id: 'grid11', bins }, triple(r, f, m));
            expect(hit.rule, `bins ${bins} R${r} F${f} M${m}`).not.toBeNull();
            seen.add(hit.segment);
          }
      if (bins === 5 || bins === 10) expect([...seen].sort()).toEqual(GRID11_SEGMENTS.map((s) => s.id).sort());
    }
  });
});

describe('custom rules', () => {
  const rules: CustomSegmentRule[] = [
    { id: 'vip', name: { en: 'VIP', zh: '贵宾' }, strategy: { en: 'Call', zh: '致电' }, r: [4, 5], f: [4, 5], m: [4, 5] },
    { id: 'recent', name: { en: 'Recent', zh: '近期' }, strategy: { en: 'Mail', zh: '邮件' }, r: [4, 5], f: [1, 5], m: [1, 5] },
  ];
  const spec: SchemeSpec = { id: 'custom', rules };
  it.each([
    [5, 5, 5, 'vip'],
    [4, 4, 4, 'vip'],
    [4, 3, 5, 'recent'], // first rule fails on F, second matches
    [5, 1, 1, 'recent'],
    [3, 5, 5, 'unassigned'],
  ])('R%i F%i M%i → %s', (r, f, m, expected) => {
    expect(assignSegment(spec, triple(r, f, m))).toBe(expected);
  });
  it('lists the rules then the fallback', () => {
    expect(schemeSegments(spec).map((s) => s.id)).toEqual(['vip', 'recent', 'unassigned']);
  });
});

describe('segment texts', () => {
  it('every built-in segment has en + zh name, description and strategy', () => {
    for (const seg of [...CLASSIC8_SEGMENTS, ...CRM4_SEGMENTS, ...GRID11_SEGMENTS]) {
      for (const text of [seg.name, seg.description, seg.strategy]) {
        expect(text.en.length, seg.id).toBeGreaterThan(0);
        expect(text.zh.length, seg.id).toBeGreaterThan(0);
      }
      expect(seg.strategy.en).toMatch(/KPI/);
    }
  });
});

describe('SQL CASE agrees with assignSegment on every triple', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  }, 60_000);

  async function compare(spec: SchemeSpec, bins: number, means: ScoreTriple) {
    const sql = `SELECT r_score, f_score, m_score, ${segmentCaseSql(spec)} AS segment
      FROM (SELECT CAST(r.range AS INTEGER) AS r_score, CAST(f.range AS INTEGER) AS f_score, CAST(m.range AS INTEGER) AS m_score,
              CAST(${means.r} AS DOUBLE) AS mean_r, CAST(${means.f} AS DOUBLE) AS mean_f, CAST(${means.m} AS DOUBLE) AS mean_m
            FROM range(1, ${bins + 1}) AS r, range(1, ${bins + 1}) AS f, range(1, ${bins + 1}) AS m)
      ORDER BY r_score, f_score, m_score`;
    const rows = await db.rows<{ r_score: number; f_score: number; m_score: number; segment: string }>(sql);
    expect(rows.length).toBe(bins ** 3);
    for (const row of rows) {
      expect([row.r_score, row.f_score, row.m_score, row.segment]).toEqual([
        row.r_score,
        row.f_score,
        row.m_score,
        assignSegment(spec, triple(row.r_score, row.f_score, row.m_score), means),
      ]);
    }
  }

  it('classic eight and CRM four', async () => {
    await compare({ id: 'classic8' }, 5, triple(3, 3, 3));
    await compare({ id: 'classic8' }, 7, triple(3.25, 4.5, 2.75));
    await compare({ id: 'crm4' }, 5, triple(2.5, 3, 3.5));
  });

  it('named grid for bins 3..10', async () => {
    for (let bins = 3; bins <= 10; bins++) await compare({ id: 'grid11', bins }, bins, triple(0, 0, 0));
  });

  it('custom', async () => {
    await compare(
      {
        id: 'custom',
        rules: [{ id: 'a', name: { en: 'A', zh: 'A' }, strategy: { en: '', zh: '' }, r: [2, 3], f: [1, 4], m: [3, 5] }],
      },
      5,
      triple(0, 0, 0),
    );
  });
});
