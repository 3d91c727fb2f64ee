// Reading files into staged tables: CSV/TSV through DuckDB's sniffer (read as text so a bad
// cell is counted, not fatal), Parquet through parquet-wasm row group by row group.
// Runs in the worker and, unchanged, in Node tests.
import type { FileReadSettings } from '../core/config';
import type { ColumnProfile } from '../core/mapping';
import { ident, str } from '../core/sql/ident';
import { OVERFLOW_COLUMN, type SourceColumn, type TypedRead } from '../core/sql/stage';
import { type Database, EngineError, rethrowCancel } from './database';

export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  dateFormat: string | null;
  timestampFormat: string | null;
  /** Types DuckDB's sniffer inferred from a sample (the data itself is read as text). */
  columns: SourceColumn[];
  // The rest of what the reader needs to read with auto_detect=false (see csvFrom), as the
  // second sniff in sniffCsv found it. Optional so hand-made dialects (the load benchmark)
  // still work: absent means DuckDB's default, right for plain files.
  /** Line ending in read_csv's escaped spelling (backslash-n, backslash-r backslash-n, backslash-r). */
  newLine?: string;
  /** Lines before the header (or the first row) that the reader skips. */
  skipRows?: number;
  /** Comment character ('' = none). */
  comment?: string;
}

const PROFILE_ROWS = 2000;
const SAMPLES_PER_COLUMN = 50;

/**
 * How much of the file the sniffs and the profile sample have DuckDB read at a time.
 * DuckDB's default buffer is 16 × max_line_size = 32 MB, and every sniff_csv / read_csv
 * starts by reading one whole buffer: in the browser a FileReaderSync read of a 32 MB slice
 * of the File plus a copy into the wasm heap, which cost more than the sniffing itself (at
 * 1M rows the sniff needs its first 20,480 rows, ~1.3 MB; sniff, types and profile sample
 * went from ~700 ms to ~180 ms in headless Chromium). The sniffer reads on into the next
 * buffers until it has its sample, so the sample, and the result, do not depend on the
 * buffer size.
 * 2,000,000 is DuckDB's default max_line_size, and the buffer must not be smaller: a line
 * longer than the buffer is rejected (given buffer_size, DuckDB takes it as the line limit),
 * so at exactly the default the same lines are accepted and rejected, with the same
 * "Maximum line size of 2000000 bytes" message. (Larger is not safe either: with a 4 MB
 * buffer a 2.2 MB line is read instead of rejected.)
 */
const SNIFF_BUFFER_BYTES = 2_000_000;

/**
 * The whole-file reads (staging, serial) read 8 MB at a time, with the line limit kept at
 * DuckDB's default. With the default 32 MB buffers a read of 5M rows (323 MB) took ~110 MB more
 * of the wasm heap, which never shrinks (Node, CREATE TABLE … AS SELECT * FROM read_csv(…): the
 * heap grew to 829 MB against 716 MB, in the same time). (The app's peak is later, building the
 * clean orders: in the browser the staging now stays below it.)
 * Smaller buffers cost more reads, which the read-ahead (read-ahead.ts: 4 MiB chunks) serves;
 * 2 MB buffers, before it, made the 1M-row staging ~0.8-1 s slower (FileReaderSync per call).
 * A buffer larger than max_line_size becomes the line limit unless the limit is given too.
 */
const WHOLE_FILE_BUFFER_BYTES = 8 * 1024 * 1024;
const MAX_LINE_BYTES = 2_000_000;
const WHOLE_FILE_BUFFER = [`buffer_size=${WHOLE_FILE_BUFFER_BYTES}`, `max_line_size=${MAX_LINE_BYTES}`];

/**
 * DuckDB's sniff of the dialect. Rows with more or fewer fields than the rest among the sampled
 * ones (an unquoted comma in an amount, a short line) make it give up on the real delimiter:
 * it takes '|' (each line one column), reads the header as data with the widest row's count of
 * columns, or fails. Then it sniffs again with ignore_errors, which leaves such rows out of the
 * vote, and takes that answer if it finds more than one column, or a header where the first
 * found none. Not always: ignore_errors also makes a title line above the header the header.
 * A file that is not valid UTF-8 still fails (the message says to choose its encoding).
 */
