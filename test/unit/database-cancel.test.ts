// Cancelling in the engine (src/engine/database.ts): a cancel that arrives between two statements
// of a step — a load runs dozens, with JavaScript work between them — must stop the step at its
// next statement, not be dropped (it was: a load the user cancelled then completed).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { CancelledError } from '../../src/engine/database';
import { Workspace } from '../../src/engine/workspace';
import { openTestDatabase } from './helpers/duckdb';

describe('Database.cancel between statements', () => {
  it('makes the next statement throw CancelledError, once', async () => {
    const db = await openTestDatabase();
    db.cancel();
    await expect(db.query('SELECT 1 AS x')).rejects.toBeInstanceOf(CancelledError);
    // Spent: what runs after a cancel (putting the previous data back) is not cancelled too.
    expect((await db.rows<{ x: number }>('SELECT 2 AS x'))[0].x).toBe(2);
  });

  it('is forgotten when a new step starts', async () => {
    const db = await openTestDatabase();
    db.cancel();
    db.clearCancel();
    expect((await db.rows<{ x: number }>('SELECT 3 AS x'))[0].x).toBe(3);
  });

  it('stops a load asked to stop halfway through its statements', async () => {
    const db = await openTestDatabase();
    const ws = new Workspace(db);
    const csv = new TextEncoder().encode('customer_id,order_date,amount\nA,2024-01-05,10\nB,2024-02-01,20\n');
    db.bindings.registerFileBuffer('two.csv', csv);
    await ws.addCsv('two.csv', csv.length, 'utf-8');
    // The user's cancel lands after the fifth statement of the load, while none is running.
    const query = db.query.bind(db);
    let statements = 0;
    db.query = async (sql: string) => {
      const result = await query(sql);
      if (++statements === 5) db.cancel();
      return result;
    };
    await expect(ws.apply(defaultConfig())).rejects.toBeInstanceOf(CancelledError);
    expect(statements).toBe(5);
    // Run again (a new step), the same load completes: 2 customers, revenue 30.
    db.clearCancel();
    const state = await ws.apply(defaultConfig());
    expect(state.kpis).toMatchObject({ customers: 2, revenue: 30 });
  });
});

describe('a cancel at any point of a load', () => {
  it('stops it, whichever statement it lands after (no fallback swallows it)', async () => {
    const db = await openTestDatabase();
    // A bad amount (read again with that column as text) and a sniffed dialect: the load's
    // fallbacks (tolerant sniff, typed read → text read, rejects lookups) all take part.
    const csv = new TextEncoder().encode('customer_id;order_date;amount\nA;2024-01-05;10\nB;2024-02-01;n/a\nC;2024-03-01;7\n');
    db.bindings.registerFileBuffer('semi.csv', csv);
    const query = db.query.bind(db);
    let statements = 0;
    let cancelAfter = Infinity;
    db.query = async (sql: string) => {
      const result = await query(sql);
      if (++statements === cancelAfter) db.cancel();
      return result;
    };
    const load = async () => {
      const ws = new Workspace(db);
      await ws.addCsv('semi.csv', csv.length, 'utf-8');
      return ws.apply(defaultConfig());
    };
    // Uncancelled: 2 customers with a valid amount, revenue 17; and how many statements it runs.
    expect((await load()).kpis).toMatchObject({ customers: 2, revenue: 17 });
    const total = statements;
    expect(total).toBeGreaterThan(10);
    for (let k = 1; k < total; k++) {
      db.clearCancel();
      statements = 0;
      cancelAfter = k;
      await expect(load(), `cancelled after statement ${k} of ${total}`).rejects.toBeInstanceOf(CancelledError);
    }
  }, 120_000);
});
