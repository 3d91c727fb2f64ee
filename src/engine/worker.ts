// The engine worker: owns DuckDB-WASM (synchronous bindings, so there is exactly one worker),
// reads files through handles, transcodes non-UTF-8 text, loads Parquet row group by row
// group, and answers the UI through comlink. The UI thread never runs a query.
import * as Comlink from 'comlink';
import { BROWSER_RUNTIME, createDuckDB, DuckDBDataProtocol, VoidLogger } from 'duckdb-wasm-browser-blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, { ParquetFile, Table as ParquetTable, writeParquet } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { type AnalysisConfig, DEFAULT_READ, defaultConfig, type FileReadSettings } from '../core/config';
import { createUtf8Transcoder, detectEncoding, type EncodingGuess, needsTranscoding, type TextEncodingName } from '../core/encoding';
import { probeLines } from '../core/csv-probe';
import type { EngineApi, EngineFailure, EngineResult, ProgressListener } from './api';
import { analyses, type AnalysisContext, type AnalysisName, type AnalysisParams, type AnalysisResult } from './analyses';
import { Database, EngineError, type RecordedSql, recordedParts, recordedText } from './database';
import { type CsvDialect, loadParquet, sniffCsv } from './importer';
import { createWhitespaceToTsv, looksWhitespaceSeparated } from '../core/whitespace';
import { fileTooLarge, formatBytes, MAX_FILE_BYTES } from './limits';
import { type FileKind, needsReread, Workspace } from './workspace';
import { duckdbScriptParts, shortenForDisplay } from '../core/script';
import { ReadAhead, type StartChunkSource } from './read-ahead';
import { StepQueue } from './step-queue';
import { warmUpTransactionsCsv } from '../core/warm-up-data';

let db: Database | null = null;
let workspace: Workspace | null = null;
let listener: ProgressListener = () => {};
/** The step and file that DuckDB's progress reports are shown under (see init). */
let staging: { step: 'stage' | 'restage'; file?: string } = { step: 'stage' };
let bundleName = '';
const ENCODING_SAMPLE_BYTES = 64 * 1024;
const TRANSCODE_CHUNK_BYTES = 8 * 1024 * 1024;

function failure(e: unknown, file?: string): EngineFailure {
  if (e instanceof EngineError) {
    return { code: e.code, userMessage: e.userMessage, causeMessage: e.causeMessage, sql: e.sql, file };
  }
  const message = e instanceof Error ? e.message : String(e);
  const limit = /memory|allocation|RangeError/i.test(message);
  return { code: limit ? 'limit' : 'sql', userMessage: limit ? 'error.memory' : 'error.unexpected', causeMessage: message, file };
}

/** One connection, one step at a time: calls queue up in arrival order, a cancel stops them all. */
const steps = new StepQueue();

function guarded<T>(work: () => Promise<T>, file?: () => string | undefined): Promise<EngineResult<T>> {
  return steps.run(async (): Promise<EngineResult<T>> => {
    // A cancel before this step was asked for was the previous step's; one after, this step's:
    // then its first statement throws.
    db?.clearCancel();
    if (steps.cancelled) db?.cancel();
    try {
      return { ok: true, value: await work() };
    } catch (e) {
      return { ok: false, error: failure(e, file?.()) };
    }
  });
}

function requireWorkspace(): Workspace {
  if (!workspace || !db) throw new EngineError('error.notReady', 'The engine has not started yet');
  return workspace;
}

/** A helper worker reading a file ahead of DuckDB's synchronous reads (see read-ahead.ts). */
const readAheadWorker: StartChunkSource = (blob, from, chunkBytes, ahead, onChunk) => {
  const helper = new Worker(new URL('./read-ahead.worker.ts', import.meta.url), { type: 'module', name: 'read-ahead' });
  helper.onmessage = (e: MessageEvent<{ offset: number; data: ArrayBuffer }>) => onChunk(e.data.offset, new Uint8Array(e.data.data));
  helper.postMessage({ type: 'start', blob, from, chunkBytes, ahead });
  return { credit: (n) => helper.postMessage({ type: 'credit', n }), stop: () => helper.terminate() };
};
const readAhead = new ReadAhead(readAheadWorker);
/** The Blob registered under each name (what DuckDB reads through BROWSER_FILEREADER). */
const registeredBlobs = new Map<string, Blob>();

