// The in-memory segmentation (src/core/scored-customers.ts) against the SQL it replaces, on real
// DuckDB-WASM: the cube, the cross-tab and every explorer sort/filter must give exactly what
// segmentCubeSql, crossTabCubeSql and customerPageSql give on the same customer_rfm. The SQL is
// the independent reference here (its own tests check it against hand-computed fixtures).
import { cleanOrdersSql } from '../../../src/core/sql/quality';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/duckdb';
import { createCleanTx } from './fixture';
import type { Database } from '../../../src/engine/database';
import { resolveSegmentationOptions, type SegmentationOptionsInput } from '../../../src/core/segmentation-options';
import { createCustomerRfmTableSql } from '../../../src/core/sql/rfm';
import {
  crossTabCubeSql,
  CUSTOMER_SORT_COLUMNS,
  customerAttributeTableSql,
  customerPageSql,
  customerRfmAttrTableSql,
  segmentCubeSql,
  segmentedCustomersSql,
  type CustomerQuery,
} from '../../../src/core/sql/segment-views';
import {
  attributeFromValues,
  compareUtf8,
  crossTabCube,
  customerPage,
  customerRow,
  fromColumns,
  paretoReading,
  scoreCube,
  scoreCustomers,
  scoredCustomersSql,
  type ScoredCustomerColumns,
  type ScoredCustomers,
} from '../../../src/core/scored-customers';
import { cellSegments, summarizeCube } from '../../../src/core/segment-cube';
import { schemeSpec } from '../../../src/core/segments';

let db: Database;
let base: ScoredCustomers;

// 1,200 customers: ids with mixed case, accents, CJK and a character outside the BMP (UTF-8 and
// UTF-16 order differ there), frequencies 1..6, money with many ties, recency over a year,
// returns making some orders net-negative, and a channel per order.
const IDS = (i: number) => [`c${i}`, `C${i}x`, `é${i}`, `客户${i}`, `\u{1F600}${i}`, `\uFF21${i}`][i % 6];

beforeAll(async () => {
  db = await openTestDatabase();
  await createCleanTx(db, []);
  await db.exec(`CREATE OR REPLACE TEMP TABLE ids AS SELECT * FROM (VALUES ${Array.from({ length: 1200 }, (_, i) => `(${i}, '${IDS(i)}')`).join(', ')}) t(i, id)`);
  await db.exec(`INSERT INTO clean_tx
    SELECT ids.id, ids.id || '-' || k, TIMESTAMP '2024-01-01' + INTERVAL ((ids.i * 37 + k * 53) % 365) DAY,
      DATE '2024-01-01' + CAST((ids.i * 37 + k * 53) % 365 AS INTEGER),
      CASE WHEN (ids.i + k) % 17 = 0 THEN -5 ELSE ((ids.i * 7 + k * 3) % 40) * 5 + 5 END, 1, NULL, NULL,
      ['APP', 'WEB', 'STORE', 'MINI'][1 + (ids.i + k) % 4], NULL
    FROM ids, range(1 + ids.i % 6) r(k)`);
  await db.exec(cleanOrdersSql());
  await db.exec(createCustomerRfmTableSql({}));
  const t = await db.query(scoredCustomersSql('customer_rfm'));
  base = fromColumns(Object.fromEntries(t.schema.fields.map((f, i) => [f.name, t.getChildAt(i)!.toArray()])) as unknown as ScoredCustomerColumns);
}, 60_000);

const VARIANTS: SegmentationOptionsInput[] = [
  { scheme: 'classic8', bins: 5 },
  { scheme: 'crm4', bins: 4, abc: { a: 0.5, b: 0.9 } },
  { scheme: 'grid11', bins: 10, lifecycle: { newDays: 30, activeDays: 60, silentDays: 120 } },
  { scheme: 'grid11', bins: 3 },
  { scheme: 'classic8', thresholds: { r: [30, 90, 180], f: [2, 3, 5], m: [50, 200, 400] } },
];

function sortedCube<T extends { r_score: number; f_score: number; m_score: number }>(rows: T[], key: (r: T) => string): T[] {
  return [...rows].sort((a, b) => compareUtf8(key(a), key(b)));
}

