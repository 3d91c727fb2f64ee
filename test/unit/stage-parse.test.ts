// The fast paths of staging (direct casts before the cleaning expressions, the id regular
// expression only for ids with a '.', the timestamp cast before an ISO strptime format) must
// give exactly what the full cleaning gives. Expected values are written by hand; where two
// paths are compared, the reference is the cleaning expression as it was before the fast
// paths, spelled out here.
import { describe, expect, it } from 'vitest';
import { str } from '../../src/core/sql/ident';
import { ISO_FORMATS, idExpr, numberCleanedExpr, numberExpr, numberFastExpr, timestampExpr } from '../../src/core/sql/stage';
import { Workspace } from '../../src/engine/workspace';
import { qualityExamples } from '../../src/engine/analyses/quality-examples';
import { DEFAULT_READ, defaultConfig } from '../../src/core/config';
import { openTestDatabase } from './helpers/duckdb';

const db = await openTestDatabase();

async function evaluate(values: (string | null)[], expr: string): Promise<unknown[]> {
  const rows = values.map((v, i) => `(${i}, ${v === null ? 'CAST(NULL AS VARCHAR)' : str(v)})`).join(', ');
  const out = await db.rows<{ r: unknown }>(`SELECT ${expr} AS r FROM (VALUES ${rows}) t(i, v) ORDER BY i`);
  return out.map((o) => (o.r instanceof Date ? o.r.toISOString() : o.r));
}

// Cells people type into amount columns, and some only a machine would write.
const NUMBERS = [
  '328.99', ' 12 ', '\t12', '12\n', '-5', '+5', '.5', '5.', '1e3', '-1.5E-2', '1_000', '0x10', '00012',
  '$1,234.50', '¥ 1 234', '€12', '£ 3', '￥99', '1,5', '1.500', '1.500,25', '1 000', '- 5', '12 ',
  'inf', '-inf', 'Infinity', 'nan', 'NaN', '', '  ', 'abc', '12abc', '１２', '1e400', null,
  '12元', '1,234.50元', 'RMB 88', 'cny12', "1'234.5", '5\u00a0000', 'USD', '元',
];

describe('numbers: the direct cast agrees with the cleaning wherever it succeeds', () => {
  for (const decimalComma of [false, true]) {
    it(`decimal comma ${decimalComma}`, async () => {
      const fast = await evaluate(NUMBERS, numberFastExpr('v', decimalComma));
      const cleaned = await evaluate(NUMBERS, numberCleanedExpr('v', decimalComma));
      for (const [i, f] of fast.entries()) {
        if (f !== null) expect([NUMBERS[i], f]).toEqual([NUMBERS[i], cleaned[i]]);
      }
      // The fast path takes some of the cells (else it would be pointless) but not all.
      expect(fast.filter((f) => f !== null).length).toBeGreaterThan(5);
    });
  }

  it('parses by hand-checked values (decimal point)', async () => {
    const values = ['328.99', ' 12 ', '$1,234.50', '¥ 1 234', '€12', '1e3', '-5', 'inf', '-Infinity', 'nan', '', 'abc', '1 000', null];
    const expected = [328.99, 12, 1234.5, 1234, 12, 1000, -5, null, null, null, null, null, 1000, null];
    expect(await evaluate(values, numberExpr('v', 'VARCHAR', false))).toEqual(expected);
  });

  it('reads the amounts that mapping detection takes for money (Chinese exports: 元, RMB)', async () => {
    const values = ['12元', '1,234.50元', '￥1,234.50', 'RMB 88', 'cny12', "1'234.5", '5\u00a0000', '１，２３４．５０元', '－１２', '元', 'RMB', '12 kg'];
    const expected = [12, 1234.5, 1234.5, 88, 12, 1234.5, 5000, 1234.5, -12, null, null, null];
    expect(await evaluate(values, numberExpr('v', 'VARCHAR', false))).toEqual(expected);
    // with a decimal comma, a thin space groups thousands: 3 500,5
    expect(await evaluate(['3\u202f500,5', '12,5元'], numberExpr('v', 'VARCHAR', true))).toEqual([3500.5, 12.5]);
  });

  it('parses by hand-checked values (decimal comma)', async () => {
    const values = ['1,5', '1.500', '1.500,25', '€ 3,99', '12', '-2,5', 'inf', '1.5'];
    const expected = [1.5, 1500, 1500.25, 3.99, 12, -2.5, null, 15];
    expect(await evaluate(values, numberExpr('v', 'VARCHAR', true))).toEqual(expected);
  });
});

