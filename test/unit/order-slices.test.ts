// A large file's clean orders are built in slices of the customers' hash space (slices.ts
// ORDER_SLICE_ROWS: the aggregate's hash table would otherwise set DuckDB-WASM's memory). Here
// the slice size is lowered so that a small file takes several: the orders, the headline KPIs
// and the monthly trend must be those of one aggregate, and the DuckDB script gets the same
// statements the engine ran.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { warmUpTransactionsCsv } from '../../src/core/warm-up-data';
import { analyses } from '../../src/engine/analyses';
import { Workspace } from '../../src/engine/workspace';
import { addCsvText, openTestDatabase } from './helpers/duckdb';

async function load(sliceRows?: number) {
  const db = await openTestDatabase();
  const ws = new Workspace(db, undefined, sliceRows);
  await addCsvText(db, ws, 'a.csv', warmUpTransactionsCsv(30_000));
  const state = await ws.apply(defaultConfig());
  const orders = await db.rows<Record<string, unknown>>('SELECT * FROM clean_orders ORDER BY customer_id, order_id');
  const ctx = { db, config: defaultConfig(), progress: () => {}, isCancelled: () => false };
  const trend = await analyses.monthlyTrend(ctx, undefined);
  return { ws, state, orders, trend };
}

describe('clean orders in slices', () => {
  it('are the orders of one aggregate, with the same KPIs, and the script has every slice', async () => {
    const whole = await load();
    const sliced = await load(4_000); // 30,000 rows: 8 slices
    expect(whole.ws.setupStatements.filter((s) => /"clean_orders"/.test(s) && /^(CREATE|INSERT)/.test(s))).toHaveLength(1);
    const slices = sliced.ws.setupStatements.filter((s) => /^(CREATE OR REPLACE TABLE|INSERT INTO) "clean_orders"/.test(s));
    expect(slices).toHaveLength(8);
    expect(slices.every((s, i) => s.includes(`hash(customer_id) % 8 = ${i}`))).toBe(true);

    expect(sliced.orders.length).toBe(whole.orders.length);
    expect(sliced.orders).toEqual(whole.orders);
    const { revenue, aov, ...counts } = sliced.state.kpis!;
    const { revenue: wholeRevenue, aov: wholeAov, ...wholeCounts } = whole.state.kpis!;
    expect(counts).toEqual(wholeCounts);
    // The same orders summed in another order: equal to rounding.
    expect(revenue).toBeCloseTo(wholeRevenue, 6);
    expect(aov).toBeCloseTo(wholeAov!, 9);
    expect(sliced.state.quality!.counts).toEqual(whole.state.quality!.counts);
    // The trend, one aggregate either way at this size, adds up to the KPIs in both.
    expect(sliced.trend.map((p) => [p.month, p.orders, p.customers])).toEqual(whole.trend.map((p) => [p.month, p.orders, p.customers]));
  });
});
