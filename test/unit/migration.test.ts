// Segment migration between two dates over a hand-built clean_tx. The special categories and money
// are worked out by hand; the segment of a scored customer is checked against the one-off
// (inline) segmentation of issue #3 at the same date, a separate path through the SQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './helpers/duckdb';
import type { Database } from '../../src/engine/database';
import { cleanTx, type Row } from './cohort-fixture';
import { resolveSegmentationOptions } from '../../src/core/segmentation-options';
import { segmentationSql } from '../../src/core/sql/rfm';
import {
  createMigrationTablesSql,
  migrationCustomersSql,
  migrationFlowSql,
  migrationMatrixSql,
  NO_LONGER_SCORED,
  NOT_YET_CUSTOMER,
  UNSCORED,
} from '../../src/core/sql/migration';

// from = 2024-03-01, to = 2024-06-01 (both exclusive: a date's snapshot holds what happened before it).
const ROWS: Row[] = [
  ['P', 'P1', '2024-01-10', 100, null],
  ['P', 'P2', '2024-04-10', 50, null],
  // Q's order is refunded under the same order id after `from`: scored then (net 100), not at `to` (net 0).
  ['Q', 'Q1', '2024-01-15', 100, null],
  ['Q', 'Q1', '2024-03-20', -100, null],
  // R first buys between the dates.
  ['R', 'R1', '2024-04-01', 80, null],
  // S only returned goods before `from`, then bought: −20 + 60 = 40 at `to`.
  ['S', 'S0', '2024-02-01', -20, null],
  ['S', 'S1', '2024-05-01', 60, null],
  // T never bought (only a return): left out. U buys after `to`: not considered.
  ['T', 'T0', '2024-02-10', -10, null],
  ['U', 'U1', '2024-06-05', 40, null],
  ['V', 'V1', '2024-02-20', 30, null],
  // W's first transaction (a return) is after `from` and W never buys: left out.
  ['W', 'W0', '2024-04-15', -5, null],
];
const dates = { from: '2024-03-01', to: '2024-06-01' };
const options = resolveSegmentationOptions({ scheme: 'crm4', bins: 3 });

interface Move {
  customer_id: string;
  segment_from: string;
  segment_to: string;
  monetary_from: number | null;
  monetary_to: number | null;
}

let db: Database;
let moves: Move[];
beforeAll(async () => {
  db = await openTestDatabase();
  await cleanTx(db, ROWS);
  for (const sql of createMigrationTablesSql(dates)) await db.exec(sql);
  moves = await db.rows<Move>(`SELECT * FROM (${migrationCustomersSql(options, dates)}) ORDER BY customer_id`);
});

async function segmentsAt(asOf: string): Promise<Record<string, string>> {
  const rows = await db.rows<{ customer_id: string; segment: string }>(segmentationSql({ ...options, asOf }, { source: 'inline' }));
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.segment]));
}

describe('segment migration', () => {
  it('classifies customers who were not yet customers, unscored or no longer scored', async () => {
    const before = await segmentsAt(dates.from);
    const after = await segmentsAt(dates.to);
    expect(Object.keys(before).sort()).toEqual(['P', 'Q', 'V']);
    expect(Object.keys(after).sort()).toEqual(['P', 'R', 'S', 'V']);
    expect(moves).toEqual([
      { customer_id: 'P', segment_from: before.P, segment_to: after.P, monetary_from: 100, monetary_to: 150 },
      { customer_id: 'Q', segment_from: before.Q, segment_to: NO_LONGER_SCORED, monetary_from: 100, monetary_to: null },
      { customer_id: 'R', segment_from: NOT_YET_CUSTOMER, segment_to: after.R, monetary_from: null, monetary_to: 80 },
      { customer_id: 'S', segment_from: UNSCORED, segment_to: after.S, monetary_from: null, monetary_to: 40 },
      { customer_id: 'V', segment_from: before.V, segment_to: after.V, monetary_from: 30, monetary_to: 30 },
    ]);
  });

  it('sums the matrix per pair of segments', async () => {
    const matrix = await db.rows<{ segment_from: string; segment_to: string; customers: number; monetary_from: number; monetary_to: number }>(
      migrationMatrixSql(options, dates),
    );
    // Recount the five customers above by pair.
    const expected = new Map<string, [number, number, number]>();
    for (const m of moves) {
      const key = `${m.segment_from}>${m.segment_to}`;
      const [n, a, b] = expected.get(key) ?? [0, 0, 0];
      expected.set(key, [n + 1, a + (m.monetary_from ?? 0), b + (m.monetary_to ?? 0)]);
    }
    expect(matrix.reduce((s, r) => s + r.customers, 0)).toBe(5);
    expect(Object.fromEntries(matrix.map((r) => [`${r.segment_from}>${r.segment_to}`, [r.customers, r.monetary_from, r.monetary_to]]))).toEqual(
      Object.fromEntries(expected),
    );
  });

  it('lists the customers of one flow, with quoted values', async () => {
    const flow = await db.rows<Move>(migrationFlowSql(options, dates, { from: NOT_YET_CUSTOMER, to: moves[2].segment_to }));
    expect(flow.map((m) => m.customer_id)).toEqual(['R']);
    expect(await db.rows(migrationFlowSql(options, dates, { from: "x' OR '1'='1", to: 'y' }))).toEqual([]);
    expect((await db.rows<Move>(migrationFlowSql(options, dates, null, 2))).map((m) => m.customer_id)).toEqual(['P', 'Q']);
  });

  it('rejects dates in the wrong order or format', () => {
    expect(() => createMigrationTablesSql({ from: '2024-06-01', to: '2024-03-01' })).toThrow(/before/);
    expect(() => createMigrationTablesSql({ from: "2024-01-01'", to: '2024-03-01' })).toThrow();
  });
});
