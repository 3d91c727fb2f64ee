// The typed surface of the engine worker, shared by the worker and its client.
import type { AnalysisConfig } from '../core/config';
import type { DatasetState, FileKind } from './workspace';

export type ProgressStep = 'start' | 'transcode' | 'read' | 'parquet' | 'stage' | 'quality';

export interface Progress {
  step: ProgressStep;
  /** 0..1, or null when the step cannot tell. */
  fraction: number | null;
  file?: string;
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

export interface MonthlyPoint {
  month: number;
  revenue: number;
  customers: number;
  orders: number;
}

export interface EngineApi {
  init(listener: ProgressListener): Promise<EngineResult<{ duckdbVersion: string; bundle: string }>>;
  /** replace: drop what is loaded first (on failure it is restored). */
  addFiles(files: File[], config: AnalysisConfig, replace: boolean): Promise<EngineResult<DatasetState>>;
  setFileKind(name: string, kind: FileKind, config: AnalysisConfig): Promise<EngineResult<DatasetState>>;
  removeFiles(names: string[], config: AnalysisConfig): Promise<EngineResult<DatasetState>>;
  apply(config: AnalysisConfig): Promise<EngineResult<DatasetState>>;
  monthlyTrend(): Promise<EngineResult<MonthlyPoint[]>>;
  cancel(): void;
}