describe('ids', () => {
  it('drops a spreadsheet .0 and nothing else', async () => {
    const values = ['17850.0', '17850.00', ' 17850.0 ', '17850', '-3.0', '1.5', 'A.0', '17850.0.0', 'C-1', '', '  ', null];
    const expected = ['17850', '17850', '17850', '17850', '-3', '1.5', 'A.0', '17850.0.0', 'C-1', null, null, null];
    expect(await evaluate(values, idExpr('v', 'VARCHAR'))).toEqual(expected);
  });
});

describe('timestamps', () => {
  // Before the fast path: the format first, then DuckDB's cast, then YYYYMMDD, all on trimmed text.
  const reference = (format: string | null) => {
    const text = `trim(v)`;
    const parsed = [`TRY_CAST(${text} AS TIMESTAMP)`];
    if (format) parsed.unshift(`try_strptime(${text}, ${str(format)})`);
    parsed.push(`CASE WHEN regexp_full_match(${text}, '[12][0-9]{7}') THEN try_strptime(${text}, '%Y%m%d') END`);
    return `COALESCE(${parsed.join(', ')})`;
  };
  const VALUES = [
    '2020-01-02', ' 2020-01-02 ', '2020-01-02 10:00:00', ' 2020-01-02 10:00:00 ', '2020-01-02T10:00:00', '2020-1-2 3:4:5',
    '2020-01-02 10:00', '2020-01-02 10:00:00.5', '2020-01-02 10:00:00+02', '2020-01-02 24:00:00', '2020-02-30', '2020-02-29',
    '0020-01-02', '20-01-02', '19970101', ' 19970101', '2020/01/02', '02/01/2020', 'inf', '-infinity', 'epoch', '',
    'not a date', '2020-01-02 10:00:00 BC', '99999-01-01', '2020-01-02 10:00:60', '2020-13-01', '+2020-01-02', '2020-01-02 10:00:00 ',
    '2020-01-02  10:00:00', '20200102', '2020-01-02x', '2020-01-02 10', '2020-01-02 10:00:00Z', '1e3', '12', null,
  ];

  for (const format of [null, ...ISO_FORMATS]) {
    it(`the cast-first order gives the same as the format-first order for ${format ?? 'no format'}`, async () => {
      // (as text: infinite timestamps have no JavaScript Date)
      const expected = await evaluate(VALUES, `CAST(${reference(format)} AS VARCHAR)`);
      const actual = await evaluate(VALUES, `CAST(${timestampExpr('v', 'VARCHAR', format)} AS VARCHAR)`);
      expect(actual.map((a, i) => [VALUES[i], a])).toEqual(expected.map((e, i) => [VALUES[i], e]));
    });
  }

  it('keeps the format first for non-ISO formats (day first)', async () => {
    const values = ['02/01/2020', '2020-01-02', '13/01/2020 10:00'];
    // 2020-01-02 is not in the format; DuckDB's cast reads it. 13/01/2020 10:00 has a time the format lacks.
    expect(await evaluate(values, `CAST(${timestampExpr('v', 'VARCHAR', '%d/%m/%Y')} AS VARCHAR)`)).toEqual([
      '2020-01-02 00:00:00',
      '2020-01-02 00:00:00',
      null,
    ]);
  });
});

