// The one place that talks to DuckDB-WASM's synchronous bindings. Used unchanged by the
// browser worker (duckdb-browser-blocking) and by Node tests (duckdb-node-blocking).
//
// Queries run as *pending* queries polled in slices, yielding to the event loop between
// slices: that keeps the worker responsive to cancel requests (comlink messages) and lets
// DuckDB's progress callback reach the UI while a long load or aggregation runs.
import { DataType, makeVector, tableFromIPC, type Table, type Vector } from 'apache-arrow';
import { columnValues, isNumberColumn, numberColumn } from './arrow-columns';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { shortenForDisplay } from '../core/script';
import { ident } from '../core/sql/ident';

export class EngineError extends Error {
  constructor(
    /** Short, user-facing explanation (already translated or a message key). */
    readonly userMessage: string,
    /** DuckDB's (or the reader's) own message. */
    readonly causeMessage: string,
    /** The statement that failed, when there was one. */
    readonly sql?: string,
    readonly code: 'sql' | 'cancelled' | 'limit' | 'input' = 'sql',
  ) {
    super(`${userMessage}: ${causeMessage}`);
    this.name = 'EngineError';
  }
}

export class CancelledError extends EngineError {
  constructor(sql?: string) {
    super('cancelled', 'The operation was cancelled', sql, 'cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * For catch blocks that fall back on a failure (a tolerant sniff, "no rejects table" as "nothing
 * rejected"): a cancel is not such a failure and must go on up, or the step carries on.
 */
export function rethrowCancel(e: unknown): void {
  if (e instanceof EngineError && e.code === 'cancelled') throw e;
}

/** First line of a recorded statement the app did not run itself this time (see Database.note). */
export const NOTED_MARK = '-- (in the app: reused from an earlier step, or computed in memory from it)';
/** Marks a statement that makes, from values, the rows the app inserted from memory (see recordInsert). */
export const INSERTED_MARK = '-- (in the app: these rows were computed in memory and inserted as they are)';

/**
 * A recorded statement, or one written when needed (recordInsert), in parts whose concatenation
 * is the statement: whole, or as "Show SQL" prints it, with its first `shownRows` rows of values.
 */
export type RecordedSql = string | ((shownRows?: number) => string[]);

/** Rows of values "Show SQL" prints of a statement written from memory (see recordInsert). */
const SHOWN_ROWS = 200;

/**
 * The recorded statements as text: whole (the DuckDB script), or `forDisplay` as "Show SQL"
 * prints them (shortenForDisplay), without writing out every row of a table made from values.
 */
export function recordedText(recorded: readonly RecordedSql[], forDisplay = false): string[] {
  return recorded.map((r) => {
    if (typeof r !== 'string') return r(forDisplay ? SHOWN_ROWS : undefined).join('');
    return forDisplay ? shortenForDisplay(r) : r;
  });
}

/** The recorded statements whole, each in parts (a statement written from values in many). */
export function recordedParts(recorded: readonly RecordedSql[]): string[][] {
  return recorded.map((r) => (typeof r === 'string' ? [r] : r()));
}

/**
 * Between polls of a running query (each runs DuckDB for up to its 100 ms polling interval) the
 * worker yields to its event loop, so a cancel message gets through. A MessageChannel message
 * rather than setTimeout(0): nested timers are clamped to 4 ms from the fifth on, which idled the
 * engine ~4 % of every long query. Node (the unit tests' blocking build) keeps setTimeout: an
 * open MessagePort would hold its event loop.
 */
const yieldToEventLoop: () => Promise<void> =
  typeof MessageChannel === 'function' && typeof process === 'undefined'
    ? (() => {
        const channel = new MessageChannel();
        const waiting: (() => void)[] = [];
        channel.port1.onmessage = () => waiting.shift()?.();
        return () =>
          new Promise<void>((resolve) => {
            waiting.push(resolve);
            channel.port2.postMessage(null);
          });
      })()
    : () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The in-memory database the tables are created in (USE): one that may store them compressed. */
const WORK_DATABASE = 'workbench';
/** A checkpoint threshold no commit reaches. */
const NEVER_CHECKPOINT_ON_COMMIT = '1000 GB';

export class Database {
  private readonly conn: number;
  private cancelRequested = false;
  private running = false;
  /** Statements run since startRecording(), for "Show SQL" and DuckDB scripts. */
  private recorded: RecordedSql[] | null = null;
  /** Time spent in DuckDB (running and fetching) by the recorded statements: the benchmark's "SQL" part. */
  private recordedMs = 0;

  constructor(readonly bindings: DuckDBBindings) {
    // DuckDBConnection keeps its numeric id private; useUnsafe is the sanctioned way to get it.
    this.conn = bindings.connect().useUnsafe((_b, id) => id);
  }

  /**
   * Settings every session needs before the first query: no network, no surprise extensions,
   * and the tables in an in-memory database that can hold them compressed (see compact()).
   */
  async configure(): Promise<void> {
    await this.exec(`SET autoload_known_extensions=false`);
    await this.exec(`SET autoinstall_known_extensions=false`);
    await this.exec(`ATTACH ':memory:' AS ${WORK_DATABASE} (COMPRESS)`);
    await this.exec(`USE ${WORK_DATABASE}`);
    // DuckDB compresses a table when it checkpoints, and by default a commit that wrote more
    // than 16 MiB checkpoints: a 1M-row load would pay ~0.6 s per million rows for it before
    // its data is on screen. No checkpoint on commit: compact() compresses, after the load.
    await this.exec(`SET checkpoint_threshold = '${NEVER_CHECKPOINT_ON_COMMIT}'`);
  }

  /**
   * Compress the tables written since the last call (DuckDB's CHECKPOINT of the COMPRESS
   * in-memory database): dictionary + FSST for text, bit-packing for dates, ALP for money. The
   * staged and clean tables of 5M transactions go from ~750 MB to ~150 MB, and the views read
   * them faster (less memory to stream through). WebAssembly memory never shrinks, but what the
   * compression frees is reused by every later query: the views then fit in the memory the load
   * already took, instead of each adding its own. One statement that cannot be interrupted
   * (~0.55 s per million rows of a 7-column table, in one go); a cancel meanwhile waits for it.
   */
  async compact(): Promise<void> {
    await this.exec(`CHECKPOINT ${WORK_DATABASE}`);
  }

  /**
   * Ask the running query to stop: it throws CancelledError. Asked between two statements of a
   * step (a load runs dozens, with JavaScript work between them), or while a statement finishes
   * anyway, the next statement throws it instead of starting — once, so what runs after a cancel
   * to put the previous data back is not cancelled too. clearCancel() forgets it when a new step starts.
   */
  cancel(): void {
    this.cancelRequested = true;
    if (this.running) this.bindings.cancelPendingQuery(this.conn);
  }

  /** A new step starts: a cancel that came after the previous step's last statement is spent. */
  clearCancel(): void {
    this.cancelRequested = false;
  }

  /** Throws CancelledError (once) if a cancel is waiting. */
  private takeCancel(sql: string): void {
    if (!this.cancelRequested) return;
    this.cancelRequested = false;
    throw new CancelledError(sql);
  }

  get busy(): boolean {
    return this.running;
  }

  startRecording(): void {
    this.recorded = [];
    this.recordedMs = 0;
  }

  /** Milliseconds the statements recorded since startRecording() took to run. */
  get recordingMs(): number {
    return this.recordedMs;
  }

  /** Run probes (does a table exist?) outside the recording: they are not part of the analysis. */
  async unrecorded<T>(work: () => Promise<T>): Promise<T> {
    const saved = this.recorded;
    this.recorded = null;
    try {
      return await work();
    } finally {
      this.recorded = saved;
    }
  }

  /**
   * Record a statement without running it: a step an analysis reused from an earlier run, or
   * computed in TypeScript from one. Marked in the script (NOTED_MARK), so a reader — and the
   * benchmark, which compares only what DuckDB-WASM really ran — can tell.
   */
  note(sql: string): void {
    this.recorded?.push(`${NOTED_MARK}\n${sql}`);
  }

  /**
   * Records, in place of an Arrow insert (insertArrowIPC is not recorded), a statement that makes
   * the same rows from values, so the DuckDB script can rebuild what the app computed in memory.
   * Written only when the script is asked for (recordedText, recordedParts), not kept: the
   * lifetime-value expectations of 5M transactions are ~2.3 MB (they were 34 MB when every
   * purchase history had its row).
   */
  recordInsert(sql: (shownRows?: number) => string[]): void {
    this.recorded?.push((shownRows) => [`${INSERTED_MARK}\n`, ...sql(shownRows)]);
  }

  stopRecording(): RecordedSql[] {
    const statements = this.recorded ?? [];
    this.recorded = null;
    return statements;
  }

  async query(sql: string): Promise<Table> {
    if (this.running) throw new EngineError('engine busy', 'Another query is still running', sql);
    this.takeCancel(sql);
    this.running = true;
    const recording = this.recorded !== null;
    this.recorded?.push(sql);
    const started = performance.now();
    try {
      let buffer: Uint8Array | null;
      try {
        buffer = this.bindings.startPendingQuery(this.conn, sql, false);
        while (buffer === null) {
          await yieldToEventLoop();
          if (this.cancelRequested) {
            this.bindings.cancelPendingQuery(this.conn);
            this.takeCancel(sql);
          }
          buffer = this.bindings.pollPendingQuery(this.conn);
        }
      } catch (e) {
        if (e instanceof EngineError) throw e;
        this.takeCancel(sql);
        const message = e instanceof Error ? e.message : String(e);
        throw new EngineError(userMessageFor(message), message, sql, limitHit(message) ? 'limit' : 'sql');
      }
      // The pending query yields the schema; the record batches follow from fetchQueryResults.
      const chunks: Uint8Array[] = [buffer];
      // The end of the stream is an empty buffer (not null) in this build.
      for (;;) {
        const batch = this.bindings.fetchQueryResults(this.conn);
        if (!batch || batch.length === 0) break;
        chunks.push(batch);
      }
      // Read from the chunks as they are: Arrow reads each message where it lies (joined into one
      // buffer, a result was copied once more: ~30 MB for the 500k scored customers of 5M rows).
      return tableFromIPC(chunks);
    } finally {
      if (recording) this.recordedMs += performance.now() - started;
      this.running = false;
    }
  }

  /** Append an Arrow IPC stream to a table (created on the first batch). */
  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): void {
    try {
      this.bindings.insertArrowFromIPCStream(this.conn, ipc, { name: table, create });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new EngineError(userMessageFor(message), message, `-- insert Arrow batch into ${table}`, limitHit(message) ? 'limit' : 'sql');
    }
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql);
  }

  /**
   * Whether the tables (and their columns) can be read now: a LIMIT 0 read, unrecorded. Cheaper
   * than asking the catalog (duckdb_tables() costs ~10 ms in WASM, this ~1 ms).
   */
  async readable(tables: string | readonly string[], columns: readonly string[] = []): Promise<boolean> {
    const from = (typeof tables === 'string' ? [tables] : tables).map(ident).join(', ');
    return this.unrecorded(() => this.query(`SELECT ${columns.length ? columns.map(ident).join(', ') : '*'} FROM ${from} LIMIT 0`)).then(
      () => true,
      () => false,
    );
  }

  /** Plain objects for small results; BIGINT/HUGEINT become numbers, DATE/TIMESTAMP epoch ms. */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    return tableToRows<T>(await this.query(sql));
  }
}

