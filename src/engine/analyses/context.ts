import type { AnalysisConfig } from '../../core/config';
import type { Database } from '../database';

export interface AnalysisContext {
  db: Database;
  config: AnalysisConfig;
  /** Report progress of a long step (0..1, or null when unknown). */
  progress: (fraction: number | null, label?: string) => void;
  /** True once the user pressed Cancel; long JS loops should check it and throw CancelledError. */
  isCancelled: () => boolean;
  /** Arrow IPC stream → Parquet bytes (parquet-wasm; the worker and Node tests each supply theirs). */
  writeParquet?: (arrowIpcStream: Uint8Array) => Promise<Uint8Array>;
}