describe('in-memory segmentation equals the SQL', () => {
  it('loads customer_rfm in customer_id order (DuckDB order = UTF-8 byte order)', async () => {
    const [{ n }] = await db.rows<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM customer_rfm');
    expect(base.n).toBe(n);
    expect(n).toBeGreaterThan(1100);
    for (let i = 1; i < base.n; i++) expect(compareUtf8(base.ids[i - 1], base.ids[i])).toBeLessThan(0);
    // The emoji (U+1F600) sorts after U+FF21 in UTF-8, before it in UTF-16.
    expect(base.ids.findIndex((id) => id.startsWith('\u{1F600}'))).toBeGreaterThan(base.ids.findIndex((id) => id.startsWith('\uFF21')));
  });

  for (const input of VARIANTS) {
    it(`cube, cross-tab and explorer pages for ${JSON.stringify(input)}`, async () => {
      const options = resolveSegmentationOptions(input);
      const scores = scoreCustomers(base, options);

      // The cube.
      const cubeKey = (c: { r_score: number; f_score: number; m_score: number; abc_class: string; lifecycle: string }) =>
        `${c.r_score}|${c.f_score}|${c.m_score}|${c.abc_class}|${c.lifecycle}`;
      const mine = sortedCube(scoreCube(base, scores), cubeKey);
      const sql = sortedCube(await db.rows<ReturnType<typeof scoreCube>[number]>(segmentCubeSql(options)), cubeKey);
      expect(mine.map(cubeKey)).toEqual(sql.map(cubeKey));
      mine.forEach((c, i) => {
        const s = sql[i];
        expect([c.customers, c.min_recency, c.max_recency, c.min_frequency, c.max_frequency, c.min_monetary, c.max_monetary, c.recency_sum, c.frequency_sum]).toEqual([
          s.customers,
          s.min_recency,
          s.max_recency,
          s.min_frequency,
          s.max_frequency,
          s.min_monetary,
          s.max_monetary,
          s.recency_sum,
          s.frequency_sum,
        ]);
        expect(c.revenue).toBeCloseTo(s.revenue, 6);
      });

      // The cross-tab by main channel.
      await db.exec(customerAttributeTableSql({ source: 'tx', column: 'channel' }, null));
      await db.exec(customerRfmAttrTableSql());
      const values = await db.query('SELECT a.value FROM customer_rfm b LEFT JOIN customer_seg_attr a ON a.customer_id = b.customer_id ORDER BY b.customer_id');
      const attribute = attributeFromValues(values.getChildAt(0)!.toArray() as ArrayLike<string | null>);
      const xKey = (c: { r_score: number; f_score: number; m_score: number; value: string | null }) => `${c.r_score}|${c.f_score}|${c.m_score}|${c.value}`;
      const xMine = sortedCube(crossTabCube(base, scores, attribute), xKey);
      const xSql = sortedCube(await db.rows<ReturnType<typeof crossTabCube>[number]>(crossTabCubeSql(options)), xKey);
      expect(xMine.map((c) => [xKey(c), c.customers])).toEqual(xSql.map((c) => [xKey(c), c.customers]));
      xMine.forEach((c, i) => expect(c.revenue).toBeCloseTo(xSql[i].revenue, 6));
      // The Map path (many attribute values) gives the same.
      expect(sortedCube(crossTabCube(base, scores, attribute, 0), xKey)).toEqual(xMine);

      // Explorer pages: every sort column both ways, under several filters, against customerPageSql.
      const spec = schemeSpec(options);
      const means = summarizeCube(mine, spec).means;
      const L = scores.levels;
      const cells: { r_score: number; f_score: number; m_score: number }[] = [];
      for (let r = 1; r <= L; r++) for (let f = 1; f <= L; f++) for (let m = 1; m <= L; m++) cells.push({ r_score: r, f_score: f, m_score: m });
      const seg = cellSegments(cells, spec, means);
      const segmentOf = (r: number, f: number, m: number) => seg[((r - 1) * L + (f - 1)) * L + (m - 1)];
      const someSegment = segmentOf(scores.r[0], scores.f[0], scores.m[0]);
      const filters: CustomerQuery[] = [
        {},
        { filter: { segment: someSegment } },
        { filter: { abc: 'B' } },
        { filter: { lifecycle: 'silent', r: 2 } },
        { filter: { attribute: { kind: 'value', value: 'WEB' } } },
        { filter: { attribute: { kind: 'other', except: ['WEB', 'APP'] } } },
        { filter: { attribute: { kind: 'other', except: [] } } },
        { filter: { attribute: { kind: 'none' } } },
        { search: 'C1' },
        { search: '客户' },
      ];
      const segmented = segmentedCustomersSql(options, means);
      for (const f of filters) {
        for (const sort of CUSTOMER_SORT_COLUMNS) {
          for (const descending of [false, true]) {
            const query: CustomerQuery = { ...f, sort, descending, offset: 7, limit: 40 };
            const page = customerPage(base, scores, { query, segmentOf, attribute });
            const ref = await db.rows<Record<string, unknown>>(customerPageSql(segmented, query));
            const [{ total }] = await db.rows<{ total: number }>(
              `SELECT CAST(count(*) AS INTEGER) AS total FROM (${customerPageSql(segmented, { ...query, offset: 0, limit: 500 }).replace(/LIMIT 500 OFFSET 0$/, '')})`,
            );
            const label = JSON.stringify(query);
            expect(page.total, label).toBe(total);
            const rows = page.indices.map((i) => customerRow(base, scores, i, segmentOf));
            expect(rows.map((r) => r.customer_id), label).toEqual(ref.map((r) => r.customer_id));
            if (sort === 'monetary' && !descending && !f.filter && !f.search) {
              // Whole rows, field by field (dates as epoch ms, as db.rows gives them).
              expect(rows).toEqual(ref.map((r) => ({ ...r })));
            }
          }
        }
      }
    });
  }
});