export function tableToRows<T = Record<string, unknown>>(table: Table): T[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => plainColumn(table.getChildAt(i)!));
  const out: T[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][r];
    out[r] = row as T;
  }
  return out;
}

/**
 * A column's values as tableToRows gives them. Whole columns at a time where the type allows:
 * Arrow's Vector.get finds the record batch and the type's reader for every value (~1.1 s for the
 * 410k purchase histories of 5M transactions; whole columns take ~0.05 s). Numbers with NULLs and
 * other types (dates, timestamps, booleans, decimals) go value by value, one batch at a time.
 */
function plainColumn(vector: Vector): ArrayLike<unknown> {
  if (DataType.isUtf8(vector.type)) return columnValues(vector);
  if (vector.nullCount === 0 && isNumberColumn(vector)) return numberColumn(vector);
  const out: unknown[] = new Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const batch = makeVector(data);
    for (let i = 0; i < batch.length; i++) out[at++] = plainValue(batch.get(i));
  }
  return out;
}

function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  // Arrow decimals arrive as Uint32Array-backed objects; callers cast money to DOUBLE in SQL.
  return v;
}

function limitHit(message: string): boolean {
  return /out of memory|memory limit|could not allocate|Out of Memory|RangeError/i.test(message);
}

function userMessageFor(message: string): string {
  if (limitHit(message)) return 'error.memory';
  if (/Conversion Error|Could not convert|Invalid Input Error: CSV/i.test(message)) return 'error.conversion';
  return 'error.query';
}
