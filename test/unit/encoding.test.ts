import { beforeAll, describe, expect, it } from 'vitest';
import {
  countReplacementChars,
  createUtf8Transcoder,
  decodeHead,
  detectEncoding,
  isValidUtf8,
  needsTranscoding,
  type TextEncodingName,
} from '../../src/core/encoding';
import type { Database } from '../../src/engine/database';
import { openTestDatabase } from './helpers/duckdb';

// Byte sequences are written out by hand (GBK code table; UTF-16 code units of the Unicode
// chart), cross-checked with Python's own codecs ('客户ID,金额\n'.encode('gbk') etc.), never
// produced by the TextDecoder/TextEncoder the code under test relies on.

// "客户ID,金额\n" in GBK: 客 BF CD, 户 BB A7, 金 BD F0, 额 B6 EE.
const GBK_HEADER = [0xbf, 0xcd, 0xbb, 0xa7, 0x49, 0x44, 0x2c, 0xbd, 0xf0, 0xb6, 0xee, 0x0a];
// "订单号,会员编号\n" in GBK: 订 B6 A9, 单 B5 A5, 号 BA C5, 会 BB E1, 员 D4 B1, 编 B1 E0, 号 BA C5.
const GBK_HEADER_2 = [0xb6, 0xa9, 0xb5, 0xa5, 0xba, 0xc5, 0x2c, 0xbb, 0xe1, 0xd4, 0xb1, 0xb1, 0xe0, 0xba, 0xc5, 0x0a];
// "客户ID,金额\n" in UTF-16LE: U+5BA2 U+6237 'I' 'D' ',' U+91D1 U+989D '\n'.
const UTF16LE_HEADER = [0xa2, 0x5b, 0x37, 0x62, 0x49, 0x00, 0x44, 0x00, 0x2c, 0x00, 0xd1, 0x91, 0x9d, 0x98, 0x0a, 0x00];
// The same in UTF-8: 客 E5 AE A2, 户 E6 88 B7, 金 E9 87 91, 额 E9 A2 9D.
const UTF8_HEADER = [0xe5, 0xae, 0xa2, 0xe6, 0x88, 0xb7, 0x49, 0x44, 0x2c, 0xe9, 0x87, 0x91, 0xe9, 0xa2, 0x9d, 0x0a];
const HEADER_TEXT = '客户ID,金额\n';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
/** ASCII text as UTF-16LE / BE code units, by hand. */
const asciiUtf16le = (s: string) => ascii(s).flatMap((c) => [c, 0]);
const swapPairs = (bytes: number[]) => bytes.flatMap((_, i) => (i % 2 === 0 ? [bytes[i + 1], bytes[i]] : []));

const ROWS = 'C1,12.50\nC2,3\nC1,7.25\n';
const bytes = (...parts: number[][]) => new Uint8Array(parts.flat());

function transcodeAll(encoding: TextEncodingName, input: Uint8Array, chunkSizes: number[]): string {
  const t = createUtf8Transcoder(encoding);
  const out: Uint8Array[] = [];
  let offset = 0;
  let k = 0;
  while (offset < input.length) {
    const size = chunkSizes[k++ % chunkSizes.length];
    out.push(t.push(input.subarray(offset, offset + size)));
    offset += size;
  }
  out.push(t.flush());
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes(...out.map((o) => [...o])));
}

