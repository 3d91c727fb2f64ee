// Text encodings of imported CSV/TSV bytes: detect, and transcode to UTF-8 in a stream.
// DuckDB's CSV reader wants UTF-8; Excel in China saves CSV as GBK/GB18030, and "Unicode
// text" from Excel is UTF-16LE. Pure TypeScript on TextDecoder/TextEncoder (no DOM, no Node
// APIs): it runs in the engine worker, in the browser and in Node (whose official builds
// carry full ICU, so TextDecoder('gb18030') works there too).
//
// Detection order, on the first ~64 KiB of a file:
//   1. a byte-order mark: EF BB BF (UTF-8), FF FE (UTF-16LE), FE FF (UTF-16BE),
//      84 31 95 33 (GB18030's own BOM);
//   2. UTF-16 without a BOM: text in CSV files is full of ASCII (digits, delimiters, line
//      breaks), and each ASCII character in UTF-16 is a zero byte next to a non-zero one —
//      zeros cluster in odd positions (LE) or even positions (BE). UTF-8 and GB18030 text
//      never contains zero bytes;
//   3. strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF); a multibyte
//      sequence cut off by the end of the sample is allowed, the sample ends anywhere;
//   4. otherwise a legacy 8-bit/double-byte encoding: GB18030 (a superset of GBK and GB2312,
//      what Excel in China writes) when the non-ASCII bytes come in GBK-shaped pairs, else
//      Windows-1252 (a superset of Latin-1: European exports such as the UCI Online Retail
//      CSV, where an accented letter is one high byte between ASCII bytes).

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

export interface EncodingGuess {
  encoding: TextEncodingName;
  /** bytes of BOM to skip */
  bom: number;
  confidence: 'bom' | 'valid-utf8' | 'heuristic';
}

export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'windows-1252'];

export function detectEncoding(head: Uint8Array): EncodingGuess {
  const b = head;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bom: 3, confidence: 'bom' };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, confidence: 'bom' };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bom: 2, confidence: 'bom' };
  if (b.length >= 4 && b[0] === 0x84 && b[1] === 0x31 && b[2] === 0x95 && b[3] === 0x33) return { encoding: 'gb18030', bom: 4, confidence: 'bom' };

  const utf16 = utf16ByZeroBytes(b);
  if (utf16) return { encoding: utf16, bom: 0, confidence: 'heuristic' };
  if (isValidUtf8(b, true)) return { encoding: 'utf-8', bom: 0, confidence: 'valid-utf8' };
  return { encoding: looksLikeGbk(b) ? 'gb18030' : 'windows-1252', bom: 0, confidence: 'heuristic' };
}

/**
 * GBK text is made of byte pairs, lead 0x81–0xFE then trail 0x40–0xFE (Chinese characters
 * use 0xA1–0xFE for both). Latin-1 text has single high bytes between ASCII letters. Count
 * which reading explains the high bytes better.
 */
function looksLikeGbk(b: Uint8Array): boolean {
  let pairs = 0;
  let singles = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] < 0x81) continue;
    const next = i + 1 < b.length ? b[i + 1] : -1;
    if (next >= 0x80 && next <= 0xfe) {
      pairs++;
      i++;
    } else if (next === -1) {
      // The sample ends mid-character: no evidence either way.
    } else {
      singles++;
    }
  }
  return pairs >= singles;
}

/**
 * Whether bytes must pass through createUtf8Transcoder before DuckDB reads them. A UTF-8 BOM
 * alone does not need it: DuckDB's CSV reader skips a UTF-8 BOM (verified against
 * duckdb-wasm 1.32 / DuckDB 1.4.3 in test/unit/encoding.test.ts).
 */
export function needsTranscoding(guess: EncodingGuess): boolean {
  return guess.encoding !== 'utf-8';
}

export interface Utf8Transcoder {
  /** UTF-8 bytes for this chunk; bytes of a character split across chunks wait for the next push. */
  push(chunk: Uint8Array): Uint8Array;
  /** The rest: an incomplete trailing sequence becomes U+FFFD. */
  flush(): Uint8Array;
}

/**
 * A streaming transcoder to UTF-8 without BOM. Chunk boundaries may fall anywhere, also
 * inside a multibyte character or a UTF-16 surrogate pair. Invalid input becomes U+FFFD
 * (never an exception), so a wrong guess shows as replacement characters, not as a failure.
 */
export function createUtf8Transcoder(encoding: TextEncodingName): Utf8Transcoder {
  // The UTF-8 and UTF-16 decoders drop their BOM themselves; GB18030's BOM (84 31 95 33)
  // decodes to U+FEFF, which is dropped below, as is a BOM the caller already skipped.
  const decoder = new TextDecoder(encoding, { fatal: false });
  const encoder = new TextEncoder();
  let atStart = true;
  const encode = (text: string): Uint8Array => {
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return encoder.encode(text);
  };
  return {
    push: (chunk) => encode(decoder.decode(chunk, { stream: true })),
    flush: () => encode(decoder.decode()),
  };
}

/** Decodes the head of a file for a preview; a character cut off at the end is left out. */
export function decodeHead(head: Uint8Array, encoding: TextEncodingName): string {
  const text = new TextDecoder(encoding, { fatal: false }).decode(head, { stream: true });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * U+FFFD characters in decoded text. Transcoded text with more than a few of them means
 * the encoding was guessed wrong (e.g. a Windows-1252 file read as GB18030): warn the user.
 */
export function countReplacementChars(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------

/** Zero bytes that sit almost only in odd (LE) or only in even (BE) positions. */
function utf16ByZeroBytes(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(b.length / 2);
  if (pairs === 0) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < b.length; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const enough = Math.max(2, pairs * 0.05);
  if (oddZeros >= enough && oddZeros > 4 * evenZeros) return 'utf-16le';
  if (evenZeros >= enough && evenZeros > 4 * oddZeros) return 'utf-16be';
  return null;
}

/**
 * Strict UTF-8 validation (RFC 3629 table). With allowTruncatedEnd, a valid prefix of a
 * multibyte sequence at the very end counts as valid: the sample was cut, not the file.
 */
export function isValidUtf8(b: Uint8Array, allowTruncatedEnd = false): boolean {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90; // no overlong
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return false;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return allowTruncatedEnd;
      const t = b[i + k];
      if (k === 1 ? t < lo || t > hi : t < 0x80 || t > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}