async function sniffDialect(db: Database, fileName: string, options: string[]): Promise<Record<string, unknown>> {
  const sniff = async (tolerant: boolean) =>
    (
      await db.rows<Record<string, unknown>>(
        `SELECT Delimiter, Quote, Escape, HasHeader, DateFormat, TimestampFormat, Columns FROM sniff_csv(${[
          str(fileName),
          ...options,
          ...(tolerant ? ['ignore_errors=true'] : []),
          `buffer_size=${SNIFF_BUFFER_BYTES}`,
        ].join(', ')})`,
      )
    )[0];
  const names = (r: Record<string, unknown>) => Array.from(r.Columns as Iterable<{ name: unknown }>, (c) => String(c.name));
  let strict: Record<string, unknown>;
  try {
    strict = await sniff(false);
  } catch (e) {
    rethrowCancel(e);
    const message = e instanceof EngineError ? e.causeMessage : String(e);
    if (/unicode|encoding/i.test(message)) throw e;
    try {
      return await sniff(true);
    } catch {
      throw e;
    }
  }
  const [first, ...others] = names(strict);
  const oneColumnOfFields = others.length === 0 && /[,;\t|]/.test(first ?? '');
  if (!oneColumnOfFields && strict.HasHeader) return strict;
  try {
    const tolerant = await sniff(true);
    if (oneColumnOfFields ? names(tolerant).length > 1 : Boolean(tolerant.HasHeader)) return tolerant;
  } catch (e) {
    rethrowCancel(e);
    // The first answer stands.
  }
  return strict;
}

export async function sniffCsv(db: Database, fileName: string, read: FileReadSettings): Promise<CsvDialect> {
  const options: string[] = [];
  // Whitespace-separated files are rewritten to tab-separated text when registered (worker.ts).
  if (read.delimiter) options.push(`delim=${str(read.delimiter === 'whitespace' ? '\t' : read.delimiter)}`);
  if (read.header !== null) options.push(`header=${read.header}`);
  const row = await sniffDialect(db, fileName, options);
  const headerColumns = Array.from(row.Columns as Iterable<unknown>).length;
  const quote = row.Quote === '(empty)' ? '' : String(row.Quote ?? '"');
  const escape = row.Escape === '(empty)' ? '' : String(row.Escape ?? '"');
  // Column names, types and the rest of the reading dialect (new_line, skip, comment) come
  // from a second sniff with the dialect fixed and csvFrom's own settings (null_padding,
  // strict_mode=false): it finds what the reader's own sniff found when csvFrom still let
  // DuckDB auto-detect (it replaces a DESCRIBE of that read, same cost, and also reports
  // new_line/skip/comment). The first sniff's Columns are not a substitute: ragged rows in
  // the sample give other types there, and a title line above the header is skipped there
  // but read as the header by this reader. (Header names with "" inside quotes are only
  // unescaped correctly when the escape character is passed explicitly, as here.) Its null
  // padding makes it add a column for each field past the header in the widest sampled row:
  // those are not columns of the file but fields of malformed rows (see OVERFLOW_COLUMN), so
  // only the first sniff's count of columns is kept.
  const [reading] = await db.rows<Record<string, unknown>>(
    `SELECT NewLineDelimiter, Comment, SkipRows, Columns FROM sniff_csv(${[
      str(fileName),
      `delim=${str(String(row.Delimiter))}`,
      `quote=${str(quote)}`,
      `escape=${str(escape)}`,
      `header=${read.header ?? Boolean(row.HasHeader)}`,
      'strict_mode=false',
      'null_padding=true',
      `buffer_size=${SNIFF_BUFFER_BYTES}`,
    ].join(', ')})`,
  );
  return {
    delimiter: String(row.Delimiter),
    quote: String(row.Quote ?? '"'),
    escape: String(row.Escape ?? '"'),
    header: Boolean(row.HasHeader),
    dateFormat: (row.DateFormat as string | null) ?? null,
    timestampFormat: (row.TimestampFormat as string | null) ?? null,
    // Columns is a LIST of STRUCT(name, type): an Arrow vector of struct rows here.
    columns: Array.from(reading.Columns as Iterable<{ name: unknown; type: unknown }>, (c) => ({
      name: String(c.name),
      type: String(c.type),
    })).slice(0, headerColumns),
    newLine: String(reading.NewLineDelimiter),
    skipRows: Number(reading.SkipRows ?? 0),
    comment: reading.Comment === '(empty)' ? '' : String(reading.Comment ?? ''),
  };
}

