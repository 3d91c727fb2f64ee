// The loaded files and the derived tables of one session: staged rows, the clean view,
// the quality report and headline KPIs. Pure orchestration over Database; the worker adds
// file handles, encodings and Parquet, tests drive it directly in Node.
import { type AnalysisConfig, DEFAULT_READ, type FileReadSettings } from '../core/config';
import { type ColumnMapping, type ColumnProfile, type MappingDetection, detectMapping, suggestDateFormat, detectDecimalComma, validateMapping } from '../core/mapping';
import { ident, str } from '../core/sql/ident';
import { POSITIVE_ORDERS_TABLE } from '../core/sql/cohort';
import { MIGRATION_FROM_TABLE, MIGRATION_TO_TABLE } from '../core/sql/migration';
import { type QualityCheck, cleanOrdersStatements, cleanViewSql, dateBoundsSql, headlineKpisSql, qualityCountsSql } from '../core/sql/quality';
import { ORDER_SLICE_ROWS, orderSlices } from '../core/sql/slices';
import {
  type SourceColumn,
  type StageSpec,
  type TypedRead,
  crossFileDuplicateStatements,
  dropColumnsSql,
  emptySparseColumns,
  reservedColumnNames,
  stageStatements,
  stagedUnionSql,
  sparseCountsSql,
  typedCsvRead,
  typedReadWithout,
  withoutColumns,
  withReadTypes,
} from '../core/sql/stage';
import { createSurveyTableSql, dropSurveyTableSql } from '../core/sql/survey';
import { type Database, EngineError, rethrowCancel } from './database';
import { type CsvDialect, type Rejected, castRejectColumns, clearCastRejects, csvFrom, profileColumns, rejectedLines, sniffCsv, stageReadFailed } from './importer';

export type FileKind = 'transactions' | 'customers' | 'survey';

/** The probe lines of a file are registered as a file of this name (see probeRejects). */
const PROBE_FILE_PREFIX = '__probe_';
const PROBE_REJECTS = 'rejects_probe';

export interface LoadedFile {
  name: string;
  format: 'csv' | 'parquet';
  kind: FileKind;
  size: number;
  encoding: string;
  dialect: CsvDialect | null;
  /** The FROM expression that reads the file's rows (a CSV reader or a loaded table). */
  from: string;
  columns: SourceColumn[];
  profiles: ColumnProfile[];
  detection: MappingDetection;
  dateFormat: string | null;
  decimalComma: boolean;
  rejectsTable: string;
  /** The reader settings the file was read with (re-read when encoding/delimiter/header change). */
  read: FileReadSettings;
  /** A CSV with quoted fields spanning lines, which only the serial scanner reads (csvFrom). */
  serialRead?: boolean;
  /**
   * Columns of the typed read (`key`: JSON of typedCsvRead) found holding a cell the reader could
   * not parse, by the probe or by a staging read: they are read as text from then on.
   */
  untyped?: { key: string; columns: string[] };
  /** Whole lines from across a large CSV (core/csv-probe.ts), to try the typed read on first. */
  probe?: Uint8Array;
  /** The table its transaction rows are staged in (stg_N, N unique per loaded file). */
  stageTable: string;
  /** Its staging as it stands in stageTable, and what it was staged for (stagingKey). */
  staged?: { key: string; spec: StageSpec; statements: string[] };
}

export interface QualityCounts {
  rows_read: number;
  rejected: number;
  missing_customer: number;
  bad_date: number;
  bad_amount: number;
  returns: number;
  cancelled: number;
  duplicates: number;
  future_date: number;
  /** Rows with more fields than the header (an unquoted comma in a value): left out. */
  extra_fields: number;
  old_date: number;
  return_only_customers: number;
  clean_rows: number;
  clean_customers: number;
  clean_orders: number;
}

export interface QualityExamples {
  columns: string[];
  rows: unknown[][];
}

/** What the report can show example rows of (analyses/quality-examples.ts loads them on demand). */
export type QualityExampleKind = QualityCheck | 'return_only';

export interface QualityReport {
  counts: QualityCounts;
  rejectedExamples: (Rejected & { file: string })[];
}

