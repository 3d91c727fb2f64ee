// Staging: one pass over a source (a CSV read as text, or a typed Parquet table) that keeps
// every original column (attributes, duplicate detection, example rows) and adds the typed
// columns the mapping asks for. Parsing failures become NULLs here and are *counted* by the
// quality report, instead of aborting the load on the first bad cell.
import type { ColumnMapping } from '../mapping';
import { ident, str } from './ident';
import { fillInSlices } from './slices';

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
  /**
   * Original columns dropped after staging because every value equals its typed copy (see
   * sparseColumns): the staged view shows the typed column under the original name.
   */
  typedOnly?: string[];
  /** `from` reads OVERFLOW_COLUMN after the file's columns (a CSV; importer.ts csvFrom). */
  overflow?: boolean;
  /** No row had extra fields: TYPED.extraFields was dropped after staging (the view gives NULL). */
  noExtraFields?: boolean;
}

/**
 * The staging reads' column after the file's own: holds the first field past the header's
 * count, so a row with too many fields (most often an unquoted comma inside a value: 1,234.50)
 * is flagged and left out of the analyses, not read with its values cut off (DuckDB's reader,
 * with strict_mode=false, drops the extra fields silently: amount 1 instead of 1,234.50). A
 * stricter reader would reject those rows, and also every row with a stray quote in a value
 * (24" monitor), which this one reads.
 */
export const OVERFLOW_COLUMN = '__overflow';

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
  /**
   * The first field past the header's count, for a row with more fields than the header (its
   * OVERFLOW_COLUMN), else NULL: such rows are left out, and the quality examples show it.
   */
  extraFields: '__extra_fields',
  /** hash() of the original columns, written while staging for duplicatesSql, then dropped. */
  rowHash: '__h',
} as const;