/**
 * How csvFrom reads: 'stage' the whole file for staging, 'sample' its first rows for the
 * profile, 'serial' the whole file when the staging read failed on a quoted field that spans
 * lines (see stageReadFailed).
 */
export type CsvReadPurpose = 'stage' | 'sample' | 'serial';

/**
 * The FROM expression that reads a CSV as text with the dialect fixed (with `typed`, the money
 * and date columns it names are parsed by the reader: stage.ts typedCsvRead). Malformed lines go
 * to a per-file rejects table, so the quality report can show them.
 *
 * 'stage': all_varchar with the sniffed names, DuckDB's reader left to check the dialect and
 * to use its parallel scanner: in the browser that read is the fastest over a whole file
 * (1M rows: ~1.9 s, against ~2.3–2.9 s with auto_detect=false, with or without parallel=false;
 * measured alternately in headless Chromium).
 *
 * 'sample' and 'serial': auto_detect=false, so DuckDB does not sniff the file again; nothing is
 * left to detect: delimiter, quote and escape come from sniffCsv's first sniff, and new_line,
 * skip and comment from its second, which runs with exactly this reader's settings
 * (null_padding, strict_mode=false) and so finds what the reader's own sniff would. The columns
 * are given by name as sniffed (duplicate and empty header names already renamed), all VARCHAR;
 * header=true still skips the header line. Rows, rejects and errors are the same as the
 * 'stage' read on every fixture and edge case in test/unit/importer-sniff.test.ts. And
 * parallel=false: DuckDB's parallel scanner refuses null_padding together with a quoted field
 * that spans lines (an address or a note typed with Alt+Enter in Excel); the single-threaded
 * scanner reads such files. The sample reads in small buffers (SNIFF_BUFFER_BYTES): a 32 MB
 * first read cost more than the rest of its LIMIT 2000 query (the rows do not depend on it).
 */
export function csvFrom(
  fileName: string,
  dialect: CsvDialect,
  rejectsTable: string,
  purpose: CsvReadPurpose = 'stage',
  typed: TypedRead | null = null,
  /** Read OVERFLOW_COLUMN too (the staging reads; see stage.ts). */
  overflow = false,
): string {
  // Money and date columns the reader parses itself (stage.ts typedCsvRead).
  const types = typed?.types ?? {};
  const timestampFormat = typed?.timestampFormat ? [`timestampformat=${str(typed.timestampFormat)}`] : [];
  const quote = str(dialect.quote === '(empty)' ? '' : dialect.quote);
  const escape = str(dialect.escape === '(empty)' ? '' : dialect.escape);
  const rejects = ['store_rejects=true', `rejects_table=${str(rejectsTable)}`, `rejects_scan=${str(rejectsTable + '_scan')}`];
  if (purpose === 'stage') {
    return `read_csv(${[
      str(fileName),
      `delim=${str(dialect.delimiter)}`,
      `quote=${quote}`,
      `escape=${escape}`,
      `header=${dialect.header}`,
      'all_varchar=true',
      ...(Object.keys(types).length ? [`types={${Object.entries(types).map(([c, t]) => `${str(c)}: ${str(t)}`).join(', ')}}`] : []),
      ...timestampFormat,
      'null_padding=true',
      'strict_mode=false',
      ...WHOLE_FILE_BUFFER,
      ...rejects,
      `names=[${[...dialect.columns.map((c) => c.name), ...(overflow ? [OVERFLOW_COLUMN] : [])].map(str).join(', ')}]`,
    ].join(', ')})`;
  }
  // Only the spellings read_csv accepts; anything else leaves DuckDB's default (\n or \r\n).
  const newLine = dialect.newLine && ['\\n', '\\r\\n', '\\r'].includes(dialect.newLine) ? dialect.newLine : null;
  return `read_csv(${[
    str(fileName),
    'auto_detect=false',
    `delim=${str(dialect.delimiter)}`,
    `quote=${quote}`,
    `escape=${escape}`,
    ...(newLine ? [`new_line=${str(newLine)}`] : []),
    `skip=${dialect.skipRows ?? 0}`,
    ...(dialect.comment ? [`comment=${str(dialect.comment)}`] : []),
    `header=${dialect.header}`,
    'null_padding=true',
    'strict_mode=false',
    'parallel=false',
    ...(purpose === 'sample' ? [`buffer_size=${SNIFF_BUFFER_BYTES}`] : WHOLE_FILE_BUFFER),
    ...timestampFormat,
    ...rejects,
    `columns={${[...dialect.columns.map((c) => `${str(c.name)}: ${str(types[c.name] ?? 'VARCHAR')}`), ...(overflow ? [`${str(OVERFLOW_COLUMN)}: 'VARCHAR'`] : [])].join(', ')}}`,
  ].join(', ')})`;
}