export interface HeadlineKpis {
  customers: number;
  orders: number;
  revenue: number;
  aov: number;
  first_date: number | null;
  last_date: number | null;
}

export interface FileSummary {
  name: string;
  format: 'csv' | 'parquet';
  kind: FileKind;
  size: number;
  encoding: string;
  delimiter: string | null;
  header: boolean | null;
  dateFormat: string | null;
  decimalComma: boolean;
  columns: SourceColumn[];
  /** A few values per column, for the mapping editor. */
  samples: Record<string, string[]>;
}

export interface DatasetState {
  files: FileSummary[];
  /** Columns of the transaction file(s), for the mapping editor. */
  columns: SourceColumn[];
  detected: MappingDetection | null;
  mapping: ColumnMapping;
  mappingErrors: { role: string | null; key: string; params?: Record<string, string> }[];
  quality: QualityReport | null;
  kpis: HeadlineKpis | null;
  customerAttributes: { file: string; columns: string[]; customers: number; matched: number } | null;
  /** Milliseconds per step of the last apply (stage only when files were re-read). */
  timings: { stage?: number; quality?: number; kpis?: number };
}

/** Excel-made survey exports: many small-integer columns and no dates or money. */
function looksLikeSurvey(profiles: ColumnProfile[]): boolean {
  const likert = profiles.filter((p) => p.nonNull > 0 && p.samples.every((s) => s !== null && /^-?\d{1,2}$/.test(s.trim())));
  return likert.length >= 4 && likert.length >= profiles.length * 0.6;
}

export function classifyFile(detection: MappingDetection, profiles: ColumnProfile[]): FileKind {
  const m = detection.mapping;
  const hasMoney = Boolean(m.amount || (m.quantity && m.unit_price));
  if (m.order_date && hasMoney) return 'transactions';
  if (looksLikeSurvey(profiles)) return 'survey';
  if (m.customer_id) return 'customers';
  return 'transactions';
}

/** What a file's staged table depends on: the mapping and how the file is read. */
function stagingKey(f: LoadedFile, mapping: ColumnMapping): string {
  return JSON.stringify({ mapping, from: f.from, dateFormat: f.dateFormat, decimalComma: f.decimalComma });
}

export class Workspace {
  private files: LoadedFile[] = [];
  /** The staged union view and date bounds were built for these tables and stagings. */
  private unionKey = '';
  /** The last cross-file duplicate marking, for the script (empty: one file, nothing to redo). */
  private crossStatements: string[] = [];
  /** The staged tables' duplicate marks were last set with several files in view. */
  private crossMarked = false;
  private stageStatements: string[] = [];
  /**
   * The statements that turn the files into the clean view, as last run: the first part of
   * every "Show SQL" and DuckDB script. (Parquet is loaded by parquet-wasm here; the script
   * reads it with read_parquet instead.)
   */
  setupStatements: string[] = [];
  /** The quality-report counts and headline KPIs over the clean view. */
  reportStatements: string[] = [];
  private surveyKey = '';
  private counter = 0;
  /** Tables holding a loaded Parquet file (parquet_N), dropped once no loaded file uses them. */
  private readonly sourceTables = new Set<string>();
  /** The stg_N tables that exist, by the file staged in each. */
  private readonly stagedTables = new Map<string, LoadedFile>();
  private stageCounter = 0;

  constructor(
    private readonly db: Database,
    /** Told which file is being staged, and when it is read again with columns as text (stageFile). */
    private readonly onStaging: (step: 'stage' | 'restage', file: string) => void = () => {},
    /** Staged rows per statement of the clean-orders build (core/sql/slices.ts; tests lower it). */
    private readonly orderSliceRows = ORDER_SLICE_ROWS,
  ) {}

  get loaded(): readonly LoadedFile[] {
    return this.files;
  }

