// sniffCsv + csvFrom + profileColumns against the way they used to read a CSV, kept here as
// the reference: sniff_csv and a DESCRIBE with DuckDB's default buffers, and a read_csv that
// let DuckDB auto-detect the rest of the dialect (all_varchar + names). The importer now
// sniffs in 2 MB buffers, takes the columns from a second sniff instead of the DESCRIBE, and
// reads with auto_detect=false (see the comments in src/engine/importer.ts); on every file
// below the column names and types, the rows, the profile sample, the rejected lines and the
// errors must come out exactly as before. If a DuckDB upgrade makes the sniffer and the
// reader disagree, this is where it shows. Except where the old reading was wrong (`fixed`):
// rows with more or fewer fields than the header among the sniffed ones made it read the file
// as one column or the header as data; those are checked by hand below.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ, type FileReadSettings } from '../../src/core/config';
import { createUtf8Transcoder } from '../../src/core/encoding';
import { whitespaceToTsv } from '../../src/core/whitespace';
import type { Database } from '../../src/engine/database';
import { Workspace } from '../../src/engine/workspace';
import { defaultConfig } from '../../src/core/config';
import { csvFrom, profileColumns, rejectedLines, sniffCsv, stageReadFailed } from '../../src/engine/importer';
import { str } from '../../src/core/sql/ident';
import { openTestDatabase } from './helpers/duckdb';