describe('paretoReading (the Pareto curve in memory)', () => {
  /** Customers in id order with their monetary; m_rank = # customers with monetary ≤ theirs. */
  function withMonetary(monetary: number[]) {
    const n = monetary.length;
    const zeros = new Array(n).fill(0);
    return fromColumns({
      customer_id: monetary.map((_, i) => `C${i}`),
      first_day: zeros, last_day: zeros, recency_days: zeros, frequency: zeros, monetary, avg_order_value: monetary, tenure_days: zeros,
      r_rank: zeros, f_rank: zeros, m_rank: monetary.map((m) => monetary.filter((x) => x <= m).length),
      cum_before: zeros,
    });
  }

  it('ranks by monetary descending, ties in id order, and buckets the ranks', () => {
    // Ranked: C1 50, C3 30, C0 10, C2 10 (tie: C0 first), C4 0; total 100.
    const { curve, top } = paretoReading(withMonetary([10, 50, 10, 30, 0]), 5, 0.2);
    expect(curve).toEqual([
      { rank: 1, cumShare: 0.5 },
      { rank: 2, cumShare: 0.8 },
      { rank: 3, cumShare: 0.9 },
      { rank: 4, cumShare: 1 },
      { rank: 5, cumShare: 1 },
    ]);
    // Top 20 % of 5 = 1 customer.
    expect(top).toEqual({ customers: 1, revenueShare: 0.5 });
    // Two points for 5 ranks: bucket (2·rank + 4) // 5 is 1 for ranks 1–2 and 2 for ranks 3–5; each keeps its last rank.
    expect(paretoReading(withMonetary([10, 50, 10, 30, 0]), 2, 0.5).curve).toEqual([
      { rank: 2, cumShare: 0.8 },
      { rank: 5, cumShare: 1 },
    ]);
  });

  it('has no revenue share when the total is zero', () => {
    const { curve, top } = paretoReading(withMonetary([5, -5]), 10, 0.2);
    expect(curve).toEqual([
      { rank: 1, cumShare: 0 },
      { rank: 2, cumShare: 0 },
    ]);
    expect(top).toBeNull();
  });
});

describe('fromColumns (what it keeps of a query result)', () => {
  it('keeps a typed array that owns its buffer, copies a view into a larger one and plain arrays', () => {
    const result = new ArrayBuffer(64); // stands for a query result's bytes
    const view = new Int32Array(result, 8, 3);
    view.set([5, 6, 7]);
    const own = Int32Array.from([1, 2, 3]);
    const money = Float64Array.from([1.5, 2.5, 3.5]);
    const base = fromColumns({
      customer_id: ['a', 'b', 'c'],
      first_day: view, last_day: own, recency_days: [0, 1, 2], frequency: own, monetary: money, avg_order_value: new Float64Array(result, 16, 3), tenure_days: own,
      r_rank: own, f_rank: own, m_rank: own, cum_before: money,
    });
    expect(base.lastDay).toBe(own);
    expect(base.monetary).toBe(money);
    expect(base.firstDay).not.toBe(view);
    expect(base.firstDay.buffer).not.toBe(result);
    expect([...base.firstDay]).toEqual([5, 6, 7]);
    expect(base.aov.buffer).not.toBe(result);
    expect(base.recency).toBeInstanceOf(Int32Array);
    expect([...base.recency]).toEqual([0, 1, 2]);
  });
});