  /**
   * Sniff and profile a CSV that is already registered with DuckDB under `fileName`
   * (`sniffed`: the result of sniffCsv for this file and these settings, if already known).
   */
  async addCsv(
    fileName: string,
    size: number,
    encoding: string,
    read: FileReadSettings = DEFAULT_READ,
    sniffed?: CsvDialect,
    /** Lines from across the file (core/csv-probe.ts probeLines), if the caller read them. */
    probe?: Uint8Array | null,
  ): Promise<LoadedFile> {
    const dialect = sniffed ?? (await sniffCsv(this.db, fileName, read));
    if (dialect.columns.length === 0) throw new EngineError('error.emptyFile', `${fileName} has no columns`, undefined, 'input');
    const rejectsTable = `rejects_${this.counter++}`;
    const from = csvFrom(fileName, dialect, rejectsTable);
    // The data is read as text (so bad cells are counted, not fatal); the sniffed types only
    // guide mapping detection and the choice of date format.
    const asText = dialect.columns.map((c) => ({ name: c.name, type: 'VARCHAR' }));
    const sampleFrom = csvFrom(fileName, dialect, rejectsTable, 'sample');
    const file = await this.addSource({ name: fileName, format: 'csv', size, encoding, dialect, from, columns: asText, rejectsTable }, read, dialect.columns, sampleFrom);
    if (probe) file.probe = probe;
    return file;
  }

  /** A Parquet file already loaded into `table` (see importer.loadParquet). */
  async addTable(fileName: string, table: string, size: number, columns: SourceColumn[]): Promise<LoadedFile> {
    this.sourceTables.add(table);
    return this.addSource(
      { name: fileName, format: 'parquet', size, encoding: 'parquet', dialect: null, from: ident(table), columns, rejectsTable: '' },
      DEFAULT_READ,
    );
  }

  private async addSource(
    base: Pick<LoadedFile, 'name' | 'format' | 'size' | 'encoding' | 'dialect' | 'from' | 'columns' | 'rejectsTable'>,
    read: FileReadSettings,
    typeHints: SourceColumn[] = base.columns,
    sampleFrom: string = base.from,
  ): Promise<LoadedFile> {
    const reserved = reservedColumnNames(base.columns);
    if (reserved.length) {
      throw new EngineError('error.reservedColumn', `Column names reserved by the workbench: ${reserved.join(', ')}`, undefined, 'input');
    }
    const profiles = await profileColumns(this.db, sampleFrom, typeHints);
    if (profiles.every((p) => p.rows === 0)) throw new EngineError('error.emptyFile', `${base.name} has a header but no rows`, undefined, 'input');
    const detection = detectMapping(profiles);
    const dateColumn = detection.mapping.order_date;
    const dateProfile = profiles.find((p) => p.name === dateColumn);
    const amountProfile = profiles.find((p) => p.name === (detection.mapping.amount ?? detection.mapping.unit_price));
    const file: LoadedFile = {
      ...base,
      read,
      profiles,
      detection,
      kind: classifyFile(detection, profiles),
      dateFormat: read.dateFormat ?? dateFormatFor(dateProfile, base.dialect),
      decimalComma: read.decimalComma ?? (amountProfile ? detectDecimalComma(amountProfile.samples) : false),
      stageTable: `stg_${this.stageCounter++}`,
    };
    this.files = [...this.files.filter((f) => f.name !== file.name), file];
    return file;
  }

  /**
   * Drop the tables of Parquet files that were replaced or removed (each holds a whole file).
   * Called once a load or removal has succeeded or been rolled back, never during one: a failed
   * load restores the files it replaced, tables included.
   */
  async releaseUnusedSources(): Promise<void> {
    const used = new Set(this.files.map((f) => f.from));
    for (const table of this.sourceTables) {
      if (used.has(ident(table))) continue;
      await this.db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
      this.sourceTables.delete(table);
    }
  }

  /** For rolling back a failed load: what was loaded before it started. */
  snapshot(): LoadedFile[] {
    return [...this.files];
  }

  restore(files: LoadedFile[]): void {
    this.files = [...files];
  }

  clear(): void {
    this.files = [];
  }

  remove(fileName: string): void {
    this.files = this.files.filter((f) => f.name !== fileName);
  }

  setKind(fileName: string, kind: FileKind): void {
    const file = this.files.find((f) => f.name === fileName);
    if (file) file.kind = kind;
  }

