// CSV export: UTF-8 with a byte-order mark (so Excel opens Chinese text correctly), RFC 4180
// quoting, CRLF line ends, and formula-injection escaping (OWASP: a text cell that starts with
// = + - @, a tab or a carriage return is prefixed with an apostrophe so spreadsheets show it
// as text instead of evaluating it). Numbers are written as numbers: -0.25 stays a number.
// Numbers use '.' decimals, no grouping, no exponent and no binary residue (see formatCsvNumber);
// Date cells (and DATE values passed as Dates) are written as ISO days.

export type CsvCell = string | number | bigint | boolean | Date | null | undefined;

const BOM = '\uFEFF';
export const CSV_BOM = BOM;
export const CSV_EOL = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A number as plain decimal text: '.' decimals, no grouping, no exponent, at most 15 significant
 * digits (what a double holds reliably), so a sum of cents prints as 1234.56, not
 * 1234.5600000000002. Non-finite values give an empty cell.
 */
export function formatCsvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : BigInt(value).toString();
  const rounded = Number(value.toPrecision(15));
  const plain = String(rounded);
  if (!/e/i.test(plain)) return plain;
  // Very small or very large magnitudes: spell the digits out instead of 1.5e-7.
  const abs = Math.abs(rounded);
  if (abs >= 1) return BigInt(Math.round(rounded)).toString();
  const decimals = Math.min(100, 15 - Math.floor(Math.log10(abs)));
  return rounded.toFixed(decimals).replace(/\.?0+$/, '');
}

/** The ISO day (YYYY-MM-DD, UTC) of a DATE given as epoch milliseconds or a Date. */
export function isoDate(value: number | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

/** One cell: numbers as plain decimals (non-finite → empty), text escaped and quoted when needed. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatCsvNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: header + rows, BOM first, CRLF after every record. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

/** The same as a Blob ready for a download link. */
export function csvBlob(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Blob {
  return new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
}

/** One record terminated by CRLF, for exports built chunk by chunk (the BOM goes first, once). */
export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',') + CSV_EOL;
}

/**
 * Parse RFC 4180 text (with or without BOM, CRLF or LF line ends) into records of strings: for
 * tests and for reading back our own exports, not a sniffing reader.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let pending = false; // a record has started (so a last line without CRLF still counts)
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inQuotes) {
      if (ch !== '"') field += ch;
      else if (src[i + 1] === '"') {
        field += '"';
        i++;
      } else inQuotes = false;
    } else if (ch === '"') {
      inQuotes = true;
      pending = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      pending = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      pending = false;
    } else {
      field += ch;
      pending = true;
    }
  }
  if (pending) {
    record.push(field);
    records.push(record);
  }
  return records;
}