function registerFileHandle(name: string, blob: Blob): void {
  db!.bindings.registerFileHandle(name, blob, DuckDBDataProtocol.BROWSER_FILEREADER, true);
  registeredBlobs.set(name, blob);
  readAhead.prepare(blob);
}

function dropFile(name: string): void {
  const blob = registeredBlobs.get(name);
  if (blob) readAhead.forget(blob);
  registeredBlobs.delete(name);
  db!.bindings.dropFile(name);
}

/** The user's File objects by name, to read them again with other reader settings. */
const originals = new Map<string, File>();

async function registerText(
  file: File,
  forced: TextEncodingName | null,
  whitespace = false,
): Promise<{ name: string; size: number; encoding: string; registered: Blob }> {
  try {
    dropFile(file.name); // a re-read or a new file with the same name
  } catch {
    // Nothing registered under that name yet.
  }
  const head = new Uint8Array(await file.slice(0, ENCODING_SAMPLE_BYTES).arrayBuffer());
  const detected = detectEncoding(head);
  const guess: EncodingGuess = forced && forced !== detected.encoding ? { encoding: forced, bom: 0, confidence: 'heuristic' } : detected;
  if (!needsTranscoding(guess) && !whitespace) {
    // A handle, not a copy: DuckDB reads slices of the file on demand.
    registerFileHandle(file.name, file);
    return { name: file.name, size: file.size, encoding: guess.encoding, registered: file };
  }
  // DuckDB reads UTF-8 only: transcode in chunks into a Blob (kept by the browser, outside
  // the wasm heap) and give DuckDB a handle to that. Whitespace-separated text is rewritten
  // to tab-separated text in the same pass.
  const transcoder = needsTranscoding(guess) ? createUtf8Transcoder(guess.encoding) : null;
  const blanks = whitespace ? createWhitespaceToTsv() : null;
  const parts: BlobPart[] = [];
  const emit = (bytes: Uint8Array) => parts.push((blanks ? blanks.push(bytes) : bytes) as BlobPart);
  for (let offset = 0; offset < file.size; offset += TRANSCODE_CHUNK_BYTES) {
    if (steps.cancelled) throw new EngineError('cancelled', 'The operation was cancelled', undefined, 'cancelled');
    const chunk = new Uint8Array(await file.slice(offset, offset + TRANSCODE_CHUNK_BYTES).arrayBuffer());
    emit(transcoder ? transcoder.push(chunk) : chunk);
    listener({ step: 'transcode', fraction: Math.min(1, (offset + TRANSCODE_CHUNK_BYTES) / file.size), file: file.name });
  }
  if (transcoder) emit(transcoder.flush());
  if (blanks) parts.push(blanks.flush() as BlobPart);
  const utf8 = new File(parts, file.name, { type: 'text/csv' });
  registerFileHandle(file.name, utf8);
  return { name: file.name, size: file.size, encoding: guess.encoding, registered: utf8 };
}

let parquetReady: Promise<unknown> | null = null;

/** For exports: an Arrow IPC stream written as Parquet bytes. */
async function writeParquetBytes(ipcStream: Uint8Array): Promise<Uint8Array> {
  parquetReady ??= initParquet({ module_or_path: parquetWasm });
  await parquetReady;
  return writeParquet(ParquetTable.fromIPCStream(ipcStream));
}

/**
 * Rows per Arrow batch of a decoded row group: a row group as DuckDB writes them (122,880 rows
 * and a little more) in one batch. parquet-wasm's default of 1,024 rows made ~120 batches per row
 * group, and loading took 10–20 % longer (decoding, IPC encoding and insert; 1M rows, Chromium).
 */
const PARQUET_BATCH_ROWS = 1 << 17;