  private transactionFiles(): LoadedFile[] {
    return this.files.filter((f) => f.kind === 'transactions');
  }

  /** The mapping in force: the user's, else what was detected on the first transaction file. */
  effectiveMapping(config: AnalysisConfig): ColumnMapping {
    if (Object.keys(config.mapping).length > 0) return config.mapping;
    return this.transactionFiles()[0]?.detection.mapping ?? {};
  }

  /** (Re)build staged rows, the clean view, the quality report and KPIs for a config. */
  async apply(config: AnalysisConfig): Promise<DatasetState> {
    const txFiles = this.transactionFiles();
    const mapping = this.effectiveMapping(config);
    const columns = txFiles[0]?.columns ?? [];
    const state: DatasetState = {
      files: this.files.map(summarise),
      columns,
      detected: txFiles[0]?.detection ?? null,
      mapping,
      mappingErrors: [],
      quality: null,
      kpis: null,
      customerAttributes: null,
      timings: {},
    };
    await this.stageSurvey();
    if (txFiles.length === 0) return state;
    const validation = validateMapping(mapping, columns.map((c) => c.name));
    state.mappingErrors = validation.errors;
    if (!validation.ok) return state;

    for (const f of txFiles) {
      const read = config.read[f.name];
      if (read?.dateFormat !== undefined && read.dateFormat !== null) f.dateFormat = read.dateFormat;
      if (read?.decimalComma !== undefined && read.decimalComma !== null) f.decimalComma = read.decimalComma;
    }
    // Reading a file is the expensive step: each transaction file is staged in a table of its own
    // and read again only when the mapping or its reader settings change, so adding a file (e.g.
    // next month's export) reads just that file.
    let started = performance.now();
    await this.dropStagedTablesExcept(txFiles); // removed, replaced, or now another kind of file
    let staged = false;
    for (const f of txFiles) {
      if (f.staged?.key === stagingKey(f, mapping)) continue;
      const missing = Object.values(mapping).filter((c) => c && !f.columns.some((col) => col.name === c));
      if (missing.length) {
        throw new EngineError('error.mappingColumnMissing', `${f.name} has no column ${missing.join(', ')}`, undefined, 'input');
      }
      f.staged = undefined;
      this.stagedTables.set(f.stageTable, f);
      const textSpec: StageSpec = { table: f.stageTable, from: f.from, columns: f.columns, mapping, dateFormat: f.dateFormat, decimalComma: f.decimalComma, fileLabel: f.name };
      const { spec, statements: [create, ...rest] } = await this.stageFile(f, textSpec);
      const statements = [create];
      for (const sql of rest) {
        await this.db.exec(sql);
        statements.push(sql);
      }
      // Ids and labels that never differ from their typed copy, and extra fields no row had,
      // need no stored column.
      const countsSql = sparseCountsSql(spec);
      if (countsSql) {
        const [counts] = await this.db.rows<Record<string, number>>(countsSql);
        const empty = emptySparseColumns(spec, counts);
        for (const sql of dropColumnsSql(spec, empty)) {
          await this.db.exec(sql);
          statements.push(sql);
        }
        withoutColumns(spec, empty);
      }
      f.staged = { key: stagingKey(f, mapping), spec, statements }; // after a switch to the serial reader, too
      staged = true;
    }
    const specs = txFiles.map((f) => f.staged!.spec);
    const unionKey = JSON.stringify(txFiles.map((f) => [f.stageTable, f.staged!.key]));
    if (staged || unionKey !== this.unionKey) {
      this.unionKey = '';
      await this.db.exec(stagedUnionSql(specs));
      // Duplicates across files; with one file left, again if the marks had others in view.
      this.crossStatements = txFiles.length > 1 || this.crossMarked ? crossFileDuplicateStatements(specs) : [];
      for (const sql of this.crossStatements) await this.db.exec(sql);
      this.crossMarked = txFiles.length > 1;
      await this.db.exec(dateBoundsSql());
      this.unionKey = unionKey;
      state.timings.stage = performance.now() - started;
    }
    // The script reads Parquet with read_parquet (here parquet-wasm loaded it; see above).
    this.stageStatements = [
      ...txFiles.filter((f) => f.format === 'parquet').map((f) => `CREATE OR REPLACE TABLE ${f.from} AS SELECT * FROM read_parquet(${str(f.name)})`),
      ...txFiles.flatMap((f) => f.staged!.statements),
      stagedUnionSql(specs),
      ...this.crossStatements,
      dateBoundsSql(),
    ];
    await this.db.exec(cleanViewSql(config.policies));
    // Lifetime-value scores fitted on the previous clean data must not be joined to this one, and
    // the numbered positive orders of the cohort analyses and the segment-movement snapshots are
    // built again when next needed (their analyses reuse them while they exist).
    await this.db.exec(`DROP TABLE IF EXISTS ${ident('customer_clv')}`);
    for (const table of [POSITIVE_ORDERS_TABLE, MIGRATION_FROM_TABLE, MIGRATION_TO_TABLE]) await this.db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
    started = performance.now();
    // The per-order aggregate every analysis starts from, once per data and policies; a large
    // file's in slices, so that its hash table does not set the wasm heap (ORDER_SLICE_ROWS).
    const [{ n: stagedRows }] = await this.db.unrecorded(() => this.db.rows<{ n: number }>('SELECT CAST(count(*) AS DOUBLE) AS n FROM staged'));
    const cleanOrders = cleanOrdersStatements(orderSlices(stagedRows, this.orderSliceRows));
    for (const sql of cleanOrders) await this.db.exec(sql);
    this.setupStatements = [...this.stageStatements, cleanViewSql(config.policies), ...cleanOrders];
    this.reportStatements = [qualityCountsSql(config.policies), headlineKpisSql()];
    const [{ clean_rows, clean_orders, ...kpis }] = await this.db.rows<HeadlineKpis & Pick<QualityCounts, 'clean_rows' | 'clean_orders'>>(headlineKpisSql());
    state.kpis = kpis;
    state.timings.kpis = performance.now() - started;
    started = performance.now();
    state.quality = await this.qualityReport(config, txFiles, { clean_rows, clean_orders, clean_customers: kpis.customers });
    state.timings.quality = performance.now() - started;
    state.customerAttributes = await this.attachCustomerAttributes(mapping);
    return state;
  }

