// CSV export rules checked on hand-written cases: BOM, RFC 4180 quoting, formula injection.
import { describe, expect, it } from 'vitest';
import { csvBlob, csvCell, toCsv } from '../../../src/core/csv';

describe('csvCell', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('满意度')).toBe('满意度');
  });

  it('escapes text that a spreadsheet would evaluate as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
  });

  it('writes numbers as numbers, including negative ones, and blanks for missing values', () => {
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('toCsv', () => {
  it('starts with a BOM and ends every record with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, '=1+1']])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n,\'=1+1\r\n');
  });

  it('encodes as UTF-8 with the BOM bytes EF BB BF', async () => {
    const bytes = new Uint8Array(await csvBlob(['客户'], [['张三']]).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('客户\r\n张三\r\n');
  });
});