interface Case {
  name: string;
  bytes: Uint8Array;
  read?: Partial<FileReadSettings>;
  /** Read differently (and rightly) now: checked by hand in 'ragged rows'. */
  fixed?: true;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const fixture = (path: string) => new Uint8Array(fs.readFileSync(path));

/** `text` with the bytes `inserted` in place of `marker`. */
function withBytes(text: string, marker: string, inserted: number[]): Uint8Array {
  const head = utf8(text.slice(0, text.indexOf(marker)));
  const tail = utf8(text.slice(text.indexOf(marker) + marker.length));
  const out = new Uint8Array(head.length + inserted.length + tail.length);
  out.set(head);
  out.set(inserted, head.length);
  out.set(tail, head.length + inserted.length);
  return out;
}

function lines(n: number, row: (i: number) => string, header: string): string {
  const out = [header];
  for (let i = 0; i < n; i++) out.push(row(i));
  return out.join('\n') + '\n';
}

const windows1252 = () => {
  const t = createUtf8Transcoder('windows-1252');
  const raw = fixture('test/fixtures/online-retail-like.csv');
  return new Uint8Array([...t.push(raw), ...t.flush()]);
};

const cases: Case[] = [
  ...[
    'test/fixtures/dirty-small.csv',
    'test/fixtures/segments-small.csv',
    'test/fixtures/survey/orders.csv',
    'test/fixtures/survey/respondents.csv',
    'test/fixtures/mobi/mobi.csv',
    'test/fixtures/mobi/ECSImeasuremod.csv',
    'test/fixtures/mobi/ECSIstrucmod.csv',
    'test/fixtures/mobi/smartpls_pathWeighting_pathCoefficients.txt',
    'test/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv',
    'test/fixtures/cdnow/CDNOW_sample.txt',
    'public/sample/survey.csv',
    'public/sample/transactions.csv',
  ].map((path) => ({ name: path, bytes: fixture(path) })),
  { name: 'online-retail-like.csv, Windows-1252 (the sniffer rejects it)', bytes: fixture('test/fixtures/online-retail-like.csv') },
  { name: 'online-retail-like.csv transcoded to UTF-8', bytes: windows1252() },
  {
    name: 'CDNOW_sample.txt rewritten to TSV',
    bytes: utf8(whitespaceToTsv(fs.readFileSync('test/fixtures/cdnow/CDNOW_sample.txt', 'utf8'))),
    read: { delimiter: 'whitespace' },
  },
  { name: 'duplicate and empty header names', bytes: utf8('id,x,x,,amount,X\n1,2,3,4,5,6\n2,3,4,5,6,7\n') },
  { name: 'quoted header names with "" inside', bytes: utf8('id,"na""me","a,b",amount\n1,"a ""q""","x,y",2\n2,b,c,3\n') },
  { name: 'backslash escapes', bytes: utf8('"i\\"d",name,amount\n1,"a \\"b\\" c",2\n2,"d",3\n3,"e \\"f\\"",4\n') },
  { name: "single quotes, '' inside", bytes: utf8("id,'it''s',amount\n1,'a,b',2\n2,'c',3\n3,'d,e',4\n") },
  { name: 'no quoting at all', bytes: utf8('id,name,amount\n1,a,2\n2,b,3\n') },
  { name: 'decimal commas, semicolons', bytes: utf8('id;datum;betrag\n1;01.02.2023;1,50\n2;02.02.2023;2,75\n3;03.02.2023;1.234,5\n') },
  { name: 'decimal commas in quotes', bytes: utf8('id,datum,betrag\n1,2023-01-02,"1,50"\n2,2023-01-03,"2,75"\n') },
  { name: 'only a header', bytes: utf8('order_id,customer_id,amount\n') },
  { name: 'only a header, no newline', bytes: utf8('order_id,customer_id,amount') },
  { name: 'CRLF', bytes: utf8('id,name,amount\r\n1,a,2\r\n2,b,3\r\n') },
  { name: 'CR only', bytes: utf8('id,name,amount\r1,a,2\r2,b,3\r') },
  { name: 'BOM', bytes: utf8('\uFEFF"id","name","amount"\n1,a,2\n2,b,3\n') },
  { name: 'no newline after the last line', bytes: utf8('id,name,amount\n1,a,2\n2,b,3') },
  { name: 'quoted newline', bytes: utf8('id,note,amount\n1,"line1\nline2",2\n2,"x",3\n') },
  // DuckDB's parallel scanner refused this one with null_padding ("does not support
  // null_padding in conjunction with quoted new lines"); read with parallel=false now.
  { name: 'quoted newline, then a short row', bytes: utf8('id,name,amount\n1,a,2\n2,"b\nc",3\n3,d\n'), fixed: true },
  { name: 'quoted CRLF in an LF file', bytes: utf8('id,note,amount\n1,"line1\nline2",2\n2,"x",3\n3,"a\r\nb",4\n') },
  { name: 'rows with too few fields', bytes: utf8('id,name,amount\n1,a,2\n2,b\n3,c,4\n4\n'), fixed: true },
  { name: 'rows with too many fields', bytes: utf8('id,name,amount\n1,a,2\n2,b,3,4\n3,c,4\n4,d,5,6,7\n'), fixed: true },
  { name: 'a title line and a blank line above the header', bytes: utf8('Report\n\nid,name,amount\n1,a,2\n2,b,3\n3,c,4\n') },
  { name: 'comment lines', bytes: utf8('id,name,amount\n# a comment\n1,a,2\n2,b,3\n') },
  { name: 'blank lines', bytes: utf8('id,name,amount\n1,a,2\n\n2,b,3\n\n') },
  { name: 'a delimiter at the end of every line', bytes: utf8('id,name,amount,\n1,a,2,\n2,b,3,\n') },
  { name: 'no header', bytes: utf8('1,2,3\n4,5,6\n7,8,9\n') },
  { name: 'header forced off', bytes: utf8('id,name,amount\n1,a,2\n2,b,3\n'), read: { header: false } },
  { name: 'header forced on', bytes: utf8('1,2,3\n4,5,6\n7,8,9\n'), read: { header: true } },
  { name: 'delimiter forced', bytes: utf8('a;b,c\n1;2,3\n4;5,6\n'), read: { delimiter: ',' } },
  { name: 'Chinese header names', bytes: utf8('客户编号,订单日期,金额\nC1,2023-01-01,12.5\nC2,2023-01-02,3\n') },
  { name: 'blanks around names and values', bytes: utf8(' id , Customer Name ,amount \n1, a ,2\n2, "b" ,3\n') },
  { name: 'invalid UTF-8 in the sniffed rows', bytes: withBytes('id,name,amount\n1,a,2\n2,bXX,3\n3,c,4\n', 'XX', [0xff, 0xfe]) },
  { name: 'a 2.2 MB line in the sniffed rows', bytes: utf8(`id,name,amount\n1,a,2\n2,${'x'.repeat(2_200_000)},3\n3,c,4\n`) },
  {
    // Past the sniffer's 20,480 rows: invalid UTF-8 and a line over max_line_size are the
    // rejects a text read still has (strict_mode=false and null_padding accept the rest).
    name: 'rejects after the sniffed rows',
    bytes: withBytes(
      lines(
        60_000,
        (i) => {
          const note = i === 30_000 ? 'BAD' : i === 40_000 ? 'L'.repeat(2_100_000) : `n${i}`;
          return `O${i},2023-01-0${1 + (i % 9)},C${i % 500},${(i % 97) + 0.5},${note}`;
        },
        'order_id,order_date,customer_id,amount,note',
      ),
      'BAD',
      [0xe2, 0x28, 0xa1],
    ),
  },
  {
    name: 'a 1.9 MB line that spans sniff buffers',
    bytes: utf8(lines(30_000, (i) => (i === 5 ? `5,"${'w'.repeat(1_900_000)}",5` : `${i},note ${i},${i}`), 'id,note,amount')),
  },
  {
    // 20,480 rows of ~190 bytes: the sniffer must read past its first 2 MB buffer to see
    // the quotes, the "" escapes and the non-numeric amount.
    name: 'what decides the dialect and types lies beyond the first 2 MB',
    bytes: utf8(
      lines(
        22_000,
        (i) =>
          i >= 15_000
            ? `O${i},"has ""q"" and, comma",${i === 20_400 ? 'n/a' : '1.5'},${'p'.repeat(160)}`
            : `O${i},plain,${i},${'p'.repeat(160)}`,
        'order_id,note,amount,pad',
      ),
    ),
  },
];

/**
 * The previous sniffCsv + csvFrom, verbatim but for names and one deliberate change made in both:
 * parallel=false (see csvFrom; checked by hand below on the files the parallel scanner refused).
 */
async function previousImport(db: Database, fileName: string, read: FileReadSettings, rejectsTable: string) {
  const options: string[] = [];
  if (read.delimiter) options.push(`delim=${str(read.delimiter === 'whitespace' ? '\t' : read.delimiter)}`);
  if (read.header !== null) options.push(`header=${read.header}`);
  const [row] = await db.rows<Record<string, unknown>>(
    `SELECT Delimiter, Quote, Escape, HasHeader, DateFormat, TimestampFormat FROM sniff_csv(${[str(fileName), ...options].join(', ')})`,
  );
  const quote = row.Quote === '(empty)' ? '' : String(row.Quote ?? '"');
  const escape = row.Escape === '(empty)' ? '' : String(row.Escape ?? '"');
  const described = await db.rows<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_csv(${[
      str(fileName),
      `delim=${str(String(row.Delimiter))}`,
      `quote=${str(quote)}`,
      `escape=${str(escape)}`,
      `header=${read.header ?? Boolean(row.HasHeader)}`,
      'strict_mode=false',
      'null_padding=true',
    ].join(', ')})`,
  );
  const dialect = {
    delimiter: String(row.Delimiter),
    quote: String(row.Quote ?? '"'),
    escape: String(row.Escape ?? '"'),
    header: Boolean(row.HasHeader),
    dateFormat: (row.DateFormat as string | null) ?? null,
    timestampFormat: (row.TimestampFormat as string | null) ?? null,
    columns: described.map((d) => ({ name: d.column_name, type: d.column_type })),
  };
  const from = `read_csv(${[
    str(fileName),
    `delim=${str(dialect.delimiter)}`,
    `quote=${str(quote)}`,
    `escape=${str(escape)}`,
    `header=${dialect.header}`,
    'all_varchar=true',
    'null_padding=true',
    'strict_mode=false',
    'parallel=false',
    'store_rejects=true',
    `rejects_table=${str(rejectsTable)}`,
    `rejects_scan=${str(rejectsTable + '_scan')}`,
    `names=[${dialect.columns.map((c) => str(c.name)).join(', ')}]`,
  ].join(', ')})`;
  return { dialect, from };
}

type Outcome = Record<string, unknown>;

/** Every step's result, or the first line of its error (so that errors compare too). */
async function step(outcome: Outcome, key: string, work: () => Promise<unknown>): Promise<boolean> {
  try {
    outcome[key] = await work();
    return true;
  } catch (e) {
    const message = String((e as { causeMessage?: string }).causeMessage ?? (e as Error).message);
    outcome[key] = { error: message.split('\n')[0] };
    return false;
  }
}

async function importBoth(db: Database, fileName: string, read: FileReadSettings, id: number): Promise<[Outcome, Outcome]> {
  const before: Outcome = {};
  const after: Outcome = {};
  let previous: Awaited<ReturnType<typeof previousImport>> | undefined;
  if (await step(before, 'dialect', async () => (previous = await previousImport(db, fileName, read, `rejects_before_${id}`)).dialect)) {
    const { from, dialect } = previous!;
    await step(before, 'profiles', () => profileColumns(db, from, dialect.columns));
    await step(before, 'rows', () => db.rows(`SELECT * FROM ${from}`));
    before.rejected = await rejectedLines(db, `rejects_before_${id}`, 100);
  }
  let dialect: Awaited<ReturnType<typeof sniffCsv>> | undefined;
  if (await step(after, 'dialect', async () => (dialect = await sniffCsv(db, fileName, read)))) {
    const { newLine: _n, skipRows: _s, comment: _c, ...comparable } = dialect!;
    after.dialect = comparable;
    // As the workspace stages: the parallel read, or the serial one if that refused the file.
    let from = csvFrom(fileName, dialect!, `rejects_after_${id}`);
    try {
      await db.rows(`SELECT * FROM ${csvFrom(fileName, dialect!, `rejects_probe_${id}`)}`);
    } catch (e) {
      if (!stageReadFailed(e)) throw e;
      from = csvFrom(fileName, dialect!, `rejects_after_${id}`, 'serial');
      expect(from).toContain('auto_detect=false');
    }
    await step(after, 'profiles', () => profileColumns(db, csvFrom(fileName, dialect!, `rejects_sample_${id}`, 'sample'), dialect!.columns));
    await step(after, 'rows', () => db.rows(`SELECT * FROM ${from}`));
    after.rejected = await rejectedLines(db, `rejects_after_${id}`, 100);
  }
  return [before, after];
}

describe('the CSV import reads every file as it did with auto-detection', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  it.each(cases.map((c, id) => ({ ...c, id })).filter((c) => !c.fixed))('$name', async ({ bytes, read, id }) => {
    db.bindings.registerFileBuffer(`file${id}.csv`, bytes);
    const [before, after] = await importBoth(db, `file${id}.csv`, { ...DEFAULT_READ, ...read }, id);
    expect(after).toEqual(before);
    db.bindings.dropFile(`file${id}.csv`);
  });
});

describe('what the comparison covers, by hand', () => {
  it('reports each rejected line once, as it counts them', async () => {
    // The profile sample and the staging read share the rejects table: a bad line among the
    // first rows is recorded by both (rejects tables have these columns, among others).
    const db = await openTestDatabase();
    await db.exec(`CREATE TABLE r (line BIGINT, error_type VARCHAR, error_message VARCHAR)`);
    await db.exec(`INSERT INTO r VALUES (12, 'INVALID ENCODING', 'bad byte'), (12, 'INVALID ENCODING', 'bad byte'), (3, 'LINE SIZE OVER MAXIMUM', 'long'), (12, 'INVALID ENCODING', 'bad byte')`);
    const r = await rejectedLines(db, 'r');
    expect(r.count).toBe(2);
    expect(r.examples).toEqual([
      { line: 3, error_type: 'LINE SIZE OVER MAXIMUM', message: 'long' },
      { line: 12, error_type: 'INVALID ENCODING', message: 'bad byte' },
    ]);
  });

  it('reads a quoted field that spans lines (the parallel scanner refused it with null_padding)', async () => {
    const db = await openTestDatabase();
    // 20 plain rows, then a note typed over two lines, then one more row.
    const plain = Array.from({ length: 20 }, (_, i) => `${i},n${i},2024-01-15,${i * 2}`);
    db.bindings.registerFileBuffer('ml.csv', utf8(['id,name,day,amount', ...plain, '20,"b', 'c",2024-01-16,3', '21,d,2024-01-17,4', ''].join('\n')));
    const dialect = await sniffCsv(db, 'ml.csv', DEFAULT_READ);
    await expect(db.rows(`SELECT * FROM ${csvFrom('ml.csv', dialect, 'rejects_ml')}`)).rejects.toSatisfy(stageReadFailed);
    // The workspace then stages it with the serial read.
    const ws = new Workspace(db);
    await ws.addCsv('ml.csv', 100, 'utf-8', DEFAULT_READ, dialect);
    const state = await ws.apply({ ...defaultConfig(), mapping: { customer_id: 'name', order_id: 'id', order_date: 'day', amount: 'amount' } });
    expect(state.quality!.counts.rows_read).toBe(22);
    // (the amounts, sniffed as numbers, are parsed by the serial reader itself: typedCsvRead)
    const rows = await db.rows<Record<string, string | number | null>>(`SELECT id, name, amount FROM staged ORDER BY "_row"`);
    expect(rows[20]).toEqual({ id: '20', name: 'b\nc', amount: 3 });
    expect(rows[21]).toEqual({ id: '21', name: 'd', amount: 4 });
  });

  it('renames duplicate and empty header names and unescapes "" in quoted ones', async () => {
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer('dup.csv', utf8('id,x,x,,amount,X\n1,2,3,4,5,6\n'));
    db.bindings.registerFileBuffer('dq.csv', utf8('id,"na""me",amount\n1,"a ""q""",2\n2,b,3\n'));
    const dup = await sniffCsv(db, 'dup.csv', DEFAULT_READ);
    expect(dup.columns.map((c) => c.name)).toEqual(['id', 'x', 'x_1', 'column3', 'amount', 'X_2']);
    const dq = await sniffCsv(db, 'dq.csv', DEFAULT_READ);
    expect(dq.columns.map((c) => c.name)).toEqual(['id', 'na"me', 'amount']);
    expect(await db.rows(`SELECT "na""me" AS v FROM ${csvFrom('dq.csv', dq, 'rejects_dq')}`)).toEqual([{ v: 'a "q"' }, { v: 'b' }]);
  });

  it('counts the rejected lines after the sniffed rows', async () => {
    const db = await openTestDatabase();
    const rejects = cases.find((c) => c.name === 'rejects after the sniffed rows')!;
    db.bindings.registerFileBuffer('r.csv', rejects.bytes);
    const dialect = await sniffCsv(db, 'r.csv', DEFAULT_READ);
    expect(dialect.columns.map((c) => c.name)).toEqual(['order_id', 'order_date', 'customer_id', 'amount', 'note']);
    const from = csvFrom('r.csv', dialect, 'rejects_r');
    await profileColumns(db, from, dialect.columns);
    // As the staging reads it: every column (a count(*) alone would not decode the notes).
    await db.exec(`CREATE TABLE staged_r AS SELECT * FROM ${from}`);
    const [{ n }] = await db.rows<{ n: number }>('SELECT count(*) AS n FROM staged_r');
    // Rows 0..59,999 after the header: row 30,000 is on line 30,002, row 40,000 on line 40,002.
    expect(n).toBe(59_998);
    const r = await rejectedLines(db, 'rejects_r');
    expect(r.count).toBe(2);
    expect(r.examples.map((e) => [e.line, e.error_type])).toEqual([
      [30_002, 'INVALID ENCODING'],
      [40_002, 'LINE SIZE OVER MAXIMUM'],
    ]);
    expect(r.examples[1].message).toContain('Maximum line size of 2000000 bytes');
  });
});

describe('ragged rows', () => {
  // As the workspace stages: with the overflow column (and the serial reader for a quoted line break).
  const read = async (name: string, text: string, purpose: 'stage' | 'serial' = 'stage') => {
    const db = await openTestDatabase();
    db.bindings.registerFileBuffer(name, utf8(text));
    const dialect = await sniffCsv(db, name, DEFAULT_READ);
    const rows = await db.rows<Record<string, unknown>>(`SELECT * FROM ${csvFrom(name, dialect, 'rejects_x', purpose, null, true)}`);
    return { dialect, rows };
  };

  it('finds the delimiter and the header when rows among the sniffed ones have too many fields', async () => {
    const { dialect, rows } = await read('many.csv', 'id,name,amount\n1,a,2\n2,b,3,4\n3,c,4\n4,d,5,6,7\n');
    expect(dialect).toMatchObject({ delimiter: ',', header: true });
    expect(dialect.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount']);
    // The first field past the header's three lands in __overflow: rows 2 and 4.
    expect(rows.map((r) => [r.id, r.amount, r.__overflow])).toEqual([
      ['1', '2', null],
      ['2', '3', '4'],
      ['3', '4', null],
      ['4', '5', '6'],
    ]);
  });

  it('finds them when rows have too few fields, and pads those rows', async () => {
    const few = await read('few.csv', 'id,name,amount\n1,a,2\n2,b\n3,c,4\n4\n');
    expect(few.dialect).toMatchObject({ delimiter: ',', header: true });
    expect(few.dialect.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount']);
    expect(few.rows.map((r) => [r.id, r.name, r.amount, r.__overflow])).toEqual([
      ['1', 'a', '2', null],
      ['2', 'b', null, null],
      ['3', 'c', '4', null],
      ['4', null, null, null],
    ]);
    const quoted = await read('ql.csv', 'id,name,amount\n1,a,2\n2,"b\nc",3\n3,d\n', 'serial');
    expect(quoted.dialect.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount']);
    expect(quoted.rows.map((r) => [r.id, r.name, r.amount, r.__overflow])).toEqual([
      ['1', 'a', '2', null],
      ['2', 'b\nc', '3', null],
      ['3', 'd', null, null],
    ]);
  });

  it('keeps a column that every row has, even with an empty header name', async () => {
    const { dialect, rows } = await read('trailing.csv', 'id,name,amount,\n1,a,2,\n2,b,3,\n');
    expect(dialect.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount', 'column3']);
    expect(rows.every((r) => r.__overflow === null)).toBe(true);
  });
});