  /** Drop the staged tables of files that are no longer transaction files of this workspace. */
  private async dropStagedTablesExcept(txFiles: LoadedFile[]): Promise<void> {
    for (const [table, file] of this.stagedTables) {
      if (txFiles.includes(file)) continue;
      await this.db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
      this.stagedTables.delete(table);
      file.staged = undefined; // a rolled-back load may bring the file back: stage it again then
    }
  }

  /**
   * Run the staging read of one transaction file (the statement that creates its stg_N table).
   * A CSV is read with its money and date columns typed by the reader (typedCsvRead), except
   * columns known to hold a cell that would not parse: those are read as text, where such cells
   * are counted by the quality report. Such columns are found by the probe (probeRejects), or by
   * the typed read itself, whose cast errors name them; the file is then read again with them as
   * text (a second read, only for files with such cells the probe missed; the typed read's cast
   * errors are dropped from the rejected lines), and they are remembered for the next staging.
   * The reader names every bad cell of a row; should a second typed read still fail, the third
   * is all text.
   */
  private async stageFile(f: LoadedFile, textSpec: StageSpec): Promise<{ spec: StageSpec; statements: string[] }> {
    const full = f.dialect ? typedCsvRead(textSpec.mapping, f.dialect.columns, f.dateFormat, f.decimalComma) : null;
    const key = JSON.stringify(full);
    this.onStaging('stage', f.name);
    if (f.untyped?.key !== key) f.untyped = { key, columns: full ? await this.probeRejects(f, full) : [] };
    const untyped = f.untyped;
    for (let attempt = 0; attempt < 2; attempt++) {
      const typed = full && typedReadWithout(full, untyped.columns);
      if (!typed) break;
      const spec = { ...textSpec, columns: withReadTypes(f.columns, typed) };
      let failed: string[] = [];
      try {
        const statements = await this.runStageRead(f, spec, typed);
        failed = await castRejectColumns(this.db, f.rejectsTable);
        if (failed.length === 0) {
          if (attempt > 0) this.onStaging('stage', f.name); // what follows is plain staging again
          return { spec, statements };
        }
      } catch (e) {
        // Cancelled stays cancelled; any other failure of the typed read is the text read's to
        // report (with its own message) or to get past.
        rethrowCancel(e);
        failed = Object.keys(typed.types);
      }
      await clearCastRejects(this.db, f.rejectsTable);
      await this.db.exec(`DROP TABLE IF EXISTS ${ident(textSpec.table)}`); // before the next read: not both in memory
      untyped.columns = attempt === 0 ? [...new Set([...untyped.columns, ...failed])] : Object.keys(full!.types);
      this.onStaging('restage', f.name);
    }
    const statements = await this.runStageRead(f, textSpec, null);
    this.onStaging('stage', f.name); // what follows (duplicates, checks) is plain staging again
    return { spec: textSpec, statements };
  }