describe('row numbers and duplicates after staging', () => {
  async function stage(csv: string) {
    const db2 = await openTestDatabase();
    const bytes = new TextEncoder().encode(csv);
    db2.bindings.registerFileBuffer('t.csv', bytes);
    const ws = new Workspace(db2);
    await ws.addCsv('t.csv', bytes.length, 'utf-8');
    const state = await ws.apply(defaultConfig());
    return { db: db2, state };
  }

  const header = 'order_id,customer_id,order_date,amount,note';
  // Data lines 2 and 4 repeat line 1 exactly; line 3 differs only in the note; lines 5 and 6
  // are identical including the empty (NULL) note.
  const lines = ['A1,c1,2024-01-02,10,x', 'A1,c1,2024-01-02,10,x', 'A1,c1,2024-01-02,10,y', 'A1,c1,2024-01-02,10,x', 'A2,c2,2024-01-03,5,', 'A2,c2,2024-01-03,5,', 'A2,c2,2024-01-03,5,z'];

  it('marks every later copy, keeps the first, and numbers rows as the file does', async () => {
    const { db: d, state } = await stage([header, ...lines].join('\n'));
    // Lines 2, 4 and 6 are later copies.
    expect(state.quality!.counts.duplicates).toBe(3);
    const rows = await d.rows<{ r: number; d: boolean }>(`SELECT "_row" AS r, "__dup" AS d FROM staged ORDER BY "_row"`);
    expect(rows.map((r) => [r.r, r.d])).toEqual([[1, false], [2, true], [3, false], [4, true], [5, false], [6, true], [7, false]]);
    const ex = await qualityExamples({ db: d, config: defaultConfig(), progress: () => {}, isCancelled: () => false }, { check: 'duplicates', columns: header.split(',') });
    expect(ex.rows.map((r) => r[1])).toEqual([2, 4, 6]);
  });

  it('gives back the original text of ids and labels stored as differences from their typed copy', async () => {
    // Lines 1 and 2 differ only in blanks around the customer id and line 3 only in the .0:
    // the typed ids are equal, the originals are not, so none is a duplicate. Line 4 repeats
    // line 2 exactly, blanks included.
    const csv = [
      'order_id,customer_id,order_date,amount,channel',
      'A1,c1,2024-01-02,10,web',
      'A1, c1 ,2024-01-02,10,web',
      'A1.0,c1,2024-01-02,10,web',
      'A1, c1 ,2024-01-02,10,web',
      'A2,"",2024-01-03,5, shop',
    ].join('\n');
    const { db: d, state } = await stage(csv);
    expect(state.quality!.counts.duplicates).toBe(1);
    const rows = await d.rows<Record<string, unknown>>(
      `SELECT "_row", order_id, customer_id, channel, "__order_id", "__customer_id", "__channel", "__dup" FROM staged ORDER BY "_row"`,
    );
    expect(rows.map((r) => Object.values(r))).toEqual([
      [1, 'A1', 'c1', 'web', 'A1', 'c1', 'web', false],
      [2, 'A1', ' c1 ', 'web', 'A1', 'c1', 'web', false],
      [3, 'A1.0', 'c1', 'web', 'A1.0', 'c1', 'web', false],
      [4, 'A1', ' c1 ', 'web', 'A1', 'c1', 'web', true],
      // DuckDB reads a quoted empty field as NULL (allow_quoted_nulls); the blanks around shop stay.
      [5, 'A2', null, ' shop', 'A2', null, 'shop', false],
    ]);
  });

  it('reads several files of one layout as one, each row with its file and data-row number', async () => {
    const d = await openTestDatabase();
    const ws = new Workspace(d);
    // Line 2 of feb.csv repeats line 1 of jan.csv exactly: a duplicate across files.
    const files = {
      'jan.csv': [header, 'A1,c1,2024-01-02,10,x', 'A2, c2 ,2024-01-03,5,'].join('\n'),
      'feb.csv': [header, 'B1,c3,2024-02-02,7,y', 'A1,c1,2024-01-02,10,x'].join('\n'),
    };
    for (const [name, text] of Object.entries(files)) {
      const bytes = new TextEncoder().encode(text);
      d.bindings.registerFileBuffer(name, bytes);
      await ws.addCsv(name, bytes.length, 'utf-8');
    }
    const state = await ws.apply(defaultConfig());
    expect(state.quality!.counts.rows_read).toBe(4);
    const rows = await d.rows<Record<string, unknown>>(`SELECT "_file", "_row", customer_id, "__customer_id" FROM staged ORDER BY "_file" DESC, "_row"`);
    expect(rows.map((r) => Object.values(r))).toEqual([
      ['jan.csv', 1, 'c1', 'c1'],
      ['jan.csv', 2, ' c2 ', 'c2'],
      ['feb.csv', 1, 'c3', 'c3'],
      ['feb.csv', 2, 'c1', 'c1'],
    ]);
    // And across files: feb.csv's line 2 is the extra copy (the earlier file keeps its row).
    expect(state.quality!.counts.duplicates).toBe(1);
    const marked = await d.rows<{ f: string; r: number }>(`SELECT "_file" AS f, "_row" AS r FROM staged WHERE "__dup"`);
    expect(marked).toEqual([{ f: 'feb.csv', r: 2 }]);
  });

  it('gives back dates exactly as written, whatever the format rendered them as', async () => {
    // Day-first dates with a time: the format renders most back; the others (no time, blanks,
    // 'inf', text) are kept as written. Lines 1 and 3 differ only in a blank: not duplicates.
    const csv = [
      'order_id;customer_id;order_date;amount',
      'A1;c1;02/01/2024 10:00;10',
      'A2;c1;3/1/2024 9:05;10',
      'A1;c1; 02/01/2024 10:00;10',
      'A3;c2;inf;5',
      'A4;c2;not a date;5',
      'A5;c2;2024-01-04;5',
      'A1;c1;02/01/2024 10:00;10',
    ].join('\n');
    const d = await openTestDatabase();
    const bytes = new TextEncoder().encode(csv);
    d.bindings.registerFileBuffer('t.csv', bytes);
    const ws = new Workspace(d);
    await ws.addCsv('t.csv', bytes.length, 'utf-8', { ...DEFAULT_READ, dateFormat: '%d/%m/%Y %H:%M' });
    const state = await ws.apply(defaultConfig());
    // Line 7 repeats line 1.
    expect(state.quality!.counts.duplicates).toBe(1);
    // 'not a date' only ('inf' parses as an infinite timestamp, a date far in the future).
    expect(state.quality!.counts.bad_date).toBe(1);
    const rows = await d.rows<{ v: string; t: string | null }>(`SELECT order_date AS v, CAST("__ts" AS VARCHAR) AS t FROM staged ORDER BY "_row"`);
    expect(rows.map((r) => [r.v, r.t])).toEqual([
      ['02/01/2024 10:00', '2024-01-02 10:00:00'],
      ['3/1/2024 9:05', '2024-01-03 09:05:00'],
      [' 02/01/2024 10:00', '2024-01-02 10:00:00'],
      ['inf', 'infinity'],
      ['not a date', null],
      ['2024-01-04', '2024-01-04 00:00:00'],
      ['02/01/2024 10:00', '2024-01-02 10:00:00'],
    ]);
  });

  it('numbers rows itself when the file has a column called rowid', async () => {
    const { db: d, state } = await stage(['rowid,' + header, ...lines.map((l, i) => `${100 - i},${l}`)].join('\n'));
    // With the rowid column every line differs: no duplicates.
    expect(state.quality!.counts.duplicates).toBe(0);
    const rows = await d.rows<{ r: number; id: string }>(`SELECT "_row" AS r, "rowid" AS id FROM staged ORDER BY "_row"`);
    expect(rows.map((r) => [r.r, r.id])).toEqual(lines.map((_, i) => [i + 1, String(100 - i)]));
  });
});