/**
 * The columns named by a typed read's cast errors (every bad cell of a row), in name order: the
 * staging reads them as text (workspace.ts stageFile).
 */
export async function castRejectColumns(db: Database, rejectsTable: string): Promise<string[]> {
  try {
    const rows = await db.rows<{ c: string }>(`SELECT DISTINCT CAST(column_name AS VARCHAR) AS c FROM ${ident(rejectsTable)} WHERE error_type = 'CAST' ORDER BY 1`);
    return rows.map((r) => r.c);
  } catch (e) {
    rethrowCancel(e);
    return []; // no rejects table: nothing was rejected
  }
}

/** Forget a failed typed read's cast errors (a text read never has any): they are not rejected lines. */
export async function clearCastRejects(db: Database, rejectsTable: string): Promise<void> {
  try {
    await db.exec(`DELETE FROM ${ident(rejectsTable)} WHERE error_type = 'CAST'`);
  } catch (e) {
    rethrowCancel(e);
    // no rejects table (the read failed before making one): nothing to forget
  }
}

/** Whether a staging read failed only because the parallel scanner met a quoted line break. */
export function stageReadFailed(e: unknown): boolean {
  const cause = e instanceof EngineError ? e.causeMessage : String(e);
  return /null_padding in conjunction with quoted new lines/i.test(cause);
}

/** What the mapping detector needs: names, types and a bounded sample of values (`from`: for a CSV, csvFrom's 'sample' read). */
export async function profileColumns(db: Database, from: string, columns: SourceColumn[]): Promise<ColumnProfile[]> {
  const sample = await db.rows<Record<string, unknown>>(`SELECT * FROM ${from} LIMIT ${PROFILE_ROWS}`);
  return columns.map((col) => {
    const values = sample.map((r) => r[col.name]).filter((v) => v !== null && v !== undefined && String(v).trim() !== '');
    const text = values.map((v) => (v instanceof Date ? v.toISOString() : String(v)));
    return {
      name: col.name,
      type: col.type,
      samples: text.slice(0, SAMPLES_PER_COLUMN),
      distinct: new Set(text).size,
      nonNull: text.length,
      rows: sample.length,
    };
  });
}

export interface Rejected {
  line: number;
  error_type: string;
  message: string;
}

export async function rejectedLines(db: Database, rejectsTable: string, limit = 5): Promise<{ count: number; examples: Rejected[] }> {
  try {
    const [{ n }] = await db.rows<{ n: number }>(`SELECT CAST(count(DISTINCT line) AS INTEGER) AS n FROM ${ident(rejectsTable)}`);
    // One example per line, as counted: the profile sample and the staging read record a bad
    // line among the first rows twice (and a line can fail in more than one way).
    const examples = await db.rows<Rejected>(
      `SELECT CAST(line AS INTEGER) AS line, min(CAST(error_type AS VARCHAR)) AS error_type, min(error_message) AS message
       FROM ${ident(rejectsTable)} GROUP BY line ORDER BY line LIMIT ${limit}`,
    );
    return { count: n, examples };
  } catch (e) {
    rethrowCancel(e);
    // No rejects table means the reader rejected nothing (it is created lazily).
    return { count: 0, examples: [] };
  }
}

