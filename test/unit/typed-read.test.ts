// The staging read lets the CSV reader parse money and date columns the sniffer typed
// (stage.ts typedCsvRead), and falls back to reading the file as text when a cell deep in the
// file does not parse. Expected figures are computed here from the generated rows, not by the
// code under test; the text path is the reference the typed read must agree with.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { typedCsvRead } from '../../src/core/sql/stage';
import { qualityExamples } from '../../src/engine/analyses/quality-examples';
import { CancelledError, EngineError } from '../../src/engine/database';
import { rejectedLines } from '../../src/engine/importer';
import { Workspace } from '../../src/engine/workspace';
import { openTestDatabase } from './helpers/duckdb';

// More rows than DuckDB's sniffer samples (20,480), so a bad cell near the end is not seen by it.
const ROWS = 25_000;
const MAPPING = { customer_id: 'customer', order_id: 'order', order_date: 'day', amount: 'amount' };

interface Row {
  order: string;
  day: string;
  customer: string;
  amount: string;
}

function rows(): Row[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    order: `O${i}`,
    day: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`,
    customer: `C${i % 1000}`,
    amount: (((i * 37) % 1000) / 4 + 1).toFixed(2),
  }));
}

const csv = (data: Row[]) => ['order,day,customer,amount', ...data.map((r) => `${r.order},${r.day},${r.customer},${r.amount}`), ''].join('\n');

async function load(data: Row[], events: string[] = []) {
  const db = await openTestDatabase();
  db.bindings.registerFileBuffer('tx.csv', new TextEncoder().encode(csv(data)));
  const ws = new Workspace(db, (step, file) => events.push(`${step} ${file}`));
  await ws.addCsv('tx.csv', 1, 'utf-8');
  const state = await ws.apply({ ...defaultConfig(), mapping: MAPPING });
  const types = Object.fromEntries(
    (await db.rows<{ column_name: string; column_type: string }>('DESCRIBE staged')).map((c) => [c.column_name, c.column_type]),
  );
  return { db, ws, state, types };
}

/** Sum of the amounts that parse, in cents (exact), as the text path reads them. */
const revenueCents = (data: Row[]) => data.reduce((s, r) => s + (Number.isFinite(Number(r.amount)) ? Math.round(Number(r.amount) * 100) : 0), 0);

describe('the typed staging read', () => {
  it('types only sniffed numbers and dates that no other role uses, and nothing with a decimal comma', () => {
    const sniffed = [
      { name: 'customer', type: 'BIGINT' },
      { name: 'day', type: 'DATE' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'qty', type: 'VARCHAR' },
      { name: 'stamp', type: 'TIMESTAMP WITH TIME ZONE' },
    ];
    expect(typedCsvRead({ customer_id: 'customer', order_date: 'day', amount: 'amount', quantity: 'qty' }, sniffed, '%Y-%m-%d', false)).toEqual({
      types: { amount: 'DOUBLE', day: 'TIMESTAMP' },
      timestampFormat: '%Y-%m-%d',
    });
    expect(typedCsvRead({ customer_id: 'customer', order_date: 'day', amount: 'amount' }, sniffed, '%Y-%m-%d', true)).toEqual({
      types: { day: 'TIMESTAMP' },
      timestampFormat: '%Y-%m-%d',
    });
    // the id column is numeric, but an id stays text; a zoned timestamp is left to the text path
    expect(typedCsvRead({ customer_id: 'customer', order_date: 'stamp', amount: 'customer' }, sniffed, null, false)).toBeNull();
  });

  it('reads a clean file with typed columns and the same figures as the text path', async () => {
    const data = rows();
    const events: string[] = [];
    const { ws, state, types } = await load(data, events);
    expect(events).toEqual(['stage tx.csv']);
    expect(ws.setupStatements[0]).toContain("types={'amount': 'DOUBLE', 'day': 'TIMESTAMP'}");
    expect(types.amount).toBe('DOUBLE');
    expect(types.day).toBe('TIMESTAMP');
    expect(state.quality!.counts).toMatchObject({ rows_read: ROWS, rejected: 0, bad_amount: 0, bad_date: 0, clean_rows: ROWS });
    expect(state.kpis!.customers).toBe(1000);
    expect(Math.round(state.kpis!.revenue * 100)).toBe(revenueCents(data));
  });

  it('stages the file as text when a cell beyond the sniffed sample does not parse, and counts it', async () => {
    const data = rows();
    data[23_000].amount = 'n/a';
    data[24_000].day = 'unknown';
    data[24_500].amount = 'inf';
    const events: string[] = [];
    const { db, ws, state, types } = await load(data, events);
    // the progress bar says why the file is read a second time
    expect(events).toEqual(['stage tx.csv', 'restage tx.csv', 'stage tx.csv']);
    expect(ws.setupStatements[0]).not.toContain('types=');
    expect(types.amount).toBe('VARCHAR');
    // the typed read's cast errors are not rejected lines; the bad cells are counted instead
    expect(state.quality!.counts).toMatchObject({ rows_read: ROWS, rejected: 0, bad_amount: 2, bad_date: 1 });
    expect((await rejectedLines(db, ws.loaded[0].rejectsTable)).count).toBe(0);
    const [row] = await db.rows<{ amount: string; day: string }>(`SELECT amount, day FROM staged WHERE "_row" = 24001`);
    expect(row).toEqual({ amount: data[24_000].amount, day: 'unknown' });
    // clean rows drop the two bad amounts and the bad date; the revenue is the rest
    expect(state.quality!.counts.clean_rows).toBe(ROWS - 3);
    expect(Math.round(state.kpis!.revenue * 100)).toBe(revenueCents(data.filter((_, i) => i !== 24_000)));
    // Staged again (another mapping of the same columns), it goes straight to text.
    await ws.apply({ ...defaultConfig(), mapping: { ...MAPPING, order_id: undefined } });
    expect(ws.setupStatements[0]).not.toContain('types=');
  });

  it('shows typed money and dates as text in the quality examples, and finds duplicates through them', async () => {
    const data = rows();
    data[20] = { ...data[10] }; // an exact copy of row 11 at row 21
    const { ws, state, types, db } = await load(data);
    expect(types.day).toBe('TIMESTAMP');
    expect(state.quality!.counts.duplicates).toBe(1);
    const ex = await qualityExamples(
      { db, config: { ...defaultConfig(), mapping: MAPPING }, progress: () => {}, isCancelled: () => false },
      { check: 'duplicates', columns: ws.loaded[0].columns.map((c) => c.name) },
    );
    expect(ex.columns).toEqual(['file', 'row', 'order', 'day', 'customer', 'amount']);
    // the date as the file wrote it; the amount as DuckDB writes the number (12.50 → 12.5)
    expect(ex.rows).toEqual([['tx.csv', 21, data[10].order, data[10].day, data[10].customer, String(Number(data[10].amount))]]);
  });

  it('stages as text when the typed read itself fails, and still stops when cancelled', async () => {
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer('tx.csv', new TextEncoder().encode(csv(rows())));
    const ws = new Workspace(db);
    await ws.addCsv('tx.csv', 1, 'utf-8');
    const exec = db.exec.bind(db);
    let failure: EngineError = new EngineError('error.query', 'typed read failed');
    db.exec = async (sql: string) => {
      if (sql.includes('types={')) throw failure;
      return exec(sql);
    };
    const state = await ws.apply({ ...defaultConfig(), mapping: MAPPING });
    expect(ws.setupStatements[0]).not.toContain('types=');
    expect(state.quality!.counts).toMatchObject({ rows_read: ROWS, rejected: 0, bad_amount: 0 });
    // A cancel during the typed read is not a reason to read the file again.
    failure = new CancelledError('typed read');
    const other = new Workspace(db);
    await other.addCsv('tx.csv', 1, 'utf-8');
    await expect(other.apply({ ...defaultConfig(), mapping: MAPPING })).rejects.toBeInstanceOf(CancelledError);
  });

  it("keeps an 'inf' the reader accepted as the original, and counts it as a bad amount", async () => {
    const data = rows();
    data[10].amount = 'inf';
    const { db, state, types } = await load(data);
    expect(types.amount).toBe('DOUBLE');
    expect(state.quality!.counts.bad_amount).toBe(1);
    const [row] = await db.rows<{ amount: number; a: number | null }>(`SELECT amount, "__amount" AS a FROM staged WHERE "_row" = 11`);
    expect(row).toEqual({ amount: Infinity, a: null });
  });
});
