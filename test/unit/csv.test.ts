// CSV helpers (src/core/csv.ts) on hand-written cases: number formatting, dates, records, parsing.
import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvRow, formatCsvNumber, isoDate, parseCsv, toCsv } from '../../src/core/csv';

describe('formatCsvNumber', () => {
  it('writes plain decimals with a dot, no grouping and no exponent', () => {
    expect(formatCsvNumber(1234567.5)).toBe('1234567.5');
    expect(formatCsvNumber(-0.25)).toBe('-0.25');
    expect(formatCsvNumber(0)).toBe('0');
    expect(formatCsvNumber(-0)).toBe('0');
    expect(formatCsvNumber(1e21)).toBe('1000000000000000000000');
    expect(formatCsvNumber(1.5e-7)).toBe('0.00000015');
    expect(formatCsvNumber(-2.5e-9)).toBe('-0.0000000025');
    expect(formatCsvNumber(123456789012)).toBe('123456789012');
  });

  it('drops binary floating-point residue (15 significant digits)', () => {
    expect(formatCsvNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatCsvNumber(10.2 + 4.8)).toBe('15');
    expect(formatCsvNumber(1234.56 + 0.0000000000002)).toBe('1234.56');
    expect(formatCsvNumber(100 / 3)).toBe('33.3333333333333');
  });

  it('gives an empty cell for NaN and infinities', () => {
    expect(formatCsvNumber(Number.NaN)).toBe('');
    expect(formatCsvNumber(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe('');
  });
});

describe('cells and records', () => {
  it('dates as ISO days (UTC), date-times without the T; bigint and booleans as text', () => {
    expect(csvCell(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(csvCell(new Date(Date.UTC(2024, 1, 29, 13, 5, 9)))).toBe('2024-02-29 13:05:09');
    expect(csvCell(new Date(Number.NaN))).toBe('');
    expect(isoDate(Date.UTC(1999, 11, 31))).toBe('1999-12-31');
    expect(csvCell(12345678901234567890n)).toBe('12345678901234567890');
    expect(csvCell(true)).toBe('true');
  });

  it('escapes formulas in text but not negative numbers', () => {
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('=1+1,2')).toBe(`"'=1+1,2"`);
    expect(csvCell('\r=cmd')).toBe(`"'\r=cmd"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('csvRow ends with CRLF and quotes per RFC 4180', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 1.5, null])).toBe('a,"b,c","say ""hi""",1.5,\r\n');
  });
});

describe('parseCsv', () => {
  it('reads back what toCsv writes, including BOM, quotes, commas, line breaks and Chinese', () => {
    const rows = [
      ['重要价值客户', 'x,y', 'he said "no"', 'two\r\nlines', ''],
      ['=SUM(1,2)', '-3', '', 'a', 'b'],
    ];
    const text = toCsv(['c1', 'c2', 'c3', 'c4', 'c5'], rows);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['c1', 'c2', 'c3', 'c4', 'c5'],
      ['重要价值客户', 'x,y', 'he said "no"', 'two\r\nlines', ''],
      ["'=SUM(1,2)", "'-3", '', 'a', 'b'],
    ]);
  });

  it('accepts LF line ends and a last line without a line break', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,\n,')).toEqual([
      ['a', ''],
      ['', ''],
    ]);
    expect(parseCsv('')).toEqual([]);
  });
});