async function addParquet(file: File, index: number): Promise<void> {
  parquetReady ??= initParquet({ module_or_path: parquetWasm });
  await parquetReady;
  const parquet = await ParquetFile.fromFile(file);
  const table = `parquet_${index}`;
  try {
    const columns = await loadParquet(
      db!,
      table,
      {
        numRowGroups: () => parquet.metadata().numRowGroups(),
        readRowGroupIPC: async (g) => (await parquet.read({ rowGroups: [g], batchSize: PARQUET_BATCH_ROWS })).intoIPCStream(),
      },
      (done, total) => listener({ step: 'parquet', fraction: done / total, file: file.name }),
      () => steps.cancelled,
    );
    await requireWorkspace().addTable(file.name, table, file.size, columns);
  } finally {
    parquet.free();
  }
}

async function readCsv(ws: Workspace, file: File, config: AnalysisConfig): Promise<void> {
  let read = config.read[file.name] ?? DEFAULT_READ;
  let reg = await registerText(file, read.encoding, read.delimiter === 'whitespace');
  originals.set(file.name, file);
  const check = read.delimiter === null ? await whitespaceCheck(file, read) : { whitespace: false, sniffed: undefined };
  if (check.whitespace) {
    read = { ...read, delimiter: 'whitespace' };
    reg = await registerText(file, read.encoding, true);
  }
  // When the check had to sniff the file as it is registered, that sniff is the one addCsv
  // would repeat (same file, same settings): a second sniff of a big file costs ~0.5 s.
  const blob = reg.registered;
  const probe = await probeLines(blob.size, async (start, end) => new Uint8Array(await blob.slice(Math.max(0, start), end).arrayBuffer()));
  await ws.addCsv(reg.name, reg.size, reg.encoding, read, check.whitespace ? undefined : check.sniffed, probe);
}

/** Runs of blanks between fields (CDNOW_sample.txt) that the sniffer reads as one column. */
async function whitespaceCheck(file: File, read: FileReadSettings): Promise<{ whitespace: boolean; sniffed?: CsvDialect }> {
  const head = new TextDecoder().decode(await file.slice(0, ENCODING_SAMPLE_BYTES).arrayBuffer());
  if (!looksWhitespaceSeparated(head)) return { whitespace: false };
  const dialect = await sniffCsv(db!, file.name, read);
  return { whitespace: dialect.columns.length === 1, sniffed: dialect };
}

let loadCounter = 0;
/** The statements each analysis ran last time, for "Show SQL" and the DuckDB script. */
const analysisSql = new Map<string, RecordedSql[]>();
/** How long each analysis took last time (SQL and models, in the worker). */
const analysisMs = new Map<string, number>();
/** Of which in DuckDB (the recorded statements), the rest being TypeScript (models, in-memory views). */
const analysisSqlMs = new Map<string, number>();

/** What a view's analysis ran last ('overview': the quality counts and headline KPIs, then the trend). */
function recordedFor(ws: Workspace, name: string): { report: string[]; recorded: readonly RecordedSql[] } {
  const recorded = analysisSql.get(name === 'overview' ? 'monthlyTrend' : name) ?? [];
  return { report: name === 'overview' ? ws.reportStatements : [], recorded };
}

/** As "Show SQL" prints them: long statements shortened, values tables to their first rows. */
function shownStatements(ws: Workspace, name: string): string[] {
  const { report, recorded } = recordedFor(ws, name);
  return [...report.map((statement) => shortenForDisplay(statement)), ...recordedText(recorded, true)];
}

/**
 * Whole, for the script, each statement in parts: statements written from values (the
 * lifetime-value expectations: ~2.3 MB at 5M transactions) are written each time, not kept.
 */
function scriptStatements(ws: Workspace, name: string): (string | string[])[] {
  const { report, recorded } = recordedFor(ws, name);
  return [...report, ...recordedParts(recorded)];
}

/** The config of the last successful load, to rebuild after a failed one. */
let previousConfig: AnalysisConfig;

