// probeLines: whole lines from windows spread over a large file, the last line always included.
import { describe, expect, it } from 'vitest';
import { PROBE_MIN_FILE_BYTES, PROBE_WINDOW_BYTES, PROBE_WINDOWS, probeLines } from '../../src/core/csv-probe';

/** A file of numbered lines "line 000001\n" (12 bytes each), as bytes. */
function numberedLines(count: number, lastNewline = true): Uint8Array {
  let text = '';
  for (let i = 1; i <= count; i++) text += `line ${String(i).padStart(6, '0')}\n`;
  if (!lastNewline) text = text.slice(0, -1);
  return new TextEncoder().encode(text);
}
const reader = (bytes: Uint8Array) => async (start: number, end: number) => bytes.slice(Math.max(0, start), end);

describe('probeLines', () => {
  it('leaves small files alone', async () => {
    const small = numberedLines(1000);
    expect(await probeLines(small.length, reader(small))).toBeNull();
  });

  it('gives whole lines from each window, ending with the last line of the file', async () => {
    const lines = Math.ceil(PROBE_MIN_FILE_BYTES / 12) + 10;
    for (const lastNewline of [true, false]) {
      const file = numberedLines(lines, lastNewline);
      const probe = new TextDecoder().decode((await probeLines(file.length, reader(file)))!);
      const got = probe.split('\n');
      expect(got.pop()).toBe(''); // every line ends in a newline
      // Every line whole, and one of the file's.
      expect(got.every((l) => /^line \d{6}$/.test(l))).toBe(true);
      // A 64 KiB window holds 5,461 whole 12-byte lines, give or take the cut ones.
      expect(got.length).toBeGreaterThan(PROBE_WINDOWS * (Math.floor(PROBE_WINDOW_BYTES / 12) - 2));
      expect(got.length).toBeLessThanOrEqual(PROBE_WINDOWS * Math.ceil(PROBE_WINDOW_BYTES / 12));
      expect(got.at(-1)).toBe(`line ${String(lines).padStart(6, '0')}`);
      // The window ending at the middle of the file: its last whole line is the one before the middle.
      const middleLine = Math.floor(file.length / 2 / 12);
      expect(got).toContain(`line ${String(middleLine).padStart(6, '0')}`);
    }
  });
});
