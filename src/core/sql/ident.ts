// The only place that escapes anything for SQL. User column names and values (from files,
// from the UI, from share links) reach SQL exclusively through these functions.

/** A quoted identifier: `"name"` with embedded quotes doubled. Works for any Unicode name. */
export function ident(name: string): string {
  if (name.includes('\u0000')) throw new Error('Identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal: `'value'` with embedded quotes doubled. */
export function str(value: string): string {
  if (value.includes('\u0000')) throw new Error('String literal contains a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A numeric literal; rejects NaN/Infinity so they can never be spliced into SQL. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return String(value);
}

/** An integer literal within bounds (bins, windows, limits). */
export function int(value: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): string {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Expected an integer in [${min}, ${max}], got ${value}`);
  }
  return String(value);
}

/** A DATE literal from an ISO day (YYYY-MM-DD); anything else throws. */
export function date(isoDay: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) throw new Error(`Not an ISO date: ${isoDay}`);
  return `DATE ${str(isoDay)}`;
}