async function loadAll(ws: Workspace, files: File[], config: AnalysisConfig, setCurrent: (name: string | undefined) => void) {
  const loadedBytes = ws.loaded.reduce((s, f) => s + f.size, 0);
  for (const file of files) {
    setCurrent(file.name);
    if (file.size === 0) throw new EngineError('error.emptyFile', `${file.name} is empty (0 bytes)`, undefined, 'input');
    if (fileTooLarge(file.size, loadedBytes)) {
      throw new EngineError(
        'error.tooLarge',
        `${file.name} is ${formatBytes(file.size)}; one browser tab can analyse at most ${formatBytes(MAX_FILE_BYTES)} of data (WebAssembly memory is capped at 4 GB)`,
        undefined,
        'limit',
      );
    }
    listener({ step: 'read', fraction: null, file: file.name });
    if (/\.parquet$/i.test(file.name) || (await isParquet(file))) {
      await addParquet(file, loadCounter++);
    } else {
      await readCsv(ws, file, config);
    }
  }
  setCurrent(undefined);
  staging = { step: 'stage' };
  listener({ step: 'stage', fraction: 0 });
  const state = await ws.apply(config);
  previousConfig = config;
  return state;
}

/** Runs a registered analysis and records its SQL and time for "Show SQL" (callers queue it: guarded). */
async function runAnalysis<K extends AnalysisName>(name: K, config: AnalysisConfig, params: AnalysisParams<K>): Promise<AnalysisResult<K>> {
  requireWorkspace();
  const run = analyses[name] as (ctx: AnalysisContext, p: AnalysisParams<K>) => Promise<AnalysisResult<K>>;
  if (!run) throw new EngineError('error.unexpected', `Unknown analysis ${String(name)}`);
  db!.startRecording();
  const started = performance.now();
  try {
    return await run(
      {
        db: db!,
        config,
        progress: (fraction, label) => listener({ step: 'analysis', fraction, label }),
        isCancelled: () => steps.cancelled,
        writeParquet: writeParquetBytes,
      },
      params,
    );
  } finally {
    analysisSql.set(String(name), db!.stopRecording());
    analysisMs.set(String(name), performance.now() - started);
    analysisSqlMs.set(String(name), db!.recordingMs);
  }
}