const isText = (type: string) => /^(VARCHAR|TEXT|STRING|BLOB)/i.test(type);
const isTemporal = (type: string) => /^(DATE|TIMESTAMP)/i.test(type);
const isNumeric = (type: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i.test(type);

function typeOf(spec: StageSpec, column: string): string {
  return spec.columns.find((c) => c.name === column)?.type ?? 'VARCHAR';
}

const asText = (column: string, type: string) => (isText(type) ? ident(column) : `CAST(${ident(column)} AS VARCHAR)`);

/** Text that is empty after trimming counts as missing. */
function textExpr(column: string, type: string): string {
  return `NULLIF(trim(${asText(column, type)}), '')`;
}

// Ids exported from spreadsheets often arrive as 17850.0: the id is 17850. The pattern needs
// a '.', so only ids containing one pay for the regular expression.
export function idExpr(column: string, type: string): string {
  const text = textExpr(column, type);
  return `(CASE WHEN contains(${asText(column, type)}, '.') THEN regexp_replace(${text}, '^(-?[0-9]+)\\.0+$', '\\1') ELSE ${text} END)`;
}

/**
 * Numbers written by people: currency signs, thousands separators, decimal commas. Not yet
 * guarded against 'inf'/'nan' (see finiteOrNull), so that the cast is written once.
 *
 * Fast path: most cells are plain numbers that DuckDB casts directly, and COALESCE evaluates
 * the cleaning (regular expression, replaces, a second cast) only for the rows the direct
 * cast rejected. A cell the direct cast accepts contains no currency sign, comma or inner
 * blank, so the cleaning would only have removed surrounding blanks, which the cast ignores
 * too: both paths give the same number (test/unit/stage-parse.test.ts compares them). With a
 * decimal comma a '.' is a thousands separator ("1.500" = 1500), so cells with a '.' always
 * take the cleaning path.
 */
function rawNumberExpr(column: string, type: string, decimalComma: boolean): string {
  const c = ident(column);
  if (isNumeric(type)) return `CAST(${c} AS DOUBLE)`;
  const text = asText(column, type);
  return `COALESCE(${numberFastExpr(text, decimalComma)}, ${numberCleanedExpr(text, decimalComma)})`;
}

/** The direct cast of the fast path (exported for the test that compares both paths). */
export function numberFastExpr(text: string, decimalComma: boolean): string {
  return decimalComma ? `(CASE WHEN NOT contains(${text}, '.') THEN TRY_CAST(${text} AS DOUBLE) END)` : `TRY_CAST(${text} AS DOUBLE)`;
}

/**
 * What the cleaning path strips, as mapping detection does (core/mapping.ts cleanNumberText),
 * so that a column detected as money is also read as money: blanks (also no-break and thin
 * spaces used as thousands separators), apostrophes (1'234.50), currency signs and codes
 * (12元, RMB 88); full-width digits are made half-width first (FULL_WIDTH).
 */
const NUMBER_NOISE = `[\\s\\x{00A0}\\x{202F}''’¥￥$€£₩₹元]|(?i:RMB|CNY|USD|EUR|GBP)`;

/** Full-width digits, point, comma and minus (１，２３４．５０ from Chinese input methods), as NFKC maps them. */
const FULL_WIDTH = { from: '０１２３４５６７８９．，－', to: '0123456789.,-' };

/** The cleaning path: strip blanks and currency signs, normalise digits and separators, cast. */
export function numberCleanedExpr(text: string, decimalComma: boolean): string {
  const halfWidth = `translate(trim(${text}), '${FULL_WIDTH.from}', '${FULL_WIDTH.to}')`;
  const stripped = `regexp_replace(${halfWidth}, '${NUMBER_NOISE}', '', 'g')`;
  const normalised = decimalComma ? `replace(replace(${stripped}, '.', ''), ',', '.')` : `replace(${stripped}, ',', '')`;
  return `TRY_CAST(${normalised} AS DOUBLE)`;
}

// isfinite guards against 'inf'/'nan' text, which DuckDB would happily cast.
const finiteOrNull = (value: string) => `(CASE WHEN isfinite(${value}) THEN ${value} END)`;

/**
 * A number as staged: parsed as above, 'inf'/'nan' rejected (text, and typed columns too: a
 * CSV column the reader typed as DOUBLE accepts 'inf' as the text path's cast does).
 */
export function numberExpr(column: string, type: string, decimalComma: boolean): string {
  return finiteOrNull(rawNumberExpr(column, type, decimalComma));
}

/**
 * Formats for which DuckDB's own timestamp cast, wherever both read a cell, reads the same
 * value: for these the (cheaper) cast may go first without changing any result, since the
 * order only matters when both succeed. Checked in test/unit/stage-parse.test.ts.
 */
export const ISO_FORMATS = new Set(['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M']);

export function timestampExpr(column: string, type: string, dateFormat: string | null): string {
  const c = ident(column);
  if (isTemporal(type)) return `CAST(${c} AS TIMESTAMP)`;
  const raw = asText(column, type);
  const text = `trim(${raw})`;
  const parsed = [`TRY_CAST(${text} AS TIMESTAMP)`];
  if (dateFormat && !ISO_FORMATS.has(dateFormat)) parsed.unshift(`try_strptime(${text}, ${str(dateFormat)})`);
  else if (dateFormat) {
    // The untrimmed cast first spares copying every cell (the cast ignores blanks around a
    // date-time, not around a bare date, hence the trimmed cast after it). Only for cells
    // that start with a digit: strptime reads words such as 'epoch' differently.
    parsed.unshift(`CASE WHEN ascii(${raw}) BETWEEN 48 AND 57 THEN TRY_CAST(${raw} AS TIMESTAMP) END`, `try_strptime(${text}, ${str(dateFormat)})`);
  } else parsed.unshift(`TRY_CAST(${raw} AS TIMESTAMP)`);
  // Integer dates such as 19970101 (CDNOW) are common in exports.
  parsed.push(`CASE WHEN regexp_full_match(${text}, '[12][0-9]{7}') THEN try_strptime(${text}, '%Y%m%d') END`);
  return `COALESCE(${parsed.join(', ')})`;
}

/** Whether `col` is mapped to exactly one role (a column that feeds two roles keeps its text). */
function soleSource(mapping: ColumnMapping, col: string | undefined): col is string {
  return Boolean(col) && Object.values(mapping).filter((c) => c === col).length === 1;
}

/** Columns a CSV reader types itself while staging (see typedCsvRead). */
export interface TypedRead {
  /** Column name -> the type the reader parses it as. */
  types: Record<string, 'DOUBLE' | 'TIMESTAMP'>;
  /** The strptime format of the TIMESTAMP column; null: DuckDB's own (ISO) cast. */
  timestampFormat: string | null;
}

/**
 * The money and date columns a CSV's reader can parse itself while staging, instead of reading
 * text and casting it: those the sniffer typed as numbers or dates in its sample. The reader's
 * typed parse is several times cheaper than text plus casts, and the original need not be kept
 * as text (at 1M rows the staging was ~0.5 s faster and held ~30 bytes less per row).
 *
 * Wherever the reader accepts a cell, it reads what the text path would (the same casts, and
 * the same strptime format, which for the ISO formats agrees with the cast: ISO_FORMATS); a
 * cell it cannot parse ("n/a" deep in the file, "1,200.50") becomes a CAST reject, and the
 * caller then reads that column as text (workspace.ts), where such cells are counted, not lost.
 * Not for decimal-comma files (the text path normalises separators) nor a column that is the
 * source of another role too (ids and labels stay text).
 */
export function typedCsvRead(mapping: ColumnMapping, sniffed: SourceColumn[], dateFormat: string | null, decimalComma: boolean): TypedRead | null {
  const sniffedType = (col: string) => sniffed.find((c) => c.name === col)?.type ?? 'VARCHAR';
  const types: TypedRead['types'] = {};
  if (!decimalComma) {
    for (const col of [mapping.amount, mapping.quantity, mapping.unit_price]) {
      if (soleSource(mapping, col) && isNumeric(sniffedType(col))) types[col] = 'DOUBLE';
    }
  }
  const date = mapping.order_date;
  if (soleSource(mapping, date) && /^(DATE|TIMESTAMP)$/i.test(sniffedType(date))) types[date] = 'TIMESTAMP';
  if (Object.keys(types).length === 0) return null;
  return { types, timestampFormat: date && types[date] ? dateFormat : null };
}

/** The typed read without `columns` (read as text instead); null when none is left. */
export function typedReadWithout(read: TypedRead, columns: readonly string[]): TypedRead | null {
  const types = Object.fromEntries(Object.entries(read.types).filter(([c]) => !columns.includes(c)));
  if (Object.keys(types).length === 0) return null;
  const dateKept = Object.values(types).includes('TIMESTAMP');
  return { types, timestampFormat: dateKept ? read.timestampFormat : null };
}

/** The source columns as a typed read delivers them. */
export function withReadTypes(columns: SourceColumn[], read: TypedRead): SourceColumn[] {
  return columns.map((c) => (read.types[c.name] ? { name: c.name, type: read.types[c.name] } : c));
}

/** A user column called rowid hides DuckDB's row id; such files number their rows themselves. */
const shadowsRowid = (columns: SourceColumn[]) => columns.some((c) => c.name.toLowerCase() === 'rowid');

/** The key of a staged row: its position among the file's data rows (1-based). */
function rowKey(spec: StageSpec): string {
  return shadowsRowid(spec.columns) ? '"_row"' : 'rowid';
}

interface TypedColumn {
  name: string;
  type: 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE';
  /** null: the role is not mapped, the column is NULL (added by the staged view, not stored). */
  expr: string | null;
}

/** Internal columns of the inner select: numbers parsed but not yet checked for inf/nan. */
const RAW = { amount: '__raw_amount', quantity: '__raw_quantity', price: '__raw_price' } as const;

/**
 * Original columns not stored at all, because their typed copy holds them exactly: a DOUBLE
 * amount or quantity (Parquet, or a CSV column the reader typed: typedCsvRead), stored as read,
 * inf/nan included, and a TIMESTAMP order date. The staged view renders the original from the
 * typed column and applies the typed copy's inf/nan check there (derivedNumbers). For a CSV at
 * 1M rows, writing these columns (even as NULL differences) cost ~0.13 s of the staging.
 * Only for a column that is the source of exactly one role.
 */
function derivedOriginals(spec: StageSpec): Map<string, string> {
  const m = spec.mapping;
  const derived = new Map<string, string>();
  for (const [col, typed] of [
    [m.amount, TYPED.amount],
    [m.quantity, TYPED.quantity],
  ] as const) {
    if (soleSource(m, col) && /^DOUBLE$/i.test(typeOf(spec, col))) derived.set(col, typed);
  }
  if (soleSource(m, m.order_date) && /^TIMESTAMP$/i.test(typeOf(spec, m.order_date))) derived.set(m.order_date, TYPED.ts);
  return derived;
}

/** The typed number columns stored unchecked (derivedOriginals): the staged view checks them. */
const derivedNumbers = (spec: StageSpec) => [...derivedOriginals(spec).values()].filter((t) => t !== TYPED.ts);

/** The text roles (ids and labels): their typed value is the trimmed text of one column. */
function textRoles(spec: StageSpec): { name: string; column: string | undefined; id: boolean }[] {
  const m = spec.mapping;
  return [
    { name: TYPED.customer, column: m.customer_id, id: true },
    { name: TYPED.order, column: m.order_id, id: true },
    { name: TYPED.product, column: m.product_name ?? m.product_id, id: false },
    { name: TYPED.category, column: m.category, id: false },
    { name: TYPED.channel, column: m.channel, id: false },
    { name: TYPED.region, column: m.region, id: false },
  ];
}

/**
 * Columns stored only where they differ from what their typed copy renders back: original
 * column name -> the typed column and its rendering as text. Ids and labels are nearly always
 * stored already trimmed, and dates as the format they were read with, so keeping both the
 * original and the typed value would write (and hold in memory) every value twice. The staged
 * view puts the original back: COALESCE(stored difference, rendering). Any rendering that is
 * a function of the typed value alone gives the original back exactly; a good one only makes
 * the differences rare. Only for a text column that is the source of exactly one role.
 */
function diffedColumns(spec: StageSpec): Map<string, { typed: string; render: string }> {
  const roles = textRoles(spec).filter((r) => r.column);
  const diffed = new Map<string, { typed: string; render: string }>();
  for (const r of roles) {
    const col = r.column!;
    if (!isText(typeOf(spec, col)) || roles.filter((o) => o.column === col).length > 1) continue;
    diffed.set(col, { typed: r.name, render: ident(r.name) });
  }
  const date = spec.mapping.order_date;
  if (date && isText(typeOf(spec, date)) && !roles.some((r) => r.column === date)) {
    const ts = ident(TYPED.ts);
    // DuckDB's own casts write the two ISO layouts about twice as fast as strftime does.
    const render =
      spec.dateFormat === '%Y-%m-%d %H:%M:%S' || !spec.dateFormat
        ? `CAST(${ts} AS VARCHAR)`
        : spec.dateFormat === '%Y-%m-%d'
          ? `CAST(CAST(${ts} AS DATE) AS VARCHAR)`
          : `strftime(${ts}, ${str(spec.dateFormat)})`;
    diffed.set(date, { typed: TYPED.ts, render });
  }
  return diffed;
}

function typedColumns(spec: StageSpec): { inner: string[]; typed: TypedColumn[] } {
  const m = spec.mapping;
  const inner: string[] = [];
  // Numbers are parsed in an inner select and checked in the outer one, so the parse (an
  // expression inside CASE, which DuckDB would not share) runs once per cell. Text roles are
  // computed in the inner select too, so that the outer one can compare them with the originals.
  const derived = derivedOriginals(spec);
  const number = (col: string | undefined, raw: string): string | null => {
    if (!col) return null;
    const type = typeOf(spec, col);
    inner.push(`${rawNumberExpr(col, type, spec.decimalComma)} AS ${ident(raw)}`);
    return finiteOrNull(ident(raw));
  };
  /** The stored value: unchecked where the staged view checks it (derivedNumbers). */
  const stored = (col: string | undefined, raw: string, checked: string | null) => (col && derived.has(col) ? ident(raw) : checked);
  const text = (role: ReturnType<typeof textRoles>[number]): string | null => {
    if (!role.column) return null;
    const type = typeOf(spec, role.column);
    inner.push(`${role.id ? idExpr(role.column, type) : textExpr(role.column, type)} AS ${ident(role.name)}`);
    return ident(role.name);
  };
  const qty = number(m.quantity, RAW.quantity);
  const price = m.amount ? null : number(m.unit_price, RAW.price);
  const amount = m.amount ? number(m.amount, RAW.amount) : qty && price ? `round(${qty} * ${price}, 6)` : null;
  const texts = Object.fromEntries(textRoles(spec).map((r) => [r.name, text(r)]));
  if (m.order_date) inner.push(`${timestampExpr(m.order_date, typeOf(spec, m.order_date), spec.dateFormat)} AS ${ident(TYPED.ts)}`);
  const ts = m.order_date ? ident(TYPED.ts) : null;
  const typed: TypedColumn[] = [
    { name: TYPED.customer, type: 'VARCHAR', expr: texts[TYPED.customer] },
    { name: TYPED.order, type: 'VARCHAR', expr: texts[TYPED.order] },
    { name: TYPED.ts, type: 'TIMESTAMP', expr: ts },
    { name: TYPED.amount, type: 'DOUBLE', expr: stored(m.amount, RAW.amount, amount) },
    { name: TYPED.quantity, type: 'DOUBLE', expr: stored(m.quantity, RAW.quantity, qty) },
    { name: TYPED.product, type: 'VARCHAR', expr: texts[TYPED.product] },
    { name: TYPED.category, type: 'VARCHAR', expr: texts[TYPED.category] },
    { name: TYPED.channel, type: 'VARCHAR', expr: texts[TYPED.channel] },
    { name: TYPED.region, type: 'VARCHAR', expr: texts[TYPED.region] },
    { name: TYPED.extraFields, type: 'VARCHAR', expr: spec.overflow && !spec.noExtraFields ? ident(OVERFLOW_COLUMN) : null },
  ];
  return { inner, typed };
}

/**
 * One streaming pass from the source into the staged table: every original column (text ids
 * and labels only where they differ from their typed copy, see diffedColumns) plus the typed
 * columns of the mapped roles. No window over the file and no join: a row's number is its
 * rowid (a table keeps insertion order, and the reader yields the file's data rows in order),
 * and exact duplicates are marked afterwards by duplicatesSql.
 */
export function stageSql(spec: StageSpec): string {
  const { inner, typed } = typedColumns(spec);
  const diffed = diffedColumns(spec);
  const numbered = shadowsRowid(spec.columns);
  const innerSelect = [
    ...(numbered ? ['CAST(row_number() OVER () AS INTEGER) AS "_row"'] : []),
    ...spec.columns.map((c) => ident(c.name)),
    ...(spec.overflow ? [ident(OVERFLOW_COLUMN)] : []),
    ...inner,
  ];
  const derived = derivedOriginals(spec);
  const originals = spec.columns.filter((c) => !derived.has(c.name)).map((c) => {
    const d = diffed.get(c.name);
    const o = ident(c.name);
    return d ? `CASE WHEN ${o} IS DISTINCT FROM ${d.render} THEN ${o} END AS ${o}` : o;
  });
  const outer = [
    ...(numbered ? ['"_row"'] : []),
    ...originals,
    ...typed.filter((t) => t.expr).map((t) => `${t.expr} AS ${ident(t.name)}`),
    `false AS ${ident(TYPED.duplicate)}`,
    // Hashed here, in the streaming pass, so that finding duplicates does not read and hash
    // every original column twice more (see duplicatesSql).
    `hash(${spec.columns.map((c) => ident(c.name)).join(', ')}) AS ${ident(TYPED.rowHash)}`,
  ];
  return `CREATE OR REPLACE TABLE ${ident(spec.table)} AS
SELECT ${outer.join(',\n  ')}
FROM (SELECT ${innerSelect.join(', ')} FROM ${spec.from})`;
}

/**
 * The row-hash search for duplicates runs over this many slices of the hash space, one
 * statement each: a GROUP BY over all 5M hashes of a 5M-row file grew the wasm heap (which never
 * shrinks) by ~210 MB and took 1.2 s; four slices, ~55 MB and 0.8 s (the smaller hash tables
 * also fit the caches better). Small files pay four scans of a tiny column.
 */
export const DUPLICATE_HASH_SLICES = 4;

/** Candidate hashes of duplicates, gathered slice by slice (see duplicateStatements). */
const DUP_HASHES = '__dup_hashes';

/**
 * Exact duplicates: identical in every original column (NULLs equal); the first copy is kept.
 * The 64-bit hash of the original columns stored while staging finds the candidates: hashes
 * that repeat, gathered in DUPLICATE_HASH_SLICES small aggregates. Only rows whose hash
 * repeats are then compared column by column, so a hash collision cannot mark a row. A text
 * column stored as a difference is compared as (difference, typed value): the pair is equal
 * exactly when the originals are, since both are functions of the original and give it back;
 * an original not stored at all (derivedOriginals) is compared through its typed copy.
 */
export function duplicateStatements(spec: StageSpec): string[] {
  const diffed = diffedColumns(spec);
  const derived = derivedOriginals(spec);
  const columns = [
    ...spec.columns.filter((c) => !derived.has(c.name)).map((c) => ident(c.name)),
    ...[...diffed.values()].map((d) => ident(d.typed)),
    ...[...derived.values()].map((t) => ident(t)),
  ].join(', ');
  const key = rowKey(spec);
  const t = ident(spec.table);
  const h = ident(TYPED.rowHash);
  const repeated = (slice: number) =>
    `SELECT ${h} FROM ${t} WHERE ${h} % ${DUPLICATE_HASH_SLICES} = ${slice} GROUP BY 1 HAVING count(*) > 1`;
  const hashes = ident(DUP_HASHES);
  return [
    ...fillInSlices(DUP_HASHES, { temp: true }, DUPLICATE_HASH_SLICES, repeated),
    `UPDATE ${t} SET ${ident(TYPED.duplicate)} = true WHERE ${key} IN (
  SELECT "__key" FROM (
    SELECT ${key} AS "__key", row_number() OVER (PARTITION BY ${columns} ORDER BY ${key}) AS "__copy"
    FROM ${t} WHERE ${h} IN (SELECT ${h} FROM ${hashes}))
  WHERE "__copy" > 1)`,
    `DROP TABLE ${hashes}`,
  ];
}

const CROSS_DUPLICATES = '__cross_dups';

/**
 * What the staged view's column `name` is compared by between rows of different files. Money,
 * quantity and date columns by the value read, and by their text only where no value could be
 * read: two exports write one value differently (20.50 and 20.5, 2024/2/3 and 2024-02-03), and
 * one file of a set may be read with typed columns while another, with a bad cell somewhere, is
 * read as text; the staged view then shows 20.5 for one and 20.50 for the other, and the same
 * row in both files went unfound. Every other column as written.
 */
function valueKeys(name: string, mapping: ColumnMapping): string[] {
  const typed = name === mapping.amount ? TYPED.amount : name === mapping.quantity ? TYPED.quantity : name === mapping.order_date ? TYPED.ts : null;
  const text = `CAST(${ident(name)} AS VARCHAR)`;
  const value = typed ? ident(typed) : name === mapping.unit_price ? `TRY_CAST(${text} AS DOUBLE)` : null;
  return value ? [value, `CASE WHEN ${value} IS NULL THEN ${text} END`] : [ident(name)];
}

/**
 * Exact duplicates across the files of a data set (the same export dropped twice under another
 * name, or two exports whose periods overlap). A row is marked when an earlier row is the same:
 * within its file, identical in every original column as the staged view shows it (what
 * duplicateStatements compares; the per-file marks are recomputed here with the other files in
 * view); in an earlier file, identical with money, quantities and dates compared by value
 * (valueKeys). A column one file lacks is NULL there. Only rows whose value hash repeats are
 * compared column by column. Also run when a file leaves a set of several, to clear marks that
 * pointed at its rows.
 */
export function crossFileDuplicateStatements(specs: StageSpec[]): string[] {
  const columns = [...new Set(specs.flatMap((spec) => spec.columns.map((c) => c.name)))];
  const exact = columns.map(ident).join(', ');
  // One mapping for the set (the workspace stages every file with the configured one).
  const mapping = specs[0]?.mapping ?? {};
  const values = columns.flatMap((n) => valueKeys(n, mapping)).join(', ');
  const fileOrder = `CASE "_file" ${specs.map((spec, i) => `WHEN ${str(spec.fileLabel)} THEN ${i}`).join(' ')} END`;
  const marks = ident(CROSS_DUPLICATES);
  // Candidates: rows whose value hash repeats. Rows identical as written within a file are
  // identical by value too (one file, one way of reading it), so they are among them.
  return [
    `CREATE OR REPLACE TEMP TABLE ${marks} AS
SELECT "_file", "_row" FROM (
  SELECT "_file", "_row",
    row_number() OVER (PARTITION BY ${exact} ORDER BY ${fileOrder}, "_row") AS "__copy",
    ${fileOrder} > min(${fileOrder}) OVER (PARTITION BY ${values}) AS "__in_earlier_file"
  FROM staged WHERE hash(${values}) IN (SELECT hash(${values}) FROM staged GROUP BY 1 HAVING count(*) > 1))
WHERE "__copy" > 1 OR "__in_earlier_file"`,
    ...specs.flatMap((spec) => {
      const t = ident(spec.table);
      const row = shadowsRowid(spec.columns) ? '"_row"' : 'CAST(rowid + 1 AS INTEGER)';
      const marked = `(SELECT "_row" FROM ${marks} WHERE "_file" = ${str(spec.fileLabel)})`;
      const dup = ident(TYPED.duplicate);
      return [
        `UPDATE ${t} SET ${dup} = true WHERE NOT ${dup} AND ${row} IN ${marked}`,
        `UPDATE ${t} SET ${dup} = false WHERE ${dup} AND ${row} NOT IN ${marked}`,
      ];
    }),
    `DROP TABLE ${marks}`,
  ];
}

/** Staging a source: the table, then the duplicate marks (the row hash is needed no more). */
export function stageStatements(spec: StageSpec): string[] {
  return [stageSql(spec), ...duplicateStatements(spec), `ALTER TABLE ${ident(spec.table)} DROP COLUMN ${ident(TYPED.rowHash)}`];
}

/**
 * Stored columns that are usually all NULL: the differences of ids and labels from their typed
 * copy (see diffedColumns) and the extra fields of malformed rows (TYPED.extraFields). Such a
 * column still costs ~6.5 bytes a row; once staged, the ones that hold nothing are dropped
 * (emptySparseColumns, dropColumnsSql) and the staged view makes them up (see withoutColumns).
 */
export function sparseColumns(spec: StageSpec): string[] {
  return [...diffedColumns(spec).keys(), ...(spec.overflow && !spec.noExtraFields ? [TYPED.extraFields] : [])];
}

/** One scan counting the values of every sparse column, one column each, named by position. */
export function sparseCountsSql(spec: StageSpec): string | null {
  const sparse = sparseColumns(spec);
  if (sparse.length === 0) return null;
  return `SELECT ${sparse.map((c, i) => `CAST(count(${ident(c)}) AS INTEGER) AS "${i}"`).join(', ')} FROM ${ident(spec.table)}`;
}

/** The sparse columns with no value (from sparseCountsSql's row), to drop. */
export function emptySparseColumns(spec: StageSpec, counts: Record<string, unknown>): string[] {
  return sparseColumns(spec).filter((_, k) => Number(counts[String(k)]) === 0);
}

/** Record that `dropped` sparse columns are gone: the staged view gives their values from elsewhere. */
export function withoutColumns(spec: StageSpec, dropped: string[]): void {
  spec.typedOnly = dropped.filter((c) => c !== TYPED.extraFields);
  spec.noExtraFields = dropped.includes(TYPED.extraFields);
}

export function dropColumnsSql(spec: StageSpec, columns: string[]): string[] {
  return columns.map((c) => `ALTER TABLE ${ident(spec.table)} DROP COLUMN ${ident(c)}`);
}

/**
 * Staged tables of several files (same layout, e.g. monthly exports) read as one, with each
 * row's file and data-row number, the original text of columns stored as differences, and
 * NULL columns for roles that are not mapped.
 */
export function stagedUnionSql(specs: StageSpec[]): string {
  if (specs.length === 0) throw new Error('No staged tables');
  const selects = specs.map((spec) => {
    const numbered = shadowsRowid(spec.columns);
    const row = numbered ? '"_row"' : 'CAST(rowid + 1 AS INTEGER) AS "_row"';
    const typedOnly = new Set(spec.typedOnly ?? []);
    const diffed = [...diffedColumns(spec)];
    const restored = [
      ...diffed.filter(([col]) => !typedOnly.has(col)).map(([col, d]) => `COALESCE(${ident(col)}, ${d.render}) AS ${ident(col)}`),
      ...derivedNumbers(spec).map((t) => `${finiteOrNull(ident(t))} AS ${ident(t)}`),
    ];
    const copies = [
      ...diffed.filter(([col]) => typedOnly.has(col)).map(([col, d]) => `${d.render} AS ${ident(col)}`),
      ...[...derivedOriginals(spec)].map(([col, t]) => `${ident(t)} AS ${ident(col)}`),
    ];
    const all = `*${numbered ? ' EXCLUDE ("_row")' : ''}${restored.length ? ` REPLACE (${restored.join(', ')})` : ''}`;
    const nulls = typedColumns(spec).typed.filter((t) => !t.expr).map((t) => `CAST(NULL AS ${t.type}) AS ${ident(t.name)}`);
    return `SELECT ${[row, `${str(spec.fileLabel)} AS "_file"`, all, ...copies, ...nulls].join(', ')} FROM ${ident(spec.table)}`;
  });
  return `CREATE OR REPLACE VIEW staged AS ${selects.join(' UNION ALL BY NAME ')}`;
}

/** A user column whose name collides with our internal columns would be shadowed. */
export function reservedColumnNames(columns: SourceColumn[]): string[] {
  return columns.map((c) => c.name).filter((n) => n.startsWith('__') || n === '_row' || n === '_file');
}