/** Minimal view of parquet-wasm's ParquetFile, so Node tests and the worker can both feed it. */
export interface ParquetSource {
  numRowGroups(): number;
  readRowGroupIPC(index: number): Promise<Uint8Array>;
}

/** Row groups (~123k rows each) inserted between two compactions of a Parquet table. */
const PARQUET_COMPACT_GROUPS = 8;

/** Where a Parquet load gathers the row groups between two compactions (see loadParquet). */
export const PARQUET_CHUNK_TABLE = '__parquet_chunk';

/**
 * Whether to compact after inserting row group `g` (0-based) of `groups`: every `every` groups
 * and after the last. (A short tail once waited for the last compaction: its own cost ~0.9 s at
 * 1M rows, which was the merge of partial row groups that loadParquet no longer makes; gathered,
 * a 1-group tail compacts in ~9 ms.)
 */
export function compactAfterGroup(g: number, groups: number, every = PARQUET_COMPACT_GROUPS): boolean {
  const done = g + 1;
  return done % every === 0 || done >= groups;
}

/**
 * A Parquet file into `table`, compressed as it grows: the Parquet table is kept (a new mapping
 * stages it again) and is as large as the staged table, so it must not still be whole and
 * uncompressed when staging and the clean orders need the memory (5M rows: ~0.48 GB
 * uncompressed, ~0.15 GB compressed; memory to ready 1.9 GB with it compressed after the load,
 * 1.5 GB so). The row groups between two compactions are gathered in a table of their own and
 * moved into `table` by one INSERT: a file's row groups are rarely multiples of DuckDB's 122,880
 * rows, and each insert of one (124,503 rows, say) left a partial DuckDB row group behind, which
 * every later CHECKPOINT merged again (DuckDB-WASM in Node, 5M rows: compactions 13.7 → 7.3 s,
 * the copies +4.4 s, the load 21.2 → 18.1 s; the next CHECKPOINT after it 1.1 s → 9 ms).
 */
export async function loadParquet(
  db: Database,
  table: string,
  source: ParquetSource,
  onProgress: (done: number, total: number) => void,
  isCancelled: () => boolean,
): Promise<SourceColumn[]> {
  const groups = source.numRowGroups();
  if (groups === 0) throw new EngineError('error.emptyFile', 'The Parquet file has no row groups', undefined, 'input');
  const chunk = ident(PARQUET_CHUNK_TABLE);
  await db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
  await db.exec(`DROP TABLE IF EXISTS ${chunk}`);
  let gathering = false;
  let created = false;
  try {
    for (let g = 0; g < groups; g++) {
      if (isCancelled()) throw new EngineError('cancelled', 'The operation was cancelled', undefined, 'cancelled');
      db.insertArrowIPC(PARQUET_CHUNK_TABLE, await source.readRowGroupIPC(g), !gathering);
      gathering = true;
      if (compactAfterGroup(g, groups)) {
        await db.exec(created ? `INSERT INTO ${ident(table)} SELECT * FROM ${chunk}` : `CREATE TABLE ${ident(table)} AS SELECT * FROM ${chunk}`);
        created = true;
        // Dropped before the compaction: the gathered rows are never compressed themselves.
        await db.exec(`DROP TABLE ${chunk}`);
        gathering = false;
        await db.compact();
      }
      onProgress(g + 1, groups);
    }
  } finally {
    // A cancelled or failed load leaves no gathered rows behind.
    if (gathering) await db.exec(`DROP TABLE IF EXISTS ${chunk}`).catch(() => undefined);
  }
  const described = await db.rows<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
  return described.map((d) => ({ name: d.column_name, type: d.column_type }));
}
