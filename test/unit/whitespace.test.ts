import { describe, expect, it } from 'vitest';
import { createWhitespaceToTsv, looksWhitespaceSeparated, whitespaceToTsv } from '../../src/core/whitespace';

describe('whitespaceToTsv', () => {
  it('turns runs of blanks into one tab and drops leading/trailing blanks, keeping CRLF', () => {
    expect(whitespaceToTsv(' 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n')).toBe(
      '00004\t0001\t19970101\t2\t29.33\r\n00004\t0001\t19970118\t2\t29.73\r\n',
    );
    expect(whitespaceToTsv('a \t b\t\tc  \nd e')).toBe('a\tb\tc\nd\te');
    // Commas inside fields survive (that is why the separator is a tab).
    expect(whitespaceToTsv('x 1,5 y\n')).toBe('x\t1,5\ty\n');
    // Blank lines stay blank; a BOM goes.
    expect(whitespaceToTsv('\uFEFF a b\n   \nc d\n')).toBe('a\tb\n\nc\td\n');
  });

  it('gives the same bytes whatever the chunk boundaries (runs and CRLF split across chunks)', () => {
    const text = ' 00004 0001 19970101  2   29.33\r\n 00021 0002 19970101  3   63.34\r\n  中文  名字 \n';
    const bytes = new TextEncoder().encode(text);
    const whole = whitespaceToTsv(text);
    for (const size of [1, 2, 3, 5, 7, 11]) {
      const t = createWhitespaceToTsv();
      const parts: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) parts.push(t.push(bytes.subarray(i, i + size)));
      parts.push(t.flush());
      const joined = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) {
        joined.set(p, o);
        o += p.length;
      }
      expect(new TextDecoder().decode(joined)).toBe(whole);
    }
    expect(whole).toBe('00004\t0001\t19970101\t2\t29.33\r\n00021\t0002\t19970101\t3\t63.34\r\n中文\t名字\n');
  });
});

describe('looksWhitespaceSeparated', () => {
  it('recognises CDNOW-like files and rejects ordinary text', () => {
    expect(looksWhitespaceSeparated(' 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n 00004 0001 1997')).toBe(true);
    // One field per line.
    expect(looksWhitespaceSeparated('a\nb\nc\n')).toBe(false);
    // A single line is not enough evidence.
    expect(looksWhitespaceSeparated('a b c\n')).toBe(false);
    // Lines with varying numbers of words (prose, or names with spaces) do not qualify.
    expect(looksWhitespaceSeparated('hello there\nthis is prose with words\nand more of it here\nok\n')).toBe(false);
  });
});
