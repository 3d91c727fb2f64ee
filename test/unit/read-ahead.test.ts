// The read-ahead serves DuckDB's sequential reads from chunks a helper read ahead, byte for byte
// what a synchronous read gives, and falls back (null) whenever its chunks do not cover a read.
import { describe, expect, it } from 'vitest';
import { ReadAhead, type StartChunkSource } from '../../src/engine/read-ahead';

const options = { minFileBytes: 100, minReadBytes: 10, chunkBytes: 16, ahead: 4 };
const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 251);
const blob = new Blob([bytes]);

/** A helper that reads on demand: `deliver()` hands over every chunk its credit allows. */
function fakeHelper() {
  const log: string[] = [];
  let state: { from: number; next: number; credit: number; onChunk: (o: number, d: Uint8Array) => void } | null = null;
  const start: StartChunkSource = (b, from, chunkBytes, ahead, onChunk) => {
    expect(b).toBe(blob);
    expect(chunkBytes).toBe(16);
    log.push(`start ${from}`);
    const s = { from, next: from, credit: ahead, onChunk };
    state = s;
    return { credit: (n) => (s.credit += n, log.push(`credit ${n}`)), stop: () => log.push(`stop ${from}`) };
  };
  const deliver = () => {
    const s = state!;
    while (s.credit > 0 && s.next < bytes.length) {
      s.onChunk(s.next, bytes.slice(s.next, s.next + 16));
      s.next += 16;
      s.credit--;
    }
  };
  return { start, deliver, log };
}

/** A read as DuckDB's buffer sees it: null, or the bytes written. */
function read(ra: ReadAhead, location: number, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  const n = ra.read(blob, location, length, (data, at) => out.set(data, at));
  return n === null ? null : out.subarray(0, n);
}

describe('ReadAhead', () => {
  it('serves sequential reads across chunk boundaries, byte for byte, and releases what was read', () => {
    const h = fakeHelper();
    const ra = new ReadAhead(h.start, options);
    ra.prepare(blob);
    expect(read(ra, 0, 20)).toBeNull(); // nothing delivered yet: the synchronous read
    h.deliver(); // chunks 0, 16, 32, 48
    expect(read(ra, 0, 20)).toEqual(bytes.slice(0, 20));
    expect(h.log).toEqual(['start 0', 'credit 1']); // chunk 0 consumed
    h.deliver(); // chunk 64
    expect(read(ra, 20, 50)).toEqual(bytes.slice(20, 70));
    expect(h.log.at(-1)).toBe('credit 3'); // chunks 16, 32, 48
    h.deliver(); // 80, 96, 112
    expect(read(ra, 70, 40)).toEqual(bytes.slice(70, 110));
    h.deliver(); // 128, 144
    expect(read(ra, 110, 40)).toEqual(bytes.slice(110, 150));
    h.deliver(); // 160, 176, 192 (the last chunk is short)
    // Up to the end of the file: the last read is short, and every chunk is released.
    expect(read(ra, 150, 64)).toEqual(bytes.slice(150, 200));
    expect(h.log.at(-1)).toBe('credit 4');
    expect(ra.served).toEqual({ reads: 5, bytes: 200 });
  });

  it('falls back for small files and small reads, a read its window cannot hold, and a jump back', () => {
    const h = fakeHelper();
    const ra = new ReadAhead(h.start, options);
    const small = new Blob([bytes.slice(0, 50)]);
    ra.prepare(small);
    expect(h.log).toEqual([]); // below minFileBytes: no helper
    ra.prepare(blob);
    h.deliver();
    expect(read(ra, 0, 5)).toBeNull(); // below minReadBytes
    expect(read(ra, 0, 80)).toBeNull(); // needs 5 chunks, the window holds 4
    expect(read(ra, 0, 40)).toEqual(bytes.slice(0, 40));
    // A second read of the file from its start (e.g. with a column as text): the helper starts there again.
    expect(read(ra, 0, 40)).toBeNull();
    expect(h.log).toEqual(['start 0', 'credit 2', 'stop 0', 'start 0']);
    h.deliver();
    expect(read(ra, 0, 40)).toEqual(bytes.slice(0, 40));
  });

  it('drops chunks a synchronous read went past, giving their credit back, and stops for a forgotten file', () => {
    const h = fakeHelper();
    const ra = new ReadAhead(h.start, options);
    ra.prepare(blob);
    h.deliver(); // 0..63
    expect(read(ra, 64, 20)).toBeNull(); // the helper is behind: the chunks before 64 are stale
    expect(h.log).toEqual(['start 0', 'credit 4']);
    h.deliver(); // 64..127
    expect(read(ra, 64, 20)).toEqual(bytes.slice(64, 84));
    ra.forget(new Blob([bytes])); // another blob: nothing happens
    expect(h.log.at(-1)).toBe('credit 1');
    ra.forget(blob);
    expect(h.log.at(-1)).toBe('stop 0');
    expect(read(ra, 84, 20)).toBeNull(); // and a later read starts it again from there
    expect(h.log.at(-1)).toBe('start 80');
  });
});