const api: EngineApi = {
  async init(progressListener) {
    listener = progressListener;
    return guarded(async () => {
      // DuckDB reports query progress through the runtime; forward it to the UI.
      BROWSER_RUNTIME.progressUpdate = (final: number, percentage: number) => {
        listener({ ...staging, fraction: final ? 1 : Math.max(0, Math.min(1, percentage / 100)) });
      };
      // Reads of a registered file are served from the read-ahead's chunks when it has them.
      const readFile = BROWSER_RUNTIME.readFile;
      BROWSER_RUNTIME.readFile = (mod, fileId, buf, bytes, location) => {
        const info = bytes > 0 ? BROWSER_RUNTIME.getFileInfo(mod, fileId) : null;
        const blob = info?.dataProtocol === DuckDBDataProtocol.BROWSER_FILEREADER ? registeredBlobs.get(info.fileName) : undefined;
        const served = blob ? readAhead.read(blob, location, bytes, (data, at) => (mod as unknown as { HEAPU8: Uint8Array }).HEAPU8.set(data, buf + at)) : null;
        return served ?? readFile.call(BROWSER_RUNTIME, mod, fileId, buf, bytes, location);
      };
      const bindings = await createDuckDB(
        { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } },
        new VoidLogger(),
        BROWSER_RUNTIME,
      );
      await bindings.instantiate(() => {});
      bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
      bundleName = bindings.getFeatureFlags() ? 'eh' : 'mvp';
      db = new Database(bindings);
      await db.configure();
      await db.exec('SET enable_progress_bar = true');
      // What DuckDB's progress reports belong to: staging a file, or reading it again with columns as text.
      workspace = new Workspace(db, (step, file) => {
        staging = { step, file };
        listener({ step, fraction: 0, file });
      });
      const [{ v }] = await db.rows<{ v: string }>('SELECT version() AS v');
      return { duckdbVersion: v, bundle: bundleName };
    });
  },

  async addFiles(files, config, replace) {
    let current: string | undefined;
    return guarded(
      async () => {
        const ws = requireWorkspace();
        const before = ws.snapshot();
        if (replace) ws.clear();
        try {
          const state = await loadAll(ws, files, config, (name) => (current = name));
          await ws.releaseUnusedSources();
          return state;
        } catch (e) {
          // Nothing the user loaded before is lost: put the previous files back and rebuild.
          ws.restore(before);
          if (before.length) await ws.apply(previousConfig).catch(() => undefined);
          await ws.releaseUnusedSources().catch(() => undefined);
          throw e;
        }
      },
      () => current,
    );
  },

  async setFileKind(name: string, kind: FileKind, config: AnalysisConfig) {
    return guarded(async () => {
      const ws = requireWorkspace();
      ws.setKind(name, kind);
      return ws.apply(config);
    });
  },

  async removeFiles(names, config) {
    return guarded(async () => {
      const ws = requireWorkspace();
      for (const n of names) {
        ws.remove(n);
        dropFile(n);
      }
      const state = await ws.apply(config);
      await ws.releaseUnusedSources();
      return state;
    });
  },

  async apply(config) {
    return guarded(async () => {
      const ws = requireWorkspace();
      for (const f of ws.loaded.filter((l) => needsReread(l, config.read[l.name]))) {
        const file = originals.get(f.name);
        if (file) await readCsv(ws, file, config);
      }
      const state = await ws.apply(config);
      previousConfig = config;
      return state;
    });
  },

  async analyze<K extends AnalysisName>(name: K, config: AnalysisConfig, params: AnalysisParams<K>) {
    return guarded(() => runAnalysis(name, config, params));
  },

  async sql(name) {
    return guarded(async () => {
      const ws = requireWorkspace();
      return {
        setup: ws.setupStatements.map((statement) => shortenForDisplay(statement)),
        analysis: shownStatements(ws, name),
        ms: name === 'overview' ? null : (analysisMs.get(name) ?? null),
        sqlMs: name === 'overview' ? null : (analysisSqlMs.get(name) ?? null),
      };
    });
  },

  async script(name) {
    return guarded(async () => {
      const ws = requireWorkspace();
      const files = ws.loaded
        .filter((f) => f.kind === 'transactions')
        .map((f) => ({ name: f.name, format: f.format, encoding: f.encoding }));
      const analysis = scriptStatements(ws, name);
      // A Blob made from parts: the page gets a handle, not a copy of a script that can run to tens of MB.
      return new Blob(duckdbScriptParts({ title: `CRM Workbench: ${name}`, files, setup: ws.setupStatements, analysis }), { type: 'text/plain' });
    });
  },

  async compact() {
    return guarded(async () => {
      requireWorkspace();
      await db!.compact();
    });
  },

  async warmUp(rows) {
    return guarded(async () => {
      const ws = requireWorkspace();
      if (ws.loaded.length) throw new EngineError('error.unexpected', 'The warm-up runs in an engine of its own, before anything is loaded into it');
      const started = performance.now();
      const config = defaultConfig();
      await loadAll(ws, [new File([warmUpTransactionsCsv(rows)], 'warm-up.csv', { type: 'text/csv' })], config, () => undefined);
      // As the app does after a load: compress the tables (that code warms up too, and the
      // analyses below then read compressed tables, as they will).
      await db!.compact();
      // What the app runs after a load (the overview's trend) and the views' main analyses.
      await runAnalysis('monthlyTrend', config, undefined);
      await runAnalysis('segmentation', config, { datasetVersion: 0 });
      await runAnalysis('cohorts', config, undefined);
      await runAnalysis('clv', config, undefined);
      return { ms: performance.now() - started };
    });
  },

  cancel() {
    steps.cancel();
    db?.cancel();
  },
};

async function isParquet(file: File): Promise<boolean> {
  const magic = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return String.fromCharCode(...magic) === 'PAR1';
}

Comlink.expose(api);
