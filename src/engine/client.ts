// The UI's handle on the engine worker. Everything returns EngineResult; nothing throws
// across the boundary, so a failed step can never leave the UI in a blank state.
import * as Comlink from 'comlink';
import type { EngineApi } from './api';

export type EngineClient = Comlink.Remote<EngineApi>;

/** `name` shows in the browser's task manager and dev tools (the warm-up engine has its own). */
export function startEngine(name = 'duckdb-engine'): { engine: EngineClient; worker: Worker } {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name });
  return { engine: Comlink.wrap<EngineApi>(worker), worker };
}

export { Comlink };
