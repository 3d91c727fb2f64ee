// The warm-up's synthetic transactions (src/core/warm-up-data.ts) must be a clean, typed file that
// the real pipeline reads without a second pass, and exercise what the real loads do (several
// lines per order, returns, repeated lines). Expected counts are made here from the lines
// themselves, independently of the pipeline.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { WARM_UP_HEADER, warmUpTransactionsCsv } from '../../src/core/warm-up-data';
import { Workspace } from '../../src/engine/workspace';
import { openTestDatabase } from './helpers/duckdb';

describe('warm-up transactions', () => {
  it('are the requested number of lines, the same on every call', () => {
    const csv = warmUpTransactionsCsv(5_000);
    expect(csv.endsWith('\n')).toBe(true);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(WARM_UP_HEADER);
    expect(lines.length).toBe(5_001);
    expect(warmUpTransactionsCsv(5_000)).toBe(csv);
    for (const line of lines.slice(1)) expect(line).toMatch(/^SO\d+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,CU\d+,-?\d+\.\d\d,-?[1-4],[a-z]+,[A-Z][a-z]+$/);
  });

  it('load typed in one read, with the counts and revenue of their lines', async () => {
    const csv = warmUpTransactionsCsv(20_000);
    const rows = csv.trimEnd().split('\n').slice(1);
    // By hand: a line equal to an earlier one is a duplicate; the rest count.
    const seen = new Set<string>();
    let duplicates = 0;
    let revenue = 0;
    let returns = 0;
    const customers = new Set<string>();
    const orderLines = new Map<string, number>();
    for (const line of rows) {
      // (every check counts every row it applies to, a repeated one too)
      if (line.split(',')[3].startsWith('-')) returns++;
      if (seen.has(line)) {
        duplicates++;
        continue;
      }
      seen.add(line);
      const [order, , customer, amount] = line.split(',');
      revenue += Number(amount);
      customers.add(customer);
      orderLines.set(order, (orderLines.get(order) ?? 0) + 1);
    }
    // What the warm-up is for: the paths of real exports are all taken.
    expect(duplicates).toBeGreaterThan(0);
    expect(returns).toBeGreaterThan(0);
    expect([...orderLines.values()].some((n) => n > 1)).toBe(true);

    const db = await openTestDatabase();
    const ws = new Workspace(db);
    const bytes = new TextEncoder().encode(csv);
    db.bindings.registerFileBuffer('warm-up.csv', bytes);
    await ws.addCsv('warm-up.csv', bytes.length, 'utf-8');
    const state = await ws.apply(defaultConfig());
    expect(state.mapping).toMatchObject({ order_id: 'order_id', order_date: 'order_date', customer_id: 'customer_id', amount: 'amount', quantity: 'quantity' });
    const c = state.quality!.counts;
    expect(c.rows_read).toBe(20_000);
    expect(c.duplicates).toBe(duplicates);
    expect(c.returns).toBe(returns);
    expect(c.bad_amount + c.bad_date + c.missing_customer).toBe(0);
    expect(state.kpis!.customers).toBe(customers.size);
    expect(state.kpis!.revenue).toBeCloseTo(revenue, 4);
    // Typed in the first read: no column fell back to text, no serial re-read.
    const [file] = (ws as unknown as { files: { untyped?: { columns: string[] }; serialRead?: boolean }[] }).files;
    expect(file.untyped?.columns ?? []).toEqual([]);
    expect(file.serialRead ?? false).toBe(false);
  });
});