  /**
   * The typed columns whose cells in the file's probe lines (LoadedFile.probe) the typed read
   * rejects: read typed, the whole file would be read twice; they are read as text instead.
   * The probe is read apart, under a name of its own, with rejects kept apart from the file's.
   */
  private async probeRejects(f: LoadedFile, typed: TypedRead): Promise<string[]> {
    if (!f.probe || !f.dialect) return [];
    const name = `${PROBE_FILE_PREFIX}${f.stageTable}.csv`;
    this.db.bindings.registerFileBuffer(name, f.probe);
    try {
      // Counting the typed columns makes the reader parse them (count(*) alone parses nothing).
      const parsed = Object.keys(typed.types).map((c, i) => `count(${ident(c)}) AS "${i}"`);
      await this.db.rows(`SELECT ${parsed.join(', ')} FROM ${csvFrom(name, { ...f.dialect, header: false }, PROBE_REJECTS, 'stage', typed, true)}`);
      return await castRejectColumns(this.db, PROBE_REJECTS);
    } catch (e) {
      rethrowCancel(e);
      return []; // lines it cannot read say nothing about the file: the typed read decides
    } finally {
      await this.db.exec(`DROP TABLE IF EXISTS ${ident(PROBE_REJECTS)}`).catch(() => {});
      await this.db.exec(`DROP TABLE IF EXISTS ${ident(PROBE_REJECTS + '_scan')}`).catch(() => {});
      this.db.bindings.dropFile(name);
    }
  }

  /** The staging read; a CSV whose quoted fields span lines is read again with the serial scanner. */
  private async runStageRead(f: LoadedFile, spec: StageSpec, typed: TypedRead | null): Promise<string[]> {
    spec.from = f.dialect ? csvFrom(f.name, f.dialect, f.rejectsTable, f.serialRead ? 'serial' : 'stage', typed, true) : f.from;
    spec.overflow = Boolean(f.dialect);
    let statements = stageStatements(spec);
    try {
      await this.db.exec(statements[0]);
    } catch (e) {
      if (!f.dialect || f.serialRead || !stageReadFailed(e)) throw e;
      // A quoted field spanning lines: read this file with the single-threaded scanner from now on.
      f.serialRead = true;
      f.from = csvFrom(f.name, f.dialect, f.rejectsTable, 'serial');
      spec.from = csvFrom(f.name, f.dialect, f.rejectsTable, 'serial', typed, true);
      statements = stageStatements(spec);
      await this.db.exec(statements[0]);
    }
    return statements;
  }

  /** The survey file's rows as the table survey_raw for the satisfaction model (surveys are small). */
  private async stageSurvey(): Promise<void> {
    // With several survey files, the one loaded last is the survey in use.
    const file = this.files.filter((f) => f.kind === 'survey').at(-1);
    const key = file ? JSON.stringify([file.name, file.from]) : '';
    if (key === this.surveyKey) return;
    this.surveyKey = '';
    await this.db.exec(file ? createSurveyTableSql(file.from) : dropSurveyTableSql());
    this.surveyKey = key;
  }

