// The import pipeline end to end in Node on real DuckDB-WASM: sniff, profile, detect the
// mapping, stage, quality report, clean view, KPIs. Expected numbers are counted by hand
// from the fixture files (comments say how).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { Workspace } from '../../src/engine/workspace';
import { probeLines } from '../../src/core/csv-probe';
import { qualityExamples } from '../../src/engine/analyses/quality-examples';
import { openTestDatabase } from './helpers/duckdb';

async function workspaceWith(files: Record<string, string | Uint8Array>) {
  const db = await openTestDatabase();
  const ws = new Workspace(db);
  for (const [name, content] of Object.entries(files)) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    db.bindings.registerFileBuffer(name, bytes);
    await ws.addCsv(name, bytes.length, 'utf-8');
  }
  return { db, ws };
}

describe('Workspace on an Online-Retail-shaped file', () => {
  it('maps InvoiceNo/Quantity×UnitPrice/CustomerID without help and counts quality issues', async () => {
    const { ws } = await workspaceWith({ 'retail.csv': fs.readFileSync('test/fixtures/dirty-small.csv', 'utf8') });
    const state = await ws.apply(defaultConfig());
    expect(state.mapping).toMatchObject({
      order_id: 'InvoiceNo',
      order_date: 'InvoiceDate',
      customer_id: 'CustomerID',
      quantity: 'Quantity',
      unit_price: 'UnitPrice',
      region: 'Country',
    });
    expect(state.mapping.amount).toBeUndefined();
    const c = state.quality!.counts;
    // 12 data rows in the fixture.
    expect(c.rows_read).toBe(12);
    // Rows 7 and 8 have an empty CustomerID.
    expect(c.missing_customer).toBe(2);
    // Row 9: "not a date".
    expect(c.bad_date).toBe(1);
    // Row 10: Quantity "abc" -> amount = quantity × price is not a number.
    expect(c.bad_amount).toBe(1);
    // Rows 6 and 11 have negative quantities (both are also C-prefixed cancellations).
    expect(c.returns).toBe(2);
    expect(c.cancelled).toBe(2);
    // Row 5 repeats row 4 exactly.
    expect(c.duplicates).toBe(1);
    // Customer 14527 has only the cancelled row; 15311 also bought (row 12).
    expect(c.return_only_customers).toBe(1);
    // Clean rows: 12 - 2 (no customer) - 1 (date) - 1 (amount) - 1 (duplicate) = 7.
    expect(c.clean_rows).toBe(7);
    const k = state.kpis!;
    // Customers in the clean rows: 17850, 13047, 14527, 15311.
    expect(k.customers).toBe(4);
    // Positive orders: 536365, 536366, 536367, 536385.
    expect(k.orders).toBe(4);
    // 6*2.55 + 6*3.39 + 6*1.85 + 32*1.69 - 27.50 - 2*3.75 + 4*3.75 = 15.3+20.34+11.1+54.08-27.5-7.5+15
    expect(k.revenue).toBeCloseTo(80.82, 6);
    expect(k.aov).toBeCloseTo(80.82 / 4, 6);
    expect(new Date(k.first_date!).toISOString().slice(0, 10)).toBe('2010-12-01');
    expect(new Date(k.last_date!).toISOString().slice(0, 10)).toBe('2010-12-16');
  });

  it('applies policies without re-reading: keeping anonymous rows and dropping returns', async () => {
    const { ws } = await workspaceWith({ 'retail.csv': fs.readFileSync('test/fixtures/dirty-small.csv', 'utf8') });
    const config = defaultConfig();
    const state = await ws.apply({ ...config, policies: { ...config.policies, excludeMissingCustomer: false, netReturns: false, dropDuplicates: false } });
    // 12 - 1 (date) - 1 (amount) - 2 (returns) = 8 rows; the duplicate and the 2 anonymous rows stay.
    expect(state.quality!.counts.clean_rows).toBe(8);
    // 17850, 13047, 15311 and the anonymous customer; 14527 only had a cancellation.
    expect(state.kpis!.customers).toBe(4);
  });

  it('works with a column literally named "; DROP TABLE x; --" and quotes in values', async () => {
    const csv = [
      `"""; DROP TABLE x; --",customer_id,order_date,amount`,
      `"a'b",c'1,2024-01-02,10.5`,
      `"x""y",c'1,2024-01-03,4.5`,
      `z,c"2,2024-02-01,1`,
    ].join('\n');
    const { db, ws } = await workspaceWith({ 'evil.csv': csv });
    const state = await ws.apply(defaultConfig());
    expect(state.columns.map((c) => c.name)).toContain('"; DROP TABLE x; --');
    expect(state.quality!.counts.rows_read).toBe(3);
    expect(state.kpis!.customers).toBe(2);
    expect(state.kpis!.revenue).toBeCloseTo(16, 9);
    // The tables are all still there.
    const tables = await db.rows<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables ORDER BY 1`);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['stg_0', 'clean_tx']));
  });
});

describe('Workspace on a Chinese, semicolon / decimal-comma and GBK export', () => {
  it('detects Chinese headers in a GBK file after transcoding', async () => {
    // "会员编号,下单时间,实付金额\nM1,2024-03-01 10:00:00,88.50\nM2,2024-03-02 11:00:00,11.50\n" in GBK.
    const gbk = Uint8Array.from([
      0xbb, 0xe1, 0xd4, 0xb1, 0xb1, 0xe0, 0xba, 0xc5, 0x2c, // 会员编号,
      0xcf, 0xc2, 0xb5, 0xa5, 0xca, 0xb1, 0xbc, 0xe4, 0x2c, // 下单时间,
      0xca, 0xb5, 0xb8, 0xb6, 0xbd, 0xf0, 0xb6, 0xee, 0x0a, // 实付金额\n
      ...new TextEncoder().encode('M1,2024-03-01 10:00:00,88.50\nM2,2024-03-02 11:00:00,11.50\n'),
    ]);
    const { createUtf8Transcoder, detectEncoding } = await import('../../src/core/encoding');
    const guess = detectEncoding(gbk);
    expect(guess.encoding).toBe('gb18030');
    const t = createUtf8Transcoder(guess.encoding);
    const utf8 = new Uint8Array([...t.push(gbk), ...t.flush()]);
    expect(new TextDecoder().decode(utf8).split('\n')[0]).toBe('会员编号,下单时间,实付金额');
    const { ws } = await workspaceWith({ 'gbk.csv': utf8 });
    const state = await ws.apply(defaultConfig());
    expect(state.mapping).toMatchObject({ customer_id: '会员编号', order_date: '下单时间', amount: '实付金额' });
    expect(state.kpis!.revenue).toBeCloseTo(100, 9);
  });

  it('reads semicolon-separated files with decimal commas and day-first dates', async () => {
    const csv = 'Kunde;Datum;Betrag\nk1;31.01.2024;"1.234,50"\nk2;01.02.2024;12,5\nk1;15.02.2024;-4,25\n';
    const { ws } = await workspaceWith({ 'de.csv': csv });
    const state = await ws.apply({ ...defaultConfig(), mapping: { customer_id: 'Kunde', order_date: 'Datum', amount: 'Betrag' } });
    expect(state.files[0].delimiter).toBe(';');
    expect(state.files[0].decimalComma).toBe(true);
    expect(state.quality!.counts.bad_date).toBe(0);
    expect(state.quality!.counts.bad_amount).toBe(0);
    // 1234.50 + 12.5 - 4.25
    expect(state.kpis!.revenue).toBeCloseTo(1242.75, 9);
    expect(new Date(state.kpis!.last_date!).toISOString().slice(0, 10)).toBe('2024-02-15');
  });
});

describe('Workspace on the embedded sample', () => {
  it('matches the dirty-row counts documented by the generator (public/sample/README.md)', async () => {
    const { db, ws } = await workspaceWith({ 'transactions.csv': fs.readFileSync('public/sample/transactions.csv') });
    const state = await ws.apply(defaultConfig());
    const c = state.quality!.counts;
    expect(c.rows_read).toBe(81_493);
    expect(c.missing_customer).toBe(30);
    expect(c.bad_date).toBe(10);
    expect(c.bad_amount).toBe(10);
    expect(c.duplicates).toBe(25);
    expect(c.returns).toBe(1_558);
    expect(c.return_only_customers).toBe(3);
    // Example rows, loaded on demand: the first five rows of a check in file order. Expected
    // rows found in the CSV text itself (no quoting in the sample): data-row numbers of lines
    // without customer id, with a negative amount or quantity, and exact repeats of an earlier line.
    const lines = fs.readFileSync('public/sample/transactions.csv', 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const cells = lines.slice(1).map((l) => l.split(','));
    const col = (name: string) => header.indexOf(name);
    const first5 = (keep: (c: string[], i: number) => boolean) => cells.flatMap((c, i) => (keep(c, i) ? [i + 1] : [])).slice(0, 5);
    const seen = new Set<string>();
    const repeats = lines.slice(1).map((l) => (seen.has(l) ? true : (seen.add(l), false)));
    const ctx = { db, config: defaultConfig(), progress: () => {}, isCancelled: () => false };
    const examplesOf = async (check: Parameters<typeof qualityExamples>[1]['check']) => {
      const ex = await qualityExamples(ctx, { check, columns: header });
      expect(ex.columns).toEqual(['file', 'row', ...header]);
      return ex.rows;
    };
    const missing = await examplesOf('missing_customer');
    expect(missing.map((r) => r[1])).toEqual(first5((c) => c[col('customer_id')] === ''));
    // The row comes back as it is in the file (the empty id as NULL); columns the reader typed
    // (those without a bad cell: unit_price, quantity) by value, 599.00 as 599, as for a clean file.
    const asRead = (v: unknown) => (v !== '' && v !== null && !Number.isNaN(Number(v)) ? Number(v) : (v ?? ''));
    const example = missing[0].slice(2);
    expect(example.map(asRead)).toEqual(cells[Number(missing[0][1]) - 1].map(asRead));
    expect(example[col('amount')]).toBe(cells[Number(missing[0][1]) - 1][col('amount')]); // read as text: written as is
    expect((await examplesOf('returns')).map((r) => r[1])).toEqual(first5((c) => Number(c[col('amount')]) < 0 || Number(c[col('quantity')]) < 0));
    expect((await examplesOf('duplicates')).map((r) => r[1])).toEqual(first5((_, i) => repeats[i]));
    expect(await examplesOf('return_only')).not.toHaveLength(0);
    await expect(qualityExamples(ctx, { check: 'nonsense' as 'returns', columns: header })).rejects.toThrow(/Unknown quality check/);
  });
});

describe('Workspace on an export shaped like the UCI Online Retail file', () => {
  it('maps it without help and counts by hand, in Windows-1252 with M/D/YYYY H:MM dates', async () => {
    const raw = fs.readFileSync('test/fixtures/online-retail-like.csv');
    const { createUtf8Transcoder, detectEncoding } = await import('../../src/core/encoding');
    const guess = detectEncoding(raw);
    expect(guess.encoding).toBe('windows-1252');
    const t = createUtf8Transcoder(guess.encoding);
    const utf8 = new Uint8Array([...t.push(raw), ...t.flush()]);
    const { ws } = await workspaceWith({ 'Online Retail.csv': utf8 });
    const state = await ws.apply(defaultConfig());
    expect(state.mapping).toMatchObject({ order_id: 'InvoiceNo', order_date: 'InvoiceDate', customer_id: 'CustomerID', quantity: 'Quantity', unit_price: 'UnitPrice', region: 'Country' });
    expect(state.mapping.amount).toBeUndefined();
    const c = state.quality!.counts;
    expect(c.rows_read).toBe(11);
    expect(c.missing_customer).toBe(2); // 536414 and 536544
    expect(c.bad_date).toBe(0);
    expect(c.returns).toBe(1); // C536379
    expect(c.cancelled).toBe(1);
    expect(c.duplicates).toBe(1); // the second 536370 ALARM CLOCK line
    // Customers 17850, 12583, 14527, 12680; positive orders 536365, 536366, 536370, 581587.
    expect(state.kpis!.customers).toBe(4);
    expect(state.kpis!.orders).toBe(4);
    // 15.3 + 20.34 + 11.1 + 90 + 54 − 27.5 + 10.2 + 16.6
    expect(state.kpis!.revenue).toBeCloseTo(190.04, 6);
    expect(new Date(state.kpis!.first_date!).toISOString().slice(0, 10)).toBe('2010-12-01');
    expect(new Date(state.kpis!.last_date!).toISOString().slice(0, 10)).toBe('2011-12-09');
  });
});

describe('Workspace memory', () => {
  it('drops the table of a Parquet file once another replaced it, and staged tables of removed files', async () => {
    const db = await openTestDatabase();
    const ws = new Workspace(db);
    const columns = [{ name: 'customer_id', type: 'VARCHAR' }, { name: 'order_date', type: 'DATE' }, { name: 'amount', type: 'DOUBLE' }];
    const tables = async () => (await db.rows<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() ORDER BY 1`)).map((r) => r.t);
    for (const t of ['parquet_0', 'parquet_1']) {
      await db.exec(`CREATE TABLE ${t} AS SELECT 'c' || i AS customer_id, DATE '2024-01-01' + CAST(i AS INTEGER) AS order_date, 10.0 * i AS amount FROM range(1, 30) r(i)`);
    }
    await ws.addTable('a.parquet', 'parquet_0', 100, columns);
    await ws.addTable('b.parquet', 'parquet_1', 100, columns);
    await ws.apply(defaultConfig());
    expect(await tables()).toEqual(expect.arrayContaining(['parquet_0', 'parquet_1', 'stg_0', 'stg_1']));
    // a.parquet removed: its table and its staged table (stg_0) go; b.parquet's stay.
    ws.remove('a.parquet');
    const state = await ws.apply(defaultConfig());
    await ws.releaseUnusedSources();
    const left = await tables();
    expect(left).toContain('parquet_1');
    expect(left).toContain('stg_1');
    expect(left).not.toContain('parquet_0');
    expect(left).not.toContain('stg_0');
    // 29 customers, amounts 10..290: the remaining file alone.
    expect(state.kpis).toMatchObject({ customers: 29, revenue: 4350 });
  });
});

