// The application state: one object the components read, and the only place that talks to
// the engine client. Every engine call goes through `run`, which owns data-state, progress,
// cancellation and error reporting, so no failure can leave a blank or stuck screen.
import type { AnalysisConfig, QualityPolicies } from '../core/config';
import { defaultConfig } from '../core/config';
import type { ColumnMapping } from '../core/mapping';
import type { EngineFailure, EngineResult, MonthlyPoint, Progress, SqlReport } from '../engine/api';
import type { AnalysisName, AnalysisParams, AnalysisResult } from '../engine/analyses';
import { Comlink, type EngineClient, startEngine } from '../engine/client';
import type { DatasetState, FileKind } from '../engine/workspace';
import { startWarmUp, type WarmUp, type WarmUpOutcome } from '../engine/warm-up';
import { i18n } from '../i18n/index.svelte';
import { configFromHash, decodeConfig, encodeConfig, parseConfigJson, SHARE_PARAM, ShareError } from '../core/share';

export type DataState = 'loading' | 'ready' | 'busy' | 'error';
/** A view id from src/ui/views.ts. */
export type Tab = string;

/** The embedded sample: transactions, and the matching satisfaction survey (public/sample/README.md). */
export const SAMPLE_FILES = ['sample/transactions.csv', 'sample/survey.csv'];

