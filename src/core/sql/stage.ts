// Staging: one pass over a source (a CSV read as text, or a typed Parquet table) that keeps
// every original column (attributes, duplicate detection, example rows) and adds the typed
// columns the mapping asks for. Parsing failures become NULLs here and are *counted* by the
// quality report, instead of aborting the load on the first bad cell.
import type { ColumnMapping } from '../mapping';
import { ident, str } from './ident';

export interface SourceColumn {
  name: string;
  /** DuckDB type of the column in the source (VARCHAR for CSV, which is read as text). */
  type: string;
}

export interface StageSpec {
  /** Target table name (internal, e.g. stg_0). */
  table: string;
  /** A FROM-clause expression, built only from ident()/str() pieces. */
  from: string;
  columns: SourceColumn[];
  mapping: ColumnMapping;
  /** strptime format for text dates; null = ISO / DuckDB's own cast. */
  dateFormat: string | null;
  decimalComma: boolean;
  /** Shown in quality examples. */
  fileLabel: string;
}

/** Internal typed columns carry a double-underscore prefix that user columns must not use. */
export const TYPED = {
  customer: '__customer_id',
  order: '__order_id',
  ts: '__ts',
  amount: '__amount',
  quantity: '__quantity',
  product: '__product',
  category: '__category',
  channel: '__channel',
  region: '__region',
  duplicate: '__dup',
} as const;

const isText = (type: string) => /^(VARCHAR|TEXT|STRING|BLOB)/i.test(type);
const isTemporal = (type: string) => /^(DATE|TIMESTAMP)/i.test(type);
const isNumeric = (type: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i.test(type);

function typeOf(spec: StageSpec, column: string): string {
  return spec.columns.find((c) => c.name === column)?.type ?? 'VARCHAR';
}

/** Text that is empty after trimming counts as missing. */
function textExpr(column: string, type: string): string {
  const c = ident(column);
  if (isText(type)) return `NULLIF(trim(${c}), '')`;
  return `NULLIF(trim(CAST(${c} AS VARCHAR)), '')`;
}

// Ids exported from spreadsheets often arrive as 17850.0: the id is 17850.
function idExpr(column: string, type: string): string {
  return `regexp_replace(${textExpr(column, type)}, '^(-?[0-9]+)\\.0+$', '\\1')`;
}

/** Numbers written by people: currency signs, thousands separators, decimal commas. */
export function numberExpr(column: string, type: string, decimalComma: boolean): string {
  const c = ident(column);
  if (isNumeric(type)) return `CAST(${c} AS DOUBLE)`;
  const stripped = `regexp_replace(trim(CAST(${c} AS VARCHAR)), '[\\s¥￥$€£]', '', 'g')`;
  const normalised = decimalComma
    ? `replace(replace(${stripped}, '.', ''), ',', '.')`
    : `replace(${stripped}, ',', '')`;
  // isfinite guards against 'inf'/'nan' text, which DuckDB would happily cast.
  return `(CASE WHEN isfinite(TRY_CAST(${normalised} AS DOUBLE)) THEN TRY_CAST(${normalised} AS DOUBLE) END)`;
}

export function timestampExpr(column: string, type: string, dateFormat: string | null): string {
  const c = ident(column);
  if (isTemporal(type)) return `CAST(${c} AS TIMESTAMP)`;
  const text = `trim(CAST(${c} AS VARCHAR))`;
  const parsed = [`TRY_CAST(${text} AS TIMESTAMP)`];
  if (dateFormat) parsed.unshift(`try_strptime(${text}, ${str(dateFormat)})`);
  // Integer dates such as 19970101 (CDNOW) are common in exports.
  parsed.push(`CASE WHEN regexp_full_match(${text}, '[12][0-9]{7}') THEN try_strptime(${text}, '%Y%m%d') END`);
  return `COALESCE(${parsed.join(', ')})`;
}

export function stageSql(spec: StageSpec): string {
  const m = spec.mapping;
  const typed: string[] = [];
  const text = (role: keyof ColumnMapping, name: string) => {
    const col = m[role];
    typed.push(`${col ? textExpr(col, typeOf(spec, col)) : 'CAST(NULL AS VARCHAR)'} AS ${ident(name)}`);
  };
  typed.push(`${m.customer_id ? idExpr(m.customer_id, typeOf(spec, m.customer_id)) : 'CAST(NULL AS VARCHAR)'} AS ${ident(TYPED.customer)}`);
  typed.push(`${m.order_id ? idExpr(m.order_id, typeOf(spec, m.order_id)) : 'CAST(NULL AS VARCHAR)'} AS ${ident(TYPED.order)}`);
  typed.push(`${m.order_date ? timestampExpr(m.order_date, typeOf(spec, m.order_date), spec.dateFormat) : 'CAST(NULL AS TIMESTAMP)'} AS ${ident(TYPED.ts)}`);
  const qty = m.quantity ? numberExpr(m.quantity, typeOf(spec, m.quantity), spec.decimalComma) : null;
  const price = m.unit_price ? numberExpr(m.unit_price, typeOf(spec, m.unit_price), spec.decimalComma) : null;
  const amount = m.amount
    ? numberExpr(m.amount, typeOf(spec, m.amount), spec.decimalComma)
    : qty && price
      ? `round(${qty} * ${price}, 6)`
      : 'CAST(NULL AS DOUBLE)';
  typed.push(`${amount} AS ${ident(TYPED.amount)}`);
  typed.push(`${qty ?? 'CAST(NULL AS DOUBLE)'} AS ${ident(TYPED.quantity)}`);
  text(m.product_name ? 'product_name' : 'product_id', TYPED.product);
  text('category', TYPED.category);
  text('channel', TYPED.channel);
  text('region', TYPED.region);

  const originals = spec.columns.map((c) => ident(c.name));
  // Exact duplicates: identical in every original column; the first copy is kept. Grouping
  // by a 64-bit hash of the row is much cheaper than a window over every column (one pass,
  // small aggregate); a false match needs a hash collision (~n²/2^65: 1e-6 at 5M rows).
  return `CREATE OR REPLACE TABLE ${ident(spec.table)} AS
WITH src AS (
  SELECT row_number() OVER () AS "_row", ${originals.join(', ')}, hash(${originals.join(', ')}) AS "_h" FROM ${spec.from}
),
dups AS (
  SELECT "_h", min("_row") AS "_keep" FROM src GROUP BY "_h" HAVING count(*) > 1
)
SELECT CAST(src."_row" AS INTEGER) AS "_row", ${str(spec.fileLabel)} AS "_file", ${originals.map((o) => `src.${o}`).join(', ')},
  ${typed.join(',\n  ')},
  (dups."_keep" IS NOT NULL AND src."_row" <> dups."_keep") AS ${ident(TYPED.duplicate)}
FROM src LEFT JOIN dups ON src."_h" = dups."_h"`;
}

/** Staged tables of several files (same layout, e.g. monthly exports) read as one. */
export function stagedUnionSql(tables: string[]): string {
  if (tables.length === 0) throw new Error('No staged tables');
  return `CREATE OR REPLACE VIEW staged AS ${tables.map((t) => `SELECT * FROM ${ident(t)}`).join(' UNION ALL BY NAME ')}`;
}

/** A user column whose name collides with our internal columns would be shadowed. */
export function reservedColumnNames(columns: SourceColumn[]): string[] {
  return columns.map((c) => c.name).filter((n) => n.startsWith('__') || n === '_row' || n === '_file');
}
