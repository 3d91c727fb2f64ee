// A table written out as VALUES: how the DuckDB script recreates rows that the app computed in
// memory and inserted as Arrow (e.g. the lifetime-value scores of each purchase history), so the
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

/** CREATE OR REPLACE TABLE … AS VALUES, one row per line; the columns must have equal lengths. */
export function valuesTableSql(table: string, columns: readonly ValuesColumn[]): string {
  const n = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== n)) throw new Error('Columns of different lengths');
  const names = columns.map((c) => ident(c.name)).join(', ');
  const casts = columns.map((c) => `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}`).join(', ');
  if (n === 0) return `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`).join(', ')} WHERE false`;
  const rows: string[] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = `(${columns.map((c) => literal(c.values[i], c.type)).join(', ')})`;
  return `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${casts} FROM (VALUES\n${rows.join(',\n')}\n) AS t(${names})`;
}