  private async qualityReport(config: AnalysisConfig, txFiles: LoadedFile[], clean: Pick<QualityCounts, 'clean_rows' | 'clean_orders' | 'clean_customers'>): Promise<QualityReport> {
    const [staged] = await this.db.rows<Omit<QualityCounts, 'rejected' | keyof typeof clean>>(qualityCountsSql(config.policies));
    const counts = { ...staged, ...clean };
    let rejected = 0;
    const rejectedExamples: QualityReport['rejectedExamples'] = [];
    for (const f of txFiles) {
      if (!f.rejectsTable) continue;
      const r = await rejectedLines(this.db, f.rejectsTable);
      rejected += r.count;
      rejectedExamples.push(...r.examples.map((e) => ({ ...e, file: f.name })));
    }
    return { counts: { ...counts, rejected }, rejectedExamples };
  }

  /** A customer-attributes file joins the transactions by customer id (first row per id wins). */
  private async attachCustomerAttributes(mapping: ColumnMapping): Promise<DatasetState['customerAttributes']> {
    const file = this.files.find((f) => f.kind === 'customers');
    if (!file) {
      await this.db.exec(`CREATE OR REPLACE TABLE customer_attributes AS SELECT CAST(NULL AS VARCHAR) AS customer_id WHERE false`);
      return null;
    }
    const idColumn = file.detection.mapping.customer_id ?? mapping.customer_id;
    if (!idColumn || !file.columns.some((c) => c.name === idColumn)) return null;
    const others = file.columns.filter((c) => c.name !== idColumn);
    await this.db.exec(`CREATE OR REPLACE TABLE customer_attributes AS
      SELECT regexp_replace(NULLIF(trim(CAST(${ident(idColumn)} AS VARCHAR)), ''), '^(-?[0-9]+)\\.0+$', '\\1') AS customer_id,
        ${others.map((c) => `first(${ident(c.name)}) AS ${ident(c.name)}`).join(', ') || 'NULL AS _none'}
      FROM ${file.from} WHERE NULLIF(trim(CAST(${ident(idColumn)} AS VARCHAR)), '') IS NOT NULL GROUP BY 1`);
    const [r] = await this.db.rows<{ customers: number; matched: number }>(`SELECT
      CAST(count(*) AS INTEGER) AS customers,
      CAST(count(*) FILTER (WHERE customer_id IN (SELECT customer_id FROM clean_tx)) AS INTEGER) AS matched
      FROM customer_attributes`);
    return { file: file.name, columns: others.map((c) => c.name), ...r };
  }
}

/** The sniffer's format for a column it typed as DATE/TIMESTAMP, else a guess from samples. */
export function dateFormatFor(profile: ColumnProfile | undefined, dialect: CsvDialect | null): string | null {
  if (!profile) return null;
  if (/^TIMESTAMP/i.test(profile.type)) return dialect?.timestampFormat ?? null;
  if (/^DATE/i.test(profile.type)) return dialect?.dateFormat ?? null;
  // Text that is obviously not a date ("n/a", "unknown") must not veto the format of the rest.
  return suggestDateFormat(profile.samples.filter((v) => v !== null && /\d/.test(v)));
}

function summarise(f: LoadedFile): FileSummary {
  return {
    name: f.name,
    format: f.format,
    kind: f.kind,
    size: f.size,
    encoding: f.encoding,
    delimiter: f.read.delimiter === 'whitespace' ? 'whitespace' : (f.dialect?.delimiter ?? null),
    header: f.dialect?.header ?? null,
    dateFormat: f.dateFormat,
    decimalComma: f.decimalComma,
    columns: f.columns,
    samples: Object.fromEntries(f.profiles.map((p) => [p.name, [...new Set(p.samples.map((v) => v ?? ''))].slice(0, 4)])),
  };
}

/** Whether a file must be read again (not just re-staged) for these settings. */
export function needsReread(file: LoadedFile, read: FileReadSettings | undefined): boolean {
  if (file.format !== 'csv' || !read) return false;
  return read.encoding !== file.read.encoding || read.delimiter !== file.read.delimiter || read.header !== file.read.header;
}