/** How long after the sample is on screen the engine warm-up starts (engine/warm-up.ts): the first clicks come first. */
const WARM_UP_DELAY_MS = 1000;

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
  /** A `?data=` URL waiting for the user's consent: nothing is fetched before they agree. */
  pendingDataUrl = $state<string | null>(null);
  /** Settings from a share link or project file, waiting for the user's file to apply to. */
  pendingShared = $state<AnalysisConfig | null>(null);
  /** The engine warm-up (engine/warm-up.ts), once per page: waiting, running, or how it ended. */
  warmUp = $state<'pending' | 'running' | WarmUpOutcome>('pending');
  /** The tables' compression after the last load (engine compact()): running, or how it ended. */
  compaction = $state<'idle' | 'running' | 'done' | 'cancelled' | 'failed'>('idle');

  private engine: EngineClient | null = null;
  private running = false;
  private analysesRunning = 0;
  private warmUpRun: WarmUp | null = null;
  private warmUpTimer: ReturnType<typeof setTimeout> | null = null;
  /** Compactions asked for so far: only the latest one's outcome is shown. */
  private compactions = 0;

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
    const linkError = await this.readSharedLink();
    this.pendingDataUrl = dataUrlFromSearch(globalThis.location?.search ?? '', baseUrl);
    await this.loadSample(baseUrl);
    if (linkError) this.fail(linkError);
    if (this.isSample) this.scheduleWarmUp();
  }

  /** Warm the engine up once the sample has been on screen a moment, and the page is visible. */
  private scheduleWarmUp(): void {
    if (typeof Worker === 'undefined' || typeof document === 'undefined') return;
    this.warmUpTimer = setTimeout(() => {
      this.warmUpTimer = null;
      if (document.visibilityState === 'visible') return this.beginWarmUp();
      document.addEventListener('visibilitychange', () => this.beginWarmUp(), { once: true });
    }, WARM_UP_DELAY_MS);
  }

  private beginWarmUp(): void {
    if (this.warmUp !== 'pending') return;
    this.warmUp = 'running';
    const run = (this.warmUpRun = startWarmUp());
    void run.done.then((outcome) => {
      if (this.warmUpRun !== run) return;
      this.warmUpRun = null;
      this.warmUp = outcome;
    });
  }

  /** The user's own data is coming: the warm-up gives way at once (and does not start later). */
  private stopWarmUp(): void {
    if (this.warmUpTimer) clearTimeout(this.warmUpTimer);
    this.warmUpTimer = null;
    this.warmUpRun?.stop();
    if (this.warmUp === 'pending') this.warmUp = 'stopped';
  }

  /**
   * Fetch the file a `?data=` link names — the only network request the app ever makes, and
   * only after the user agreed. The page's Content-Security-Policy allows this host only
   * (see README: hosts add others to connect-src).
   */
  async loadDataUrl(): Promise<void> {
    const url = this.pendingDataUrl;
    if (!url) return;
    this.pendingDataUrl = null;
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'data.csv');
    let file: File;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      file = new File([await response.blob()], name);
    } catch (e) {
      this.fail({ code: 'input', userMessage: 'data.fetchFailed', causeMessage: `${url}: ${e instanceof Error ? e.message : String(e)}`, file: name });
      return;
    }
    await this.dropFiles([file]);
  }

  declineDataUrl(): void {
    this.pendingDataUrl = null;
  }

  /** A `#cfg=` fragment becomes pending settings (applied when the user drops their file). */
  private async readSharedLink(): Promise<EngineFailure | null> {
    const encoded = configFromHash(globalThis.location?.hash ?? '');
    if (!encoded) return null;
    try {
      this.pendingShared = await decodeConfig(encoded);
      i18n.locale = this.pendingShared.locale;
      return null;
    } catch (e) {
      return shareFailure(e);
    }
  }

  /** The link to this analysis: the current settings in the URL fragment. */
  async shareLink(): Promise<string> {
    const url = new URL(globalThis.location.href);
    url.hash = `${SHARE_PARAM}=${await encodeConfig(this.snapshotConfig())}`;
    return url.toString();
  }

  projectFile(): Blob {
    return new Blob([JSON.stringify(this.snapshotConfig(), null, 2)], { type: 'application/json' });
  }

  /** Settings from a project file: applied to the user's data now, or held for their next drop. */
  async openProject(file: File): Promise<void> {
    let config: AnalysisConfig;
    try {
      config = parseConfigJson(await file.text());
    } catch (e) {
      this.fail({ ...shareFailure(e), file: file.name });
      return;
    }
    i18n.locale = config.locale;
    if (this.dataset && !this.isSample) await this.applyConfig(config);
    else this.pendingShared = config;
  }

  /** The SQL behind a view (see EngineApi.sql); null when the engine is not ready. */
  async sql(name: string): Promise<SqlReport | null> {
    if (!this.engine) return null;
    const result = await this.engine.sql(name);
    return result.ok ? result.value : null;
  }

  /** The view's DuckDB script (see EngineApi.script); null when the engine is not ready. */
  async script(name: string): Promise<Blob | null> {
    if (!this.engine) return null;
    const result = await this.engine.script(name);
    return result.ok ? result.value : null;
  }

  discardShared(): void {
    this.pendingShared = null;
    this.syncUrl();
  }

  private urlWriting = false;
  private urlStale = false;

  /**
   * Keep the address bar's link in step with the settings (never while a link is pending).
   * Written at once — a reload right after a change must bring that change back — but never two
   * writes at a time: changes that arrive while one is being compressed are written together
   * right after it, so dragging through settings costs one write per compression, not per step.
   */
  private syncUrl(): void {
    if (this.urlWriting) {
      this.urlStale = true;
      return;
    }
    this.urlWriting = true;
    void (async () => {
      try {
        do {
          this.urlStale = false;
          await this.writeUrl();
        } while (this.urlStale);
      } finally {
        this.urlWriting = false;
      }
    })();
  }

  private async writeUrl(): Promise<void> {
    if (this.pendingShared || !globalThis.history || typeof CompressionStream === 'undefined') return;
    try {
      const url = await this.shareLink();
      globalThis.history.replaceState(globalThis.history.state, '', url);
    } catch {
      // The address bar just keeps the previous link (e.g. no Blob.stream in this environment).
    }
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
      const ok = await this.addFiles(files, true, false);
      this.isSample = ok;
    } catch (e) {
      this.fail({ code: 'input', userMessage: 'error.unexpected', causeMessage: e instanceof Error ? e.message : String(e) });
    }
  }

  /**
   * Returns whether the files were loaded. A user's first file picks up settings from a
   * shared link or project file, so the same file reproduces the same numbers.
   */
  async addFiles(files: File[], replace: boolean, fromUser = true): Promise<boolean> {
    if (files.length === 0) return false;
    if (fromUser) this.stopWarmUp();
    const shared = fromUser && replace ? this.pendingShared : null;
    const config = shared ?? (replace ? { ...this.config, mapping: {}, read: {} } : this.config);
    const ok = await this.run(() => this.engine!.addFiles(files, $state.snapshot(config) as AnalysisConfig, replace), config);
    if (ok) this.isSample = false;
    if (ok && shared) {
      this.pendingShared = null;
      this.syncUrl();
    }
    return ok;
  }

  /**
   * Own files replace the sample, and loaded transactions whose columns could not be understood
   * (a wrong file dropped first: its detected mapping is what the next files would be read
   * with). Otherwise drops add to what the user already loaded.
   */
  async dropFiles(files: File[]): Promise<boolean> {
    return this.addFiles(files, this.isSample || !this.dataset || this.unusableDetection());
  }

  private unusableDetection(): boolean {
    const d = this.dataset;
    return d !== null && d.kpis === null && d.mappingErrors.length > 0 && Object.keys(this.config.mapping).length === 0;
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
    this.syncUrl();
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
    this.syncUrl();
    this.compact();
    return true;
  }

  /**
   * Once new data is on screen (and after the overview's trend: steps run in the order asked),
   * the engine compresses its tables. A view opened meanwhile waits for it: the progress bar
   * says why. A failure costs only memory, so it is not the user's error to read.
   */
  private compact(): void {
    if (!this.engine) return;
    this.compaction = 'running';
    const run = ++this.compactions;
    void this.engine.compact().then((result) => {
      if (run !== this.compactions) return; // a later load's compaction is queued behind this one
      this.compaction = result.ok ? 'done' : result.error.code === 'cancelled' ? 'cancelled' : 'failed';
      if (!result.ok && result.error.code !== 'cancelled') console.warn('Compacting the tables failed; they stay uncompressed:', result.error.causeMessage);
      if (this.progress?.step === 'compact') this.progress = null;
    });
  }

  /**
   * Change settings that only affect analyses (not how files are read or cleaned): no
   * re-staging, views recompute from the new config.
   */
  updateConfig(next: AnalysisConfig): void {
    this.config = next;
    this.syncUrl();
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
    // Waiting behind the compaction after a load: say so until the analysis reports its own progress.
    if (this.compaction === 'running' && !this.progress) this.progress = { step: 'compact', fraction: null };
    const result = await this.engine
      // Plain data only: a $state proxy inside the params (e.g. the explorer's filter) cannot be cloned to the worker.
      .analyze(name, this.snapshotConfig(), $state.snapshot(params) as AnalysisParams<K>)
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

function shareFailure(e: unknown): EngineFailure {
  if (e instanceof ShareError) return { code: 'input', userMessage: e.key, causeMessage: e.detail };
  return { code: 'input', userMessage: 'shareError.format', causeMessage: e instanceof Error ? e.message : String(e) };
}

/** `?data=<url>` as an absolute http(s) URL, or null (other schemes are ignored). */
export function dataUrlFromSearch(search: string, baseUrl: string): string | null {
  const raw = new URLSearchParams(search).get('data');
  if (!raw) return null;
  try {
    const url = new URL(raw, baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
