// A table written out as VALUES: how the DuckDB script recreates rows that the app computed in
// memory and inserted as Arrow (e.g. the lifetime-value expectations of each frequency and age), so the
// script stays standalone and gives the same numbers. Doubles are written in full precision
// (JavaScript's shortest round-trip form, in exponent notation so DuckDB reads a DOUBLE, not a DECIMAL).
import { ident } from './ident';

export interface ValuesColumn {
  name: string;
  type: 'INTEGER' | 'DOUBLE';
  values: ArrayLike<number>;
}

function literal(v: number, type: ValuesColumn['type']): string {
  if (type === 'INTEGER') {
    if (!Number.isInteger(v)) throw new Error(`Not an integer: ${v}`);
    return String(v);
  }
  if (Number.isFinite(v)) return v.toExponential();
  return Number.isNaN(v) ? `'NaN'::DOUBLE` : v > 0 ? `'Infinity'::DOUBLE` : `'-Infinity'::DOUBLE`;
}

/**
 * CREATE OR REPLACE TABLE … AS VALUES, one row per line; the columns must have equal lengths.
 * With `shownRows`, as "Show SQL" prints it: that many rows, then how many follow (not runnable).
 */
export function valuesTableSql(table: string, columns: readonly ValuesColumn[], shownRows = Infinity): string {
  return valuesTableParts(table, columns, shownRows).join('');
}

/** Rows of values per part of valuesTableParts. */
const ROWS_PER_PART = 5000;

/**
 * valuesTableSql in parts whose concatenation is the statement, a few thousand rows each: a
 * statement of 410k rows is ~34 MB (the lifetime-value scores had one row per purchase history),
 * and a script Blob made from parts never holds it as one string (nor the array of every row's text).
 */
export function valuesTableParts(table: string, columns: readonly ValuesColumn[], shownRows = Infinity): string[] {
  const n = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== n)) throw new Error('Columns of different lengths');
  const names = columns.map((c) => ident(c.name)).join(', ');
  const casts = columns.map((c) => `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}`).join(', ');
  if (n === 0) return [`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`).join(', ')} WHERE false`];
  const shown = Math.min(n, shownRows);
  const parts = [`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${casts} FROM (VALUES\n`];
  for (let start = 0; start < shown; start += ROWS_PER_PART) {
    const end = Math.min(shown, start + ROWS_PER_PART);
    const rows: string[] = new Array(end - start);
    for (let i = start; i < end; i++) rows[i - start] = `(${columns.map((c) => literal(c.values[i], c.type)).join(', ')})`;
    parts.push((start > 0 ? ',\n' : '') + rows.join(',\n'));
  }
  const more = shown < n ? `,\n-- … ${(n - shown).toLocaleString('en-US')} more rows: in the copied or downloaded script` : '';
  parts.push(`${more}\n) AS t(${names})`);
  return parts;
}
