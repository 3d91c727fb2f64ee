// Whole lines from across a large CSV, read before staging it. The staging read parses the money
// and date columns its sniffer typed (stage.ts typedCsvRead), but the sniffer sees only the
// start of the file; a cell deeper in that does not parse ("n/a", "1,234.50", a total line at
// the end) makes the file be read a second time, as text. Parsing these lines the same way first
// finds most such files for a few milliseconds (workspace.ts), which then go straight to the
// text read. A probe that finds nothing decides nothing: the typed read still checks every row.

/** Smaller files are cheap to read twice, and the sniffer's sample covers much of them. */
export const PROBE_MIN_FILE_BYTES = 4 * 1024 * 1024;
/** Evenly spaced windows, the last ending at the end of the file (where total lines are). */
export const PROBE_WINDOWS = 8;
export const PROBE_WINDOW_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

/**
 * The complete lines of PROBE_WINDOWS byte windows, ending at each 1/PROBE_WINDOWS of the file,
 * each line ending in a newline; null for a small file.
 * A window's partial first line is dropped, and its partial last line unless it is the file's
 * last. `read(start, end)` gives bytes [start, end) of the file as DuckDB reads it (UTF-8).
 * Lines cut inside a quoted field that spans lines may be misread: at worst a file is read as
 * text when its typed read would have passed.
 */
export async function probeLines(size: number, read: (start: number, end: number) => Promise<Uint8Array>): Promise<Uint8Array | null> {
  if (size < PROBE_MIN_FILE_BYTES) return null;
  const parts: Uint8Array[] = [];
  for (let k = 1; k <= PROBE_WINDOWS; k++) {
    const end = Math.round((size * k) / PROBE_WINDOWS);
    const bytes = await read(end - PROBE_WINDOW_BYTES, end);
    const first = bytes.indexOf(NEWLINE);
    if (first < 0) continue; // one line longer than the window
    const atEnd = k === PROBE_WINDOWS;
    const last = atEnd ? bytes.length : bytes.lastIndexOf(NEWLINE) + 1;
    if (last <= first + 1) continue;
    parts.push(bytes.subarray(first + 1, last));
    if (atEnd && bytes[bytes.length - 1] !== NEWLINE) parts.push(Uint8Array.of(NEWLINE));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.length ? out : null;
}
