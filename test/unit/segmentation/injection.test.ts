// Customer ids, order ids and user-named segments are data, never SQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/duckdb';
import { createCleanTx } from './fixture';
import type { Database } from '../../../src/engine/database';
import { createCustomerRfmTableSql, segmentSummarySql, segmentationSql } from '../../../src/core/sql/rfm';
import { customerSummarySql } from '../../../src/core/sql/customers';
import type { CustomSegmentRule, SegmentationOptionsInput } from '../../../src/core/segmentation-options';

const EVIL_CUSTOMER = `O'Brien "; DROP TABLE x; --`;
const EVIL_ORDER = `o'1"; DROP TABLE x; --`;
const EVIL_RULE: CustomSegmentRule = {
  id: `it's "id"; DROP TABLE x; --`,
  name: { en: `Seg 'x' "; DROP TABLE x; --`, zh: `客户'群"; DROP TABLE x; --` },
  strategy: { en: `Call '); DROP TABLE x; --`, zh: '' },
  r: [4, 5],
  f: [1, 5],
  m: [1, 5],
};

describe('quotes and SQL in ids and names', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await db.exec('CREATE TABLE x (v INTEGER)');
    // Two customers: the evil one bought 1 day before as_of (R: k = 2 of 2 → 5), 'plain' 5 days (k = 1 → ceil(2.5) = 3).
    await createCleanTx(db, [
      [EVIL_CUSTOMER, EVIL_ORDER, '2024-05-05', 10],
      [EVIL_CUSTOMER, EVIL_ORDER, '2024-05-05', 5],
      ['plain', 'p1', '2024-05-01', 20],
    ]);
  }, 60_000);

  const options: SegmentationOptionsInput = { scheme: 'custom', customRules: [EVIL_RULE] };

  it('keeps the ids intact and assigns the user-named segment', async () => {
    const summary = await db.rows<{ customer_id: string; frequency: number; monetary: number }>(
      `SELECT customer_id, frequency, monetary FROM (${customerSummarySql()}) ORDER BY customer_id`,
    );
    expect(summary).toEqual([
      { customer_id: EVIL_CUSTOMER, frequency: 1, monetary: 15 },
      { customer_id: 'plain', frequency: 1, monetary: 20 },
    ]);

    await db.exec(createCustomerRfmTableSql());
    for (const [label, expected] of [
      ['id', EVIL_RULE.id],
      ['en', EVIL_RULE.name.en],
      ['zh', EVIL_RULE.name.zh],
    ] as const) {
      const rows = await db.rows<{ customer_id: string; r_score: number; segment: string }>(
        `SELECT customer_id, r_score, segment FROM (${segmentationSql(options, { label })}) ORDER BY customer_id`,
      );
      expect(rows).toEqual([
        { customer_id: EVIL_CUSTOMER, r_score: 5, segment: expected },
        { customer_id: 'plain', r_score: 3, segment: label === 'zh' ? '未分配' : label === 'en' ? 'Unassigned' : 'unassigned' },
      ]);
    }

    const summaryRows = await db.rows<{ segment: string; customers: number; segment_order: number }>(
      segmentSummarySql(options, { label: 'en' }),
    );
    expect(summaryRows.map((r) => [r.segment, r.customers, r.segment_order])).toEqual([
      [EVIL_RULE.name.en, 1, 1],
      ['Unassigned', 1, 2],
    ]);

    // The table the payloads aimed at is still there.
    expect(await db.rows(`SELECT count(*) AS n FROM x`)).toEqual([{ n: 0 }]);
  });

  it('a temp table name is quoted too', async () => {
    const table = `rfm "; DROP TABLE x; --`;
    await db.exec(createCustomerRfmTableSql({}, table));
    const rows = await db.rows(`SELECT customer_id FROM (${segmentationSql({}, { table })}) ORDER BY customer_id`);
    expect(rows).toEqual([{ customer_id: EVIL_CUSTOMER }, { customer_id: 'plain' }]);
    expect(await db.rows(`SELECT count(*) AS n FROM x`)).toEqual([{ n: 0 }]);
  });
});
