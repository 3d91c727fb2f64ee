// Whitespace-separated text (fixed-width-looking exports such as CDNOW_sample.txt:
// " 00004 0001 19970101  2   29.33") → tab-separated text DuckDB's CSV reader can read.
//
// Every run of spaces and tabs between two fields becomes one tab; blanks at the start and
// end of a line are dropped; line ends (LF, CRLF, CR) are kept. A tab is the output
// separator, not a comma, because a tab cannot occur inside a field of such a file while a
// comma can (decimal commas, "1,234"). Quotes are not interpreted: a whitespace-separated
// file has no way to put a blank inside a field. A UTF-8 byte-order mark is dropped.
// Works on UTF-8 bytes in chunks of any size (a run may span two chunks).

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

export interface ByteTransform {
  push(chunk: Uint8Array): Uint8Array;
  flush(): Uint8Array;
}

export function createWhitespaceToTsv(): ByteTransform {
  let atLineStart = true;
  let pendingSeparator = false;
  let bomChecked = false;
  return {
    push(chunk: Uint8Array): Uint8Array {
      let start = 0;
      if (!bomChecked && chunk.length > 0) {
        // A BOM split across the first chunks is not worth handling: chunks are megabytes.
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
        bomChecked = true;
      }
      // Each separator replaces at least one blank, so the output is never longer than the
      // input — except for one separator owed by blanks at the end of the previous chunk.
      const out = new Uint8Array(chunk.length - start + 1);
      let n = 0;
      for (let i = start; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === SPACE || b === TAB) {
          if (!atLineStart) pendingSeparator = true;
        } else if (b === LF || b === CR) {
          pendingSeparator = false;
          atLineStart = true;
          out[n++] = b;
        } else {
          if (pendingSeparator) out[n++] = TAB;
          pendingSeparator = false;
          atLineStart = false;
          out[n++] = b;
        }
      }
      return out.subarray(0, n);
    },
    flush(): Uint8Array {
      return new Uint8Array(0);
    },
  };
}

/** Convenience for strings (tests, small samples). */
export function whitespaceToTsv(text: string): string {
  const t = createWhitespaceToTsv();
  const bytes = t.push(new TextEncoder().encode(text));
  return new TextDecoder().decode(bytes);
}

/**
 * Whether a file's first lines look whitespace-separated: at least two non-empty lines,
 * and at least 90 % of them split on blanks into the same number (≥ 2) of fields. Callers
 * also check that DuckDB's sniffer found a single column, so ordinary CSV files whose
 * values contain spaces are never rewritten.
 */
export function looksWhitespaceSeparated(head: string): boolean {
  const lines = head.split(/\r\n|\n|\r/);
  // The last line of a sample may be cut in the middle.
  if (lines.length > 1) lines.pop();
  const counts = lines.map((l) => l.trim()).filter((l) => l !== '').map((l) => l.split(/[ \t]+/).length);
  if (counts.length < 2) return false;
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [c, f] of freq) if (f > bestCount) [best, bestCount] = [c, f];
  return best >= 2 && bestCount >= 0.9 * counts.length;
}
