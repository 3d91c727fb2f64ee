// The typed surface of the engine worker, shared by the worker and its client.
import type { AnalysisConfig } from '../core/config';
import type { DatasetState, FileKind } from './workspace';
import type { AnalysisName, AnalysisParams, AnalysisResult } from './analyses';

export type ProgressStep = 'start' | 'transcode' | 'read' | 'parquet' | 'stage' | 'restage' | 'quality' | 'compact' | 'analysis';

export interface Progress {
  step: ProgressStep;
  /** 0..1, or null when the step cannot tell. */
  fraction: number | null;
  file?: string;
  /** For 'analysis' steps: a message key or text saying what is being computed. */
  label?: string;
}

export type ProgressListener = (p: Progress) => void;

/** Errors cross the worker boundary as plain data (comlink cannot clone Error subclasses faithfully). */
export interface EngineFailure {
  code: 'sql' | 'cancelled' | 'limit' | 'input';
  userMessage: string;
  causeMessage: string;
  sql?: string;
  file?: string;
}

export type EngineResult<T> = { ok: true; value: T } | { ok: false; error: EngineFailure };

export type { MonthlyPoint } from './analyses/trend';

/** The SQL behind a view as "Show SQL" prints it (long statements shortened: see shortenForDisplay). */
export interface SqlReport {
  setup: string[];
  analysis: string[];
  /** Milliseconds the analysis took in the worker last time (null: not run, or the overview). */
  ms: number | null;
  /** Of `ms`, the time DuckDB spent on the recorded statements. */
  sqlMs: number | null;
}

export interface EngineApi {
  init(listener: ProgressListener): Promise<EngineResult<{ duckdbVersion: string; bundle: string }>>;
  /** replace: drop what is loaded first (on failure it is restored). */
  addFiles(files: File[], config: AnalysisConfig, replace: boolean): Promise<EngineResult<DatasetState>>;
  setFileKind(name: string, kind: FileKind, config: AnalysisConfig): Promise<EngineResult<DatasetState>>;
  removeFiles(names: string[], config: AnalysisConfig): Promise<EngineResult<DatasetState>>;
  apply(config: AnalysisConfig): Promise<EngineResult<DatasetState>>;
  /** Run a registered analysis (src/engine/analyses) over the clean data with this config. */
  analyze<K extends AnalysisName>(name: K, config: AnalysisConfig, params: AnalysisParams<K>): Promise<EngineResult<AnalysisResult<K>>>;
  /**
   * The SQL behind a view as shown: the setup statements (files → clean view) and what the
   * analysis ran last ('overview' = quality counts and headline KPIs).
   */
  sql(name: string): Promise<EngineResult<SqlReport>>;
  /** Both, whole, as a DuckDB CLI script (written when asked: it can run to tens of megabytes). */
  script(name: string): Promise<EngineResult<Blob>>;
  /** Compress the tables written since the last call (Database.compact): after a load, once the data is on screen. */
  compact(): Promise<EngineResult<void>>;
  /**
   * Load `rows` synthetic transactions (core/warm-up-data.ts) and run the main analyses on them.
   * Only for a throwaway engine (engine/warm-up.ts), before anything is loaded into it.
   */
  warmUp(rows: number): Promise<EngineResult<{ ms: number }>>;
  cancel(): void;
}
