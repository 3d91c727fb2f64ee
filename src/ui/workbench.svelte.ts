// The application state: one object the components read, and the only place that talks to
// the engine client. Every engine call goes through `run`, which owns data-state, progress,
// cancellation and error reporting, so no failure can leave a blank or stuck screen.
import type { AnalysisConfig, QualityPolicies } from '../core/config';
import { defaultConfig } from '../core/config';
import type { ColumnMapping } from '../core/mapping';
import type { EngineFailure, EngineResult, MonthlyPoint, Progress } from '../engine/api';
import type { AnalysisName, AnalysisParams, AnalysisResult } from '../engine/analyses';
import { Comlink, type EngineClient, startEngine } from '../engine/client';
import type { DatasetState, FileKind } from '../engine/workspace';
import { i18n } from '../i18n/index.svelte';

export type DataState = 'loading' | 'ready' | 'busy' | 'error';
/** A view id from src/ui/views.ts. */
export type Tab = string;

export const SAMPLE_FILES = ['sample/transactions.csv'];

export class Workbench {
  state = $state<DataState>('loading');
  config = $state<AnalysisConfig>(defaultConfig(i18n.locale));
  dataset = $state<DatasetState | null>(null);
  trend = $state<MonthlyPoint[]>([]);
  progress = $state<Progress | null>(null);
  error = $state<EngineFailure | null>(null);
  isSample = $state(false);
  tab = $state<Tab>('overview');
  engineInfo = $state<{ duckdbVersion: string; bundle: string } | null>(null);
  /** Bumped whenever the clean data changes (load, mapping, policies): views recompute on it. */
  datasetVersion = $state(0);

  private engine: EngineClient | null = null;
  private running = false;
  private analysesRunning = 0;

  async start(baseUrl: string): Promise<void> {
    try {
      this.engine = startEngine().engine;
    } catch (e) {
      this.fail({ code: 'sql', userMessage: 'error.engineStart', causeMessage: String(e) });
      return;
    }
    this.progress = { step: 'start', fraction: null };
    // Progress messages can arrive after the step's result; only show them while a step runs.
    const init = await this.engine.init(
      Comlink.proxy((p: Progress) => {
        if (this.running) this.progress = p;
      }),
    );
    if (!init.ok) return this.fail(init.error);
    this.engineInfo = init.value;
    await this.loadSample(baseUrl);
  }

  async loadSample(baseUrl: string): Promise<void> {
    try {
      const files = await Promise.all(
        SAMPLE_FILES.map(async (path) => {
          const response = await fetch(new URL(path, baseUrl));
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          return new File([await response.blob()], path.split('/').pop()!, { type: 'text/csv' });
        }),
      );
      const ok = await this.addFiles(files, true);
      this.isSample = ok;
    } catch (e) {
      this.fail({ code: 'input', userMessage: 'error.unexpected', causeMessage: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Returns whether the files were loaded. */
  async addFiles(files: File[], replace: boolean): Promise<boolean> {
    if (files.length === 0) return false;
    const config = replace ? { ...this.config, mapping: {}, read: {} } : this.config;
    const ok = await this.run(() => this.engine!.addFiles(files, $state.snapshot(config) as AnalysisConfig, replace), config);
    if (ok) this.isSample = false;
    return ok;
  }

  /** Own files replace the sample; later drops add to what the user already loaded. */
  async dropFiles(files: File[]): Promise<boolean> {
    return this.addFiles(files, this.isSample || !this.dataset);
  }

  async setMapping(mapping: ColumnMapping): Promise<void> {
    await this.applyConfig({ ...this.config, mapping });
  }

  async setPolicies(policies: QualityPolicies): Promise<void> {
    await this.applyConfig({ ...this.config, policies });
  }

  async setReadSettings(file: string, read: AnalysisConfig['read'][string]): Promise<void> {
    await this.applyConfig({ ...this.config, read: { ...this.config.read, [file]: read } });
  }

  async setFileKind(name: string, kind: FileKind): Promise<void> {
    await this.run(() => this.engine!.setFileKind(name, kind, this.snapshotConfig()), this.config);
  }

  async removeFile(name: string): Promise<void> {
    await this.run(() => this.engine!.removeFiles([name], this.snapshotConfig()), this.config);
  }

  setLocale(locale: AnalysisConfig['locale']): void {
    i18n.locale = locale;
    this.config = { ...this.config, locale };
  }

  cancel(): void {
    void this.engine?.cancel();
  }

  dismissError(): void {
    this.error = null;
    if (this.state === 'error' && this.dataset) this.state = 'ready';
  }

  private snapshotConfig(): AnalysisConfig {
    return $state.snapshot(this.config) as AnalysisConfig;
  }

  private async applyConfig(next: AnalysisConfig): Promise<void> {
    await this.run(() => this.engine!.apply($state.snapshot(next) as AnalysisConfig), next);
  }

  private async run(step: () => Promise<EngineResult<DatasetState>>, nextConfig: AnalysisConfig): Promise<boolean> {
    if (!this.engine) return false;
    this.state = this.dataset ? 'busy' : 'loading';
    this.error = null;
    this.running = true;
    const result = await step().finally(() => (this.running = false));
    this.progress = null;
    if (!result.ok) {
      this.fail(result.error);
      return false;
    }
    this.config = nextConfig;
    this.dataset = result.value;
    this.datasetVersion++;
    const trend = await this.engine.analyze('monthlyTrend', this.snapshotConfig(), undefined);
    // (comlink's Remote type drops the generic, so the result type is the union of all analyses)
    this.trend = trend.ok ? (trend.value as MonthlyPoint[]) : [];
    this.state = 'ready';
    return true;
  }

  /**
   * Change settings that only affect analyses (not how files are read or cleaned): no
   * re-staging, views recompute from the new config.
   */
  updateConfig(next: AnalysisConfig): void {
    this.config = next;
  }

  /**
   * Run a registered analysis with the current config. Returns null on failure, after
   * showing the error banner; the data on screen is kept.
   */
  async analyze<K extends AnalysisName>(name: K, params: AnalysisParams<K>): Promise<AnalysisResult<K> | null> {
    if (!this.engine || !this.dataset) return null;
    const previous = this.state;
    this.state = 'busy';
    this.running = true;
    this.analysesRunning++;
    const result = await this.engine
      .analyze(name, this.snapshotConfig(), params)
      .finally(() => {
        this.analysesRunning--;
        this.running = this.analysesRunning > 0;
      });
    if (this.analysesRunning === 0) this.progress = null;
    if (!result.ok) {
      this.fail(result.error);
      return null;
    }
    if (this.analysesRunning === 0) this.state = previous === 'loading' ? 'ready' : previous === 'error' ? 'error' : 'ready';
    return result.value as AnalysisResult<K>;
  }

  private fail(error: EngineFailure): void {
    this.progress = null;
    this.error = error;
    // With data still on screen the page stays usable; the banner explains what failed.
    this.state = error.code === 'cancelled' && this.dataset ? 'ready' : 'error';
  }
}
