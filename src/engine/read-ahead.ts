// Read-ahead for the files DuckDB reads through the browser's FileReaderSync.
//
// DuckDB-WASM reads a dropped file synchronously, slice by slice, on the engine worker's one
// thread; the browser delivers those slices at ~200 MB/s here, so a 291 MB CSV (5M rows) spent
// 1.6–1.9 s of its 9 s staging read waiting for bytes, and parsing waited with it (native DuckDB
// reads from the page cache at several GB/s). A helper worker reads the file ahead in chunks on
// its own thread and transfers them (no copy); DuckDB's sequential reads are then served from
// those chunks. An asynchronous read in the engine worker itself does not help: it only makes
// progress while the worker is idle, which a running query never is (measured: 1 read of 24
// served, staging slower).
//
// Only a bounded window is held (`ahead` chunks not yet consumed); a read the chunks do not
// cover (a jump back, a second read of the file, the helper behind) falls back to the
// synchronous read, so the read-ahead changes when bytes arrive, never which bytes.

/** The reading side: a helper worker in the browser, anything that delivers chunks in tests. */
export interface ChunkSource {
  /** `n` more chunks may be read (chunks were consumed). */
  credit(n: number): void;
  stop(): void;
}

/** Start reading `blob` from `from` in chunks of `chunkBytes`, at most `ahead` not yet credited back. */
export type StartChunkSource = (
  blob: Blob,
  from: number,
  chunkBytes: number,
  ahead: number,
  onChunk: (offset: number, data: Uint8Array) => void,
) => ChunkSource;

export interface ReadAheadOptions {
  /** Smaller files are read as before. */
  minFileBytes: number;
  /** Smaller reads (DuckDB's probes of a file's head) are read as before. */
  minReadBytes: number;
  chunkBytes: number;
  /** Chunks read but not yet consumed, at most: the memory the read-ahead holds. */
  ahead: number;
}

/**
 * DuckDB's CSV reader asks for 32 MB at a time: a read spans up to 9 chunks of 4 MiB, and the
 * window must hold one read and the start of the next (with 8 chunks no read was ever served).
 */
export const READ_AHEAD_DEFAULTS: ReadAheadOptions = {
  minFileBytes: 4 << 20,
  minReadBytes: 1 << 20,
  chunkBytes: 4 << 20,
  ahead: 16,
};

interface Stream {
  blob: Blob;
  /** Offset of the first chunk not yet released. */
  from: number;
  chunks: Map<number, Uint8Array>;
  source: ChunkSource;
}

export class ReadAhead {
  private stream: Stream | null = null;
  /** Reads served from chunks, and bytes (for the benchmark's notes and the tests). */
  served = { reads: 0, bytes: 0 };

  constructor(
    private readonly startSource: StartChunkSource,
    private readonly options: ReadAheadOptions = READ_AHEAD_DEFAULTS,
  ) {}

  /** Start reading `blob` from its start (a file just registered: its sniff and staging reads follow). */
  prepare(blob: Blob): void {
    if (blob.size < this.options.minFileBytes) return;
    this.start(blob, 0);
  }

  /** Stop reading `blob` ahead (it is no longer registered), or whatever is read when omitted. */
  forget(blob?: Blob): void {
    if (!this.stream || (blob && this.stream.blob !== blob)) return;
    this.stream.source.stop();
    this.stream = null;
  }

  /**
   * Serve DuckDB's read of `bytes` at `location` of `blob` from the chunks: `write(data, at)`
   * copies each piece to offset `at` of the read's buffer. Returns the bytes served, or null:
   * read it synchronously (and, for a read the stream cannot serve, the stream moves there).
   */
  read(blob: Blob, location: number, bytes: number, write: (data: Uint8Array, at: number) => void): number | null {
    const { chunkBytes, minFileBytes, minReadBytes } = this.options;
    if (blob.size < minFileBytes || bytes < minReadBytes || location >= blob.size) return null;
    const end = Math.min(location + bytes, blob.size);
    const first = Math.floor(location / chunkBytes) * chunkBytes;
    const s = this.stream;
    if (!s || s.blob !== blob || first < s.from) {
      // Another file, or a jump back (a second read of this one): read ahead from here.
      this.start(blob, first);
      return null;
    }
    for (let at = first; at < end; at += chunkBytes) {
      if (!s.chunks.has(at)) {
        // The helper is behind: this read goes the synchronous way; chunks it passed are stale.
        this.release(s, location);
        return null;
      }
    }
    for (let at = first; at < end; at += chunkBytes) {
      const chunk = s.chunks.get(at)!;
      const lo = Math.max(location, at);
      const hi = Math.min(end, at + chunk.length);
      write(chunk.subarray(lo - at, hi - at), lo - location);
    }
    this.release(s, end);
    this.served.reads++;
    this.served.bytes += end - location;
    return end - location;
  }

  /** Release the chunks wholly before `offset` (all of them at the end of the file) and let the helper read on. */
  private release(s: Stream, offset: number): void {
    const { chunkBytes } = this.options;
    let released = 0;
    for (const at of [...s.chunks.keys()]) {
      if (at + chunkBytes <= offset || offset >= s.blob.size) {
        s.chunks.delete(at);
        released++;
      }
    }
    s.from = Math.max(s.from, Math.floor(offset / chunkBytes) * chunkBytes);
    if (released) s.source.credit(released);
  }

  private start(blob: Blob, from: number): void {
    this.forget();
    const chunks = new Map<number, Uint8Array>();
    const stream: Stream = { blob, from, chunks, source: undefined as unknown as ChunkSource };
    stream.source = this.startSource(blob, from, this.options.chunkBytes, this.options.ahead, (offset, data) => {
      if (this.stream !== stream) return;
      if (offset >= stream.from) chunks.set(offset, data);
      else stream.source.credit(1); // passed already: its credit goes back
    });
    this.stream = stream;
  }
}