describe('detectEncoding', () => {
  it('GBK bytes of Chinese headers → gb18030 (not valid UTF-8)', () => {
    const head = bytes(GBK_HEADER, ascii(ROWS));
    expect(isValidUtf8(head)).toBe(false);
    const guess = detectEncoding(head);
    expect(guess).toEqual({ encoding: 'gb18030', bom: 0, confidence: 'heuristic' });
    expect(needsTranscoding(guess)).toBe(true);
    expect(decodeHead(head, guess.encoding)).toBe(HEADER_TEXT + ROWS);
  });

  it('UTF-8 without BOM → utf-8, nothing to transcode', () => {
    const guess = detectEncoding(bytes(UTF8_HEADER, ascii(ROWS)));
    expect(guess).toEqual({ encoding: 'utf-8', bom: 0, confidence: 'valid-utf8' });
    expect(needsTranscoding(guess)).toBe(false);
  });

  it('UTF-8 with BOM → utf-8, bom 3, nothing to transcode', () => {
    const guess = detectEncoding(bytes([0xef, 0xbb, 0xbf], UTF8_HEADER));
    expect(guess).toEqual({ encoding: 'utf-8', bom: 3, confidence: 'bom' });
    expect(needsTranscoding(guess)).toBe(false);
  });

  it('UTF-16LE with BOM and without', () => {
    const body = bytes(UTF16LE_HEADER, asciiUtf16le(ROWS));
    expect(detectEncoding(bytes([0xff, 0xfe], [...body]))).toEqual({ encoding: 'utf-16le', bom: 2, confidence: 'bom' });
    const guess = detectEncoding(body);
    expect(guess).toEqual({ encoding: 'utf-16le', bom: 0, confidence: 'heuristic' });
    expect(needsTranscoding(guess)).toBe(true);
    expect(decodeHead(body, 'utf-16le')).toBe(HEADER_TEXT + ROWS);
  });

  it('UTF-16BE with BOM and without', () => {
    const body = swapPairs([...UTF16LE_HEADER, ...asciiUtf16le(ROWS)]);
    expect(detectEncoding(bytes([0xfe, 0xff], body))).toEqual({ encoding: 'utf-16be', bom: 2, confidence: 'bom' });
    expect(detectEncoding(bytes(body))).toEqual({ encoding: 'utf-16be', bom: 0, confidence: 'heuristic' });
    expect(decodeHead(bytes(body), 'utf-16be')).toBe(HEADER_TEXT + ROWS);
  });

  it('GB18030 BOM (84 31 95 33)', () => {
    expect(detectEncoding(bytes([0x84, 0x31, 0x95, 0x33], GBK_HEADER))).toEqual({ encoding: 'gb18030', bom: 4, confidence: 'bom' });
  });

  it('plain ASCII and an empty head are UTF-8', () => {
    expect(detectEncoding(bytes(ascii('id,amount\n1,2\n')))).toEqual({ encoding: 'utf-8', bom: 0, confidence: 'valid-utf8' });
    expect(detectEncoding(new Uint8Array())).toEqual({ encoding: 'utf-8', bom: 0, confidence: 'valid-utf8' });
  });

  it('a UTF-8 character cut off by the end of the sample still counts as UTF-8', () => {
    // 64 KiB heads end anywhere: here after the first two of 额's three bytes.
    const cut = bytes(UTF8_HEADER.slice(0, 14));
    expect(isValidUtf8(cut)).toBe(false);
    expect(isValidUtf8(cut, true)).toBe(true);
    expect(detectEncoding(cut).encoding).toBe('utf-8');
    expect(decodeHead(cut, 'utf-8')).toBe('客户ID,金');
  });

  it('strict UTF-8: overlong forms, surrogates, code points above U+10FFFF, stray continuation bytes', () => {
    expect(isValidUtf8(bytes([0xc0, 0x80]))).toBe(false); // overlong NUL
    expect(isValidUtf8(bytes([0xe0, 0x80, 0x80]))).toBe(false); // overlong
    expect(isValidUtf8(bytes([0xed, 0xa0, 0x80]))).toBe(false); // U+D800
    expect(isValidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(false); // U+110000
    expect(isValidUtf8(bytes([0x80]))).toBe(false);
    expect(isValidUtf8(bytes([0xe5, 0x41, 0x41]), true)).toBe(false); // broken, not truncated
    expect(isValidUtf8(bytes([0xf0, 0x9f, 0x98, 0x80]))).toBe(true); // U+1F600
    expect(isValidUtf8(bytes([0xef, 0xbf, 0xbf]))).toBe(true); // U+FFFF
  });

  it('a GBK file whose head happens to be ASCII is read as UTF-8 (harmless: same bytes)', () => {
    expect(detectEncoding(bytes(ascii('customer,amount\n'))).encoding).toBe('utf-8');
  });
});

describe('createUtf8Transcoder', () => {
  const expected = HEADER_TEXT + ROWS;

  it('GBK → UTF-8 with every chunk size from 1 byte, splitting characters', () => {
    const input = bytes(GBK_HEADER, ascii(ROWS));
    for (const size of [1, 2, 3, 5, 7, 64]) expect(transcodeAll('gb18030', input, [size])).toBe(expected);
    // Split exactly inside 客 (BF | CD) and inside 额 (B6 | EE).
    expect(transcodeAll('gb18030', input, [1, 9, 1, 1000])).toBe(expected);
  });

  it('GBK → UTF-8: the UTF-8 bytes are the ones written by hand', () => {
    const t = createUtf8Transcoder('gb18030');
    const out = [...t.push(bytes(GBK_HEADER.slice(0, 1))), ...t.push(bytes(GBK_HEADER.slice(1))), ...t.flush()];
    expect(out).toEqual(UTF8_HEADER);
    const t2 = createUtf8Transcoder('gb18030');
    expect([...t2.push(bytes(GBK_HEADER_2)), ...t2.flush()]).toEqual([
      ...[0xe8, 0xae, 0xa2], ...[0xe5, 0x8d, 0x95], ...[0xe5, 0x8f, 0xb7], 0x2c, // 订单号,
      ...[0xe4, 0xbc, 0x9a], ...[0xe5, 0x91, 0x98], ...[0xe7, 0xbc, 0x96], ...[0xe5, 0x8f, 0xb7], 0x0a, // 会员编号\n
    ]);
  });

  it('GB18030 four-byte sequences split across chunks (U+1F600 = 94 39 FC 36)', () => {
    expect(transcodeAll('gb18030', bytes([0x94, 0x39, 0xfc, 0x36, 0x0a]), [1])).toBe('\u{1f600}\n');
    expect(transcodeAll('gb18030', bytes([0x94, 0x39, 0xfc, 0x36, 0x0a]), [3, 2])).toBe('\u{1f600}\n');
  });

  it('UTF-16LE → UTF-8, chunks splitting code units and surrogate pairs (U+1F600 = 3D D8 00 DE)', () => {
    const input = bytes([0xff, 0xfe], UTF16LE_HEADER, [0x3d, 0xd8, 0x00, 0xde], asciiUtf16le(ROWS));
    const want = HEADER_TEXT + '\u{1f600}' + ROWS;
    for (const size of [1, 3, 5, 17]) expect(transcodeAll('utf-16le', input, [size])).toBe(want);
    // Split between the two surrogates: 2 (BOM) + 16 (header) + 2 (high surrogate).
    expect(transcodeAll('utf-16le', input, [20, 2, 1000])).toBe(want);
  });

  it('UTF-16BE → UTF-8', () => {
    const input = bytes([0xfe, 0xff], swapPairs([...UTF16LE_HEADER, ...asciiUtf16le(ROWS)]));
    expect(transcodeAll('utf-16be', input, [3])).toBe(expected);
  });

  it('drops a BOM, also one split across chunks, and also when the caller already skipped it', () => {
    const le = bytes([0xff, 0xfe], UTF16LE_HEADER);
    expect(transcodeAll('utf-16le', le, [1])).toBe(HEADER_TEXT);
    expect(transcodeAll('utf-16le', le.subarray(2), [1])).toBe(HEADER_TEXT);
    expect(transcodeAll('gb18030', bytes([0x84, 0x31, 0x95, 0x33], GBK_HEADER), [1])).toBe(HEADER_TEXT);
    expect(transcodeAll('utf-8', bytes([0xef, 0xbb, 0xbf], UTF8_HEADER), [1])).toBe(HEADER_TEXT);
    // Only the first one: a U+FEFF later in the text is content.
    expect(transcodeAll('utf-16le', bytes(asciiUtf16le('a'), [0xff, 0xfe], asciiUtf16le('b')), [1])).toBe('a\ufeffb');
  });

  it('an incomplete character at the very end becomes U+FFFD on flush', () => {
    const t = createUtf8Transcoder('gb18030');
    const head = t.push(bytes([0x41, 0xbf]));
    expect([...head]).toEqual([0x41]);
    expect([...t.flush()]).toEqual([0xef, 0xbf, 0xbd]);
  });

  it('a wrong guess shows as replacement characters (Windows-1252 "Café,1" read as GB18030)', () => {
    const cp1252 = bytes([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]); // é = E9 then ','
    const text = transcodeAll('gb18030', cp1252, [64]);
    expect(countReplacementChars(text)).toBe(1);
    expect(text).toBe('Caf\ufffd,1\n');
    expect(countReplacementChars(HEADER_TEXT)).toBe(0);
    expect(countReplacementChars('\ufffd\ufffda\ufffd')).toBe(3);
  });
});

describe('with DuckDB-WASM', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  }, 60_000); // wasm start-up on a busy machine outlasts the 10 s default hook timeout

  it("DuckDB's CSV reader skips a UTF-8 BOM (so needsTranscoding is false for it)", async () => {
    db.bindings.registerFileBuffer('bom.csv', bytes([0xef, 0xbb, 0xbf], UTF8_HEADER, ascii(ROWS)));
    const columns = await db.rows<{ column_name: string; column_type: string }>(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_csv('bom.csv'))`,
    );
    expect(columns).toEqual([
      { column_name: '客户ID', column_type: 'VARCHAR' },
      { column_name: '金额', column_type: 'DOUBLE' },
    ]);
    const sums = await db.rows<{ n: number; total: number }>(`SELECT count(*) AS n, sum("金额") AS total FROM read_csv('bom.csv')`);
    expect(sums).toEqual([{ n: 3, total: 22.75 }]);
    // Without a header row, the BOM does not stick to the first value either.
    db.bindings.registerFileBuffer('bom-noheader.csv', bytes([0xef, 0xbb, 0xbf], ascii(ROWS)));
    const first = await db.rows<{ c: string }>(`SELECT column0 AS c FROM read_csv('bom-noheader.csv', header = false) LIMIT 1`);
    expect(first).toEqual([{ c: 'C1' }]);
  });

  it('GBK file: detected, transcoded in chunks, read by DuckDB with its Chinese headers', async () => {
    const file = bytes(GBK_HEADER, ascii(ROWS));
    const guess = detectEncoding(file.subarray(0, 65_536));
    expect(needsTranscoding(guess)).toBe(true);
    const t = createUtf8Transcoder(guess.encoding);
    const parts: number[][] = [];
    for (let i = guess.bom; i < file.length; i += 5) parts.push([...t.push(file.subarray(i, i + 5))]);
    parts.push([...t.flush()]);
    db.bindings.registerFileBuffer('gbk.csv', bytes(...parts));
    const rows = await db.rows<{ customer: string; total: number }>(
      `SELECT "客户ID" AS customer, sum("金额") AS total FROM read_csv('gbk.csv') GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { customer: 'C1', total: 19.75 },
      { customer: 'C2', total: 3 },
    ]);
  });

  it('UTF-16LE file without BOM: the same', async () => {
    const file = bytes(UTF16LE_HEADER, asciiUtf16le(ROWS));
    const guess = detectEncoding(file);
    const t = createUtf8Transcoder(guess.encoding);
    db.bindings.registerFileBuffer('u16.csv', bytes([...t.push(file.subarray(guess.bom))], [...t.flush()]));
    const rows = await db.rows<{ n: number; total: number }>(`SELECT count(DISTINCT "客户ID") AS n, sum("金额") AS total FROM read_csv('u16.csv')`);
    expect(rows).toEqual([{ n: 2, total: 22.75 }]);
  });
});

describe('Latin-1 / Windows-1252 exports', () => {
  it('tells Windows-1252 (single high bytes) from GBK (byte pairs)', async () => {
    const { detectEncoding, createUtf8Transcoder } = await import('../../src/core/encoding');
    // "Description\nCAFÉ CRÈME,2\n" in Windows-1252: É = 0xC9, È = 0xC8, each between ASCII bytes.
    const latin = Uint8Array.from([...new TextEncoder().encode('Description\nCAF'), 0xc9, ...new TextEncoder().encode(' CR'), 0xc8, ...new TextEncoder().encode('ME,2\n')]);
    expect(detectEncoding(latin).encoding).toBe('windows-1252');
    const t = createUtf8Transcoder('windows-1252');
    expect(new TextDecoder().decode(new Uint8Array([...t.push(latin), ...t.flush()]))).toBe('Description\nCAFÉ CRÈME,2\n');
    // "客户" in GBK: BF CD BB A7 — pairs of high bytes.
    expect(detectEncoding(Uint8Array.from([0x61, 0x2c, 0xbf, 0xcd, 0xbb, 0xa7, 0x0a])).encoding).toBe('gb18030');
  });
});
