// Reading files into staged tables: CSV/TSV through DuckDB's sniffer (read as text so a bad
// cell is counted, not fatal), Parquet through parquet-wasm row group by row group.
// Runs in the worker and, unchanged, in Node tests.
import type { FileReadSettings } from '../core/config';
import type { ColumnProfile } from '../core/mapping';
import { ident, str } from '../core/sql/ident';
import type { SourceColumn } from '../core/sql/stage';
import { type Database, EngineError } from './database';

export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  dateFormat: string | null;
  timestampFormat: string | null;
  /** Types DuckDB's sniffer inferred from a sample (the data itself is read as text). */
  columns: SourceColumn[];
}

const PROFILE_ROWS = 2000;
const SAMPLES_PER_COLUMN = 50;

export async function sniffCsv(db: Database, fileName: string, read: FileReadSettings): Promise<CsvDialect> {
  const options: string[] = [];
  // Whitespace-separated files are rewritten to tab-separated text when registered (worker.ts).
  if (read.delimiter) options.push(`delim=${str(read.delimiter === 'whitespace' ? '\t' : read.delimiter)}`);
  if (read.header !== null) options.push(`header=${read.header}`);
  const [row] = await db.rows<Record<string, unknown>>(
    `SELECT Delimiter, Quote, Escape, HasHeader, DateFormat, TimestampFormat FROM sniff_csv(${[str(fileName), ...options].join(', ')})`,
  );
  const quote = row.Quote === '(empty)' ? '' : String(row.Quote ?? '"');
  const escape = row.Escape === '(empty)' ? '' : String(row.Escape ?? '"');
  // Types come from a typed sniff with the dialect fixed (header names with "" inside quotes
  // are only unescaped correctly when the escape character is passed explicitly).
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
  return {
    delimiter: String(row.Delimiter),
    quote: String(row.Quote ?? '"'),
    escape: String(row.Escape ?? '"'),
    header: Boolean(row.HasHeader),
    dateFormat: (row.DateFormat as string | null) ?? null,
    timestampFormat: (row.TimestampFormat as string | null) ?? null,
    columns: described.map((d) => ({ name: d.column_name, type: d.column_type })),
  };
}

/**
 * The FROM expression that reads a CSV as text with the dialect fixed (no second sniff).
 * Malformed lines go to a per-file rejects table, so the quality report can show them.
 */
export function csvFrom(fileName: string, dialect: CsvDialect, rejectsTable: string): string {
  const args = [
    str(fileName),
    `delim=${str(dialect.delimiter)}`,
    `quote=${str(dialect.quote === '(empty)' ? '' : dialect.quote)}`,
    `escape=${str(dialect.escape === '(empty)' ? '' : dialect.escape)}`,
    `header=${dialect.header}`,
    'all_varchar=true',
    'null_padding=true',
    'strict_mode=false',
    'store_rejects=true',
    `rejects_table=${str(rejectsTable)}`,
    `rejects_scan=${str(rejectsTable + '_scan')}`,
    `names=[${dialect.columns.map((c) => str(c.name)).join(', ')}]`,
  ];
  return `read_csv(${args.join(', ')})`;
}

/** What the mapping detector needs: names, types and a bounded sample of values. */
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
    const examples = await db.rows<Rejected>(
      `SELECT CAST(line AS INTEGER) AS line, CAST(error_type AS VARCHAR) AS error_type, error_message AS message
       FROM ${ident(rejectsTable)} ORDER BY line LIMIT ${limit}`,
    );
    return { count: n, examples };
  } catch {
    // No rejects table means the reader rejected nothing (it is created lazily).
    return { count: 0, examples: [] };
  }
}

/** Minimal view of parquet-wasm's ParquetFile, so Node tests and the worker can both feed it. */
export interface ParquetSource {
  numRowGroups(): number;
  readRowGroupIPC(index: number): Promise<Uint8Array>;
}

export async function loadParquet(
  db: Database,
  table: string,
  source: ParquetSource,
  onProgress: (done: number, total: number) => void,
  isCancelled: () => boolean,
): Promise<SourceColumn[]> {
  const groups = source.numRowGroups();
  if (groups === 0) throw new EngineError('error.emptyFile', 'The Parquet file has no row groups', undefined, 'input');
  await db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
  for (let g = 0; g < groups; g++) {
    if (isCancelled()) throw new EngineError('cancelled', 'The operation was cancelled', undefined, 'cancelled');
    db.insertArrowIPC(table, await source.readRowGroupIPC(g), g === 0);
    onProgress(g + 1, groups);
  }
  const described = await db.rows<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
  return described.map((d) => ({ name: d.column_name, type: d.column_type }));
}