describe('Workspace with several transaction files', () => {
  // Two monthly exports, amounts summed by hand.
  const jan = ['customer_id,order_date,amount,store', 'c1,2024-01-02,10,s1', 'c2,2024-01-05,20,s2', 'c1,2024-01-09,5,s1'].join('\n');
  const feb = ['customer_id,order_date,amount,store', 'c2,2024-02-01,7,s1', 'c3,2024-02-03,8,s2'].join('\n');

  async function recording() {
    const { db, ws } = await workspaceWith({ 'jan.csv': jan });
    const ran: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = async (sql: string) => {
      ran.push(sql);
      return exec(sql);
    };
    const reads = (file: string) => ran.filter((sql) => sql.includes(`read_csv('${file}'`)).length;
    return { db, ws, ran, reads };
  }

  it('reads only the added file when a second one is dropped, with the totals of both', async () => {
    const { db, ws, ran, reads } = await recording();
    expect((await ws.apply(defaultConfig())).kpis).toMatchObject({ customers: 2, revenue: 35 });
    expect(reads('jan.csv')).toBe(1);
    const bytes = new TextEncoder().encode(feb);
    db.bindings.registerFileBuffer('feb.csv', bytes);
    await ws.addCsv('feb.csv', bytes.length, 'utf-8');
    ran.length = 0;
    const both = await ws.apply(defaultConfig());
    expect(reads('jan.csv')).toBe(0);
    expect(reads('feb.csv')).toBe(1);
    // c1, c2, c3; 10 + 20 + 5 + 7 + 8.
    expect(both.kpis).toMatchObject({ customers: 3, revenue: 50 });
    expect(both.quality!.counts.rows_read).toBe(5);
    // The script still stages both files.
    expect(ws.setupStatements.filter((sql) => sql.includes("read_csv('jan.csv'")).length).toBe(1);
    expect(ws.setupStatements.filter((sql) => sql.includes("read_csv('feb.csv'")).length).toBe(1);

    // Other policies: nothing is read again.
    ran.length = 0;
    const config = defaultConfig();
    await ws.apply({ ...config, policies: { ...config.policies, dropDuplicates: false } });
    expect(reads('jan.csv') + reads('feb.csv')).toBe(0);

    // January removed: its table goes, February is not read again.
    ws.remove('jan.csv');
    ran.length = 0;
    const febOnly = await ws.apply(defaultConfig());
    expect(reads('feb.csv')).toBe(0);
    expect(febOnly.kpis).toMatchObject({ customers: 2, revenue: 15 });
    const tables = (await db.rows<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE 'stg_%' ORDER BY 1`)).map((r) => r.t);
    expect(tables).toEqual(['stg_1']);
  });

  it('reads every file again when the mapping changes, and stages a file again after a rolled-back load', async () => {
    const { db, ws, ran, reads } = await recording();
    const bytes = new TextEncoder().encode(feb);
    db.bindings.registerFileBuffer('feb.csv', bytes);
    await ws.addCsv('feb.csv', bytes.length, 'utf-8');
    const detected = (await ws.apply(defaultConfig())).mapping;
    ran.length = 0;
    // Amounts not mapped, so no money: the mapping is invalid and nothing is staged.
    const unmapped = await ws.apply({ ...defaultConfig(), mapping: { customer_id: 'customer_id', order_date: 'order_date' } });
    expect(unmapped.mappingErrors.length).toBeGreaterThan(0);
    expect(reads('jan.csv') + reads('feb.csv')).toBe(0);
    // Another valid mapping (the store column as channel, or not): both files are read again.
    const { channel, ...withoutChannel } = detected;
    const explicit = await ws.apply({ ...defaultConfig(), mapping: channel ? withoutChannel : { ...detected, channel: 'store' } });
    expect(reads('jan.csv')).toBe(1);
    expect(reads('feb.csv')).toBe(1);
    expect(explicit.kpis).toMatchObject({ customers: 3, revenue: 50 });

    // A load that replaced everything and failed: the files come back and are staged again.
    const before = ws.snapshot();
    ws.clear();
    await ws.apply(defaultConfig());
    ws.restore(before);
    ran.length = 0;
    const restored = await ws.apply(defaultConfig());
    expect(reads('jan.csv')).toBe(1);
    expect(reads('feb.csv')).toBe(1);
    expect(restored.kpis).toMatchObject({ customers: 3, revenue: 50 });
  });
});

describe('Workspace with rows that have more fields than the header', () => {
  const ctx = (db: Awaited<ReturnType<typeof openTestDatabase>>) => ({ db, config: defaultConfig(), progress: () => {}, isCancelled: () => false });

  it('leaves out a row whose amount has an unquoted thousands comma, and shows it', async () => {
    // Row 1's 1,234.50 splits into an amount of 1 and a fourth field; before, it counted as 1.
    const csv = 'customer_id,order_date,amount\nA,2024-01-05,1,234.50\nB,2024-01-06,20\nC,2024-01-07,30\n';
    const { db, ws } = await workspaceWith({ 'commas.csv': csv });
    const state = await ws.apply(defaultConfig());
    expect(state.mapping).toMatchObject({ customer_id: 'customer_id', order_date: 'order_date', amount: 'amount' });
    expect(state.quality!.counts).toMatchObject({ rows_read: 3, extra_fields: 1, clean_rows: 2 });
    // B 20 + C 30.
    expect(state.kpis).toMatchObject({ customers: 2, revenue: 50 });
    const ex = await qualityExamples(ctx(db), { check: 'extra_fields', columns: ['customer_id', 'order_date', 'amount'] });
    // The first extra field is shown too.
    expect(ex.columns).toEqual(['file', 'row', 'customer_id', 'order_date', 'amount', '__extra_fields']);
    expect(ex.rows).toEqual([['commas.csv', 1, 'A', '2024-01-05', '1', '234.50']]);
  });

  it('finds such a row far past the rows the sniffer samples, through the typed read', async () => {
    // 30,000 rows with amounts 1..30,000; row 25,000 written 25,000.00 with an unquoted comma.
    const lines = ['customer_id,order_date,amount'];
    for (let i = 1; i <= 30_000; i++) lines.push(`C${i % 100},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i === 25_000 ? '25,000.00' : `${i}.00`}`);
    const { ws } = await workspaceWith({ 'late.csv': lines.join('\n') + '\n' });
    const state = await ws.apply(defaultConfig());
    expect(state.quality!.counts).toMatchObject({ rows_read: 30_000, extra_fields: 1, bad_amount: 0, clean_rows: 29_999 });
    // 1 + 2 + … + 30,000 − 25,000.
    expect(state.kpis!.revenue).toBeCloseTo((30_000 * 30_001) / 2 - 25_000, 6);
  });

  it('stores no extra-fields column for a file without such rows', async () => {
    const { db, ws } = await workspaceWith({ 'ok.csv': 'customer_id,order_date,amount\nA,2024-01-05,10\nB,2024-01-06,20\n' });
    const state = await ws.apply(defaultConfig());
    expect(state.quality!.counts).toMatchObject({ extra_fields: 0, clean_rows: 2 });
    const stored = (await db.rows<{ column_name: string }>('DESCRIBE stg_0')).map((c) => c.column_name);
    expect(stored).not.toContain('__extra_fields');
    const viewed = (await db.rows<{ column_name: string }>('DESCRIBE staged')).map((c) => c.column_name);
    expect(viewed).toContain('__extra_fields');
  });
});

describe('Workspace probe of a large CSV before the typed read', () => {
  // 200,000 rows (~5 MB, past the probe's 4 MiB), amounts 1..200,000, then a total line whose
  // amount does not parse: the sniffer, reading the start, types the amount column as numbers.
  const lines = ['customer_id,order_date,amount'];
  for (let i = 1; i <= 200_000; i++) lines.push(`C${i % 1000},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i}.00`);
  lines.push('TOTAL,2024-01-31,n/a');
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');

  async function staged(withProbe: boolean) {
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer('big.csv', bytes);
    const ws = new Workspace(db);
    const probe = withProbe ? await probeLines(bytes.length, async (start, end) => bytes.slice(Math.max(0, start), end)) : null;
    if (withProbe) expect(probe).not.toBeNull();
    await ws.addCsv('big.csv', bytes.length, 'utf-8', undefined, undefined, probe);
    const reads = stagingReads(db);
    return { state: await ws.apply(defaultConfig()), reads };
  }

  /** The staging reads (CREATE … stg_N) the database runs from now on. */
  function stagingReads(db: Awaited<ReturnType<typeof openTestDatabase>>): string[] {
    const reads: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = async (sql: string) => {
      if (sql.startsWith('CREATE OR REPLACE TABLE "stg_')) reads.push(sql);
      return exec(sql);
    };
    return reads;
  }

  /** Which columns each staging read typed. */
  const typedIn = (reads: string[]) => reads.map((sql) => ['order_date', 'amount'].filter((c) => sql.includes(`'${c}': '`)));

  it('finds the total line and reads the file once, its amounts as text, with the same result', async () => {
    const probed = await staged(true);
    const unprobed = await staged(false);
    // Without the probe: the typed read, then again with the amounts as text. With it: once.
    expect(typedIn(unprobed.reads)).toEqual([['order_date', 'amount'], ['order_date']]);
    expect(typedIn(probed.reads)).toEqual([['order_date']]);
    for (const { state } of [probed, unprobed]) {
      expect(state.quality!.counts).toMatchObject({ rows_read: 200_001, bad_amount: 1, clean_rows: 200_000 });
      // 1 + 2 + … + 200,000.
      expect(state.kpis!.revenue).toBeCloseTo((200_000 * 200_001) / 2, 4);
    }
  });

  it('reads as text only the columns with a cell that does not parse, and all of them if need be', async () => {
    // No probe: the sniffer's sample (the first 20,480 rows) is clean, the bad cells come later.
    const rows = (bad: Record<number, string>) => {
      const out = ['customer_id,order_date,amount'];
      for (let i = 1; i <= 30_000; i++) out.push(bad[i] ?? `C${i % 100},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i}.00`);
      return out.join('\n') + '\n';
    };
    const cases: { bad: Record<number, string>; reads: string[][]; counts: Record<string, number> }[] = [
      // A bad date: the second read types the amounts only.
      { bad: { 25_000: 'C1,someday,25000.00' }, reads: [['order_date', 'amount'], ['amount']], counts: { bad_date: 1, bad_amount: 0 } },
      // A bad date and, in another row, a bad amount: both named, the second read is all text.
      { bad: { 25_000: 'C1,someday,25000.00', 26_000: 'C1,2024-01-05,n/a' }, reads: [['order_date', 'amount'], []], counts: { bad_date: 1, bad_amount: 1 } },
      // Both in one row: the reader names both, the second read is all text.
      { bad: { 25_000: 'C1,someday,n/a' }, reads: [['order_date', 'amount'], []], counts: { bad_date: 1, bad_amount: 1 } },
    ];
    for (const c of cases) {
      const text = rows(c.bad);
      const db = await openTestDatabase();
      const bytes = new TextEncoder().encode(text);
      db.bindings.registerFileBuffer('late.csv', bytes);
      const ws = new Workspace(db);
      await ws.addCsv('late.csv', bytes.length, 'utf-8');
      const reads = stagingReads(db);
      const state = await ws.apply(defaultConfig());
      expect(typedIn(reads)).toEqual(c.reads);
      expect(state.quality!.counts).toMatchObject({ rows_read: 30_000, ...c.counts });
      // 1 + 2 + … + 30,000 without the rows whose date or amount is bad.
      const left = Object.keys(c.bad).map(Number).reduce((sum, i) => sum + i, 0);
      expect(state.kpis!.revenue).toBeCloseTo((30_000 * 30_001) / 2 - left, 6);
    }
  });

  it('keeps the typed read for a file whose probe lines all parse', async () => {
    const clean = new TextEncoder().encode(lines.slice(0, -1).join('\n') + '\n');
    const probe = await probeLines(clean.length, async (start, end) => clean.slice(Math.max(0, start), end));
    expect(probe).not.toBeNull();
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer('clean.csv', clean);
    const ws = new Workspace(db);
    await ws.addCsv('clean.csv', clean.length, 'utf-8', undefined, undefined, probe);
    const state = await ws.apply(defaultConfig());
    expect(state.quality!.counts).toMatchObject({ rows_read: 200_000, bad_amount: 0 });
    expect(ws.setupStatements.find((sql) => sql.startsWith('CREATE OR REPLACE TABLE "stg_'))).toContain("'amount': 'DOUBLE'");
  });
});

describe('Workspace duplicates across files', () => {
  // Q1 and an export of February–March that overlaps it; amounts summed by hand.
  const q1 = ['order_id,customer_id,order_date,amount', 'O1,c1,2024-01-05,10', 'O2,c2,2024-02-03,20', 'O3,c1,2024-03-09,5'].join('\n');
  const febMar = ['order_id,customer_id,order_date,amount', 'O2,c2,2024-02-03,20', 'O3,c1,2024-03-09,5', 'O4,c3,2024-03-20,7', 'O4,c3,2024-03-20,7'].join('\n');

  it('marks rows repeated in a later file, and clears the marks when the earlier file goes', async () => {
    const { db, ws } = await workspaceWith({ 'q1.csv': q1, 'feb-mar.csv': febMar });
    const both = await ws.apply(defaultConfig());
    // O2 and O3 again in the second file, and O4 twice in it: 3 extra copies.
    expect(both.quality!.counts).toMatchObject({ rows_read: 7, duplicates: 3, clean_rows: 4 });
    // 10 + 20 + 5 + 7.
    expect(both.kpis).toMatchObject({ customers: 3, orders: 4, revenue: 42 });
    const marked = await db.rows<{ f: string; r: number }>(`SELECT "_file" AS f, "_row" AS r FROM staged WHERE "__dup" ORDER BY 1, 2`);
    expect(marked).toEqual([{ f: 'feb-mar.csv', r: 1 }, { f: 'feb-mar.csv', r: 2 }, { f: 'feb-mar.csv', r: 4 }]);
    // The script repeats the marking after the union.
    expect(ws.setupStatements.some((sql) => sql.startsWith('CREATE OR REPLACE TEMP TABLE "__cross_dups"'))).toBe(true);

    ws.remove('q1.csv');
    const alone = await ws.apply(defaultConfig());
    // Only O4's second copy is a duplicate now: 20 + 5 + 7.
    expect(alone.quality!.counts).toMatchObject({ rows_read: 4, duplicates: 1, clean_rows: 3 });
    expect(alone.kpis).toMatchObject({ customers: 3, revenue: 32 });
  });

  it('finds the same rows in a file read with typed columns and in one read as text', async () => {
    // The first file's money and dates are parsed by the reader (typed read); the second, whose
    // amount and date columns hold cells that do not parse, is read as text. O2 and O3 are in
    // both, written alike (20.50) or not (5 and 5.0): the same values, 2 duplicates. Within one
    // file rows are compared as written: O6's two lines (8 and 8.00) are both kept.
    const typed = ['order_id,customer_id,order_date,amount', 'O1,c1,2024-01-05,10.00', 'O2,c2,2024-02-03,20.50', 'O3,c1,2024-03-09,5'].join('\n');
    const text = ['order_id,customer_id,order_date,amount', 'O2,c2,2024-02-03,20.50', 'O3,c1,2024-03-09,5.0', 'O4,c3,2024-03-20,N/A', 'O5,c3,unknown,7', 'O6,c4,2024-03-21,8', 'O6,c4,2024-03-21,8.00'].join('\n');
    const { db, ws } = await workspaceWith({ 'jan-mar.csv': typed, 'feb-apr.csv': text });
    const state = await ws.apply(defaultConfig());
    const types = async (table: string) => Object.fromEntries((await db.rows<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`)).map((c) => [c.column_name, c.column_type]));
    expect((await types('stg_0')).__amount).toBe('DOUBLE');
    expect((await types('stg_0')).amount).toBeUndefined(); // typed: no text kept
    expect((await types('stg_1')).amount).toBe('VARCHAR');
    expect(state.quality!.counts).toMatchObject({ rows_read: 9, duplicates: 2, bad_amount: 1, bad_date: 1, clean_rows: 5 });
    // 10 + 20.50 + 5 + 8 + 8; c3's rows do not count.
    expect(state.kpis!.revenue).toBeCloseTo(51.5, 9);
    expect(state.kpis!.customers).toBe(3);
    const marked = await db.rows<{ f: string; r: number }>(`SELECT "_file" AS f, "_row" AS r FROM staged WHERE "__dup" ORDER BY 1, 2`);
    expect(marked).toEqual([{ f: 'feb-apr.csv', r: 1 }, { f: 'feb-apr.csv', r: 2 }]);
  });

  it('counts the same export dropped twice under another name once', async () => {
    const { ws } = await workspaceWith({ 'orders.csv': q1, 'orders (1).csv': q1 });
    const state = await ws.apply(defaultConfig());
    expect(state.quality!.counts).toMatchObject({ rows_read: 6, duplicates: 3, clean_rows: 3 });
    expect(state.kpis).toMatchObject({ customers: 2, revenue: 35 });
    // Kept when the policy keeps duplicates: every row counts.
    const config = defaultConfig();
    const kept = await ws.apply({ ...config, policies: { ...config.policies, dropDuplicates: false } });
    expect(kept.kpis!.revenue).toBeCloseTo(70, 9);
  });
});
