// The satisfaction model over the loaded survey file (table survey_raw, see Workspace):
//  - surveyProfile: the survey's columns, which of them are answer items (numbers on a small
//    scale), their observed range and missing counts, and the likely customer-id and 0–10
//    recommend columns — what the model editor needs;
//  - surveyModel: items → reverse coding → missing-data handling → PLS fit → bootstrap
//    (progress, cancel) → 0–100 indices → IPMA for the target → NPS → results by RFM
//    segment and loyalty vs actual repeat purchasing when respondents carry customer ids.
import { bootstrapPlsAsync, fitPls, importancePerformance, PlsCancelledError, prepareSurveyData, type BootstrapResult, type IpmaResult, type PlsModelSpec, type PlsResult } from '../../core/models/pls';
import { CLEAN_VIEW } from '../../core/schema';
import { segmentationSql } from '../../core/sql/rfm';
import { resolveSegmentationOptions } from '../../core/segmentation-options';
import { SURVEY_TABLE, relationExistsSql, surveyColumnsSql, surveyCustomersSql, surveyProfileSql, surveyValuesSql } from '../../core/sql/survey';
import { constructIndices, ipmaActions, netPromoterScore, pearson, type IpmaAction, type NetPromoter } from '../../core/survey-indices';
import {
  bestPreset,
  effectiveTarget,
  keyConstructs,
  MAX_RESAMPLES,
  modelForPreset,
  resolveSurveyOptions,
  validateSurveyModel,
  type ItemScale,
  type ModelIssue,
  type SurveyOptions,
  type SurveyPreset,
} from '../../core/survey-presets';
import { CancelledError, EngineError, type Database } from '../database';
import type { AnalysisContext } from './context';

export interface SurveyColumn {
  name: string;
  /** Non-empty cells. */
  filled: number;
  /** Cells that read as numbers. */
  numeric: number;
  min: number | null;
  max: number | null;
  /** Distinct non-empty texts (for id detection). */
  distinct: number;
  /** An answer item: every filled cell an integer number on a range of at most 100 points. */
  item: boolean;
}

export interface SurveyProfile {
  rows: number;
  columns: SurveyColumn[];
  /** Names of the item columns, in file order (the NPS column included). */
  items: string[];
  /** Detected customer-id column, or null. */
  idColumn: string | null;
  /** Detected 0–10 recommend column, or null. */
  npsColumn: string | null;
  /** The preset that fits the columns. */
  suggestedPreset: SurveyPreset;
}

const CUSTOMER_NAME = /customer|cust_?id|client|member|客户|会员|顾客/i;
const ID_NAME = /(^|[^a-z])(id|customer|cust|client|member|respondent|user)([^a-z]|$)|客户|会员|顾客|编号|用户/i;
const NPS_NAME = /nps|recommend|推荐/i;

async function requireSurveyTable(db: Database): Promise<void> {
  const [{ n }] = await db.rows<{ n: number }>(relationExistsSql(SURVEY_TABLE));
  if (!n) throw new EngineError('survey.err.noSurvey', 'No survey file is loaded (or none is marked as a survey in Files).', undefined, 'input');
}

async function exists(db: Database, name: string): Promise<boolean> {
  const [{ n }] = await db.rows<{ n: number }>(relationExistsSql(name));
  return n > 0;
}

export async function surveyProfile(ctx: AnalysisContext, _params: void): Promise<SurveyProfile> {
  await requireSurveyTable(ctx.db);
  const names = (await ctx.db.rows<{ name: string }>(surveyColumnsSql())).map((r) => r.name);
  const stats = await ctx.db.rows<{
    name: string;
    rows: number;
    filled: number;
    numeric: number;
    integers: number;
    min: number | null;
    max: number | null;
    distinct_texts: number;
  }>(surveyProfileSql(names));
  const rows = stats[0]?.rows ?? 0;
  const columns: SurveyColumn[] = stats.map((s) => ({
    name: s.name,
    filled: s.filled,
    numeric: s.numeric,
    min: s.min,
    max: s.max,
    distinct: s.distinct_texts,
    item: s.filled > 0 && s.numeric === s.filled && s.integers === s.numeric && s.max !== null && s.min !== null && s.max - s.min <= 100 && s.max > s.min,
  }));
  const items = columns.filter((c) => c.item && !ID_NAME.test(c.name)).map((c) => c.name);
  const unique = (c: SurveyColumn) => c.filled > 0 && c.distinct >= Math.max(2, c.filled * 0.9);
  const idColumn =
    columns.find((c) => CUSTOMER_NAME.test(c.name) && unique(c))?.name ??
    columns.find((c) => ID_NAME.test(c.name) && unique(c))?.name ??
    columns.find((c) => !c.item && c.numeric < c.filled && c.filled > 0 && c.distinct >= c.filled * 0.9)?.name ??
    null;
  const zeroToTen = columns.filter((c) => items.includes(c.name) && c.min !== null && c.max !== null && c.min >= 0 && c.max <= 10 && c.max >= 8);
  const npsColumn = zeroToTen.find((c) => NPS_NAME.test(c.name))?.name ?? zeroToTen.find((c) => c.min === 0)?.name ?? null;
  const modelItems = items.filter((i) => i !== npsColumn);
  return { rows, columns, items, idColumn, npsColumn, suggestedPreset: bestPreset(modelItems) };
}

export interface SegmentRow {
  segment: string;
  respondents: number;
  satisfaction: number | null;
  loyalty: number | null;
  nps: number | null;
}

export interface RepeatBucket {
  /** Inclusive frequency range; max null = open-ended. */
  min: number;
  max: number | null;
  respondents: number;
  loyalty: number;
  satisfaction: number | null;
}

export interface SurveyModelResult {
  preset: SurveyPreset;
  model: PlsModelSpec;
  /** Respondents in the file, and used in the fit. */
  rows: number;
  used: number;
  missing: { strategy: 'mean' | 'casewise'; dropped: number; replaced: number; replacedByColumn: Record<string, number> };
  scales: Record<string, ItemScale>;
  reversed: string[];
  fit: PlsResult;
  bootstrap: BootstrapResult | null;
  /** 0–100 ACSI-style index per construct and per respondent. */
  index: Record<string, number>;
  indexScores: Record<string, number[]>;
  satisfaction: string | null;
  loyalty: string | null;
  target: string | null;
  ipma: IpmaResult | null;
  actions: IpmaAction[];
  meanImportance: number;
  meanPerformance: number;
  /** File row (1-based) of each respondent used in the fit. */
  respondentRows: number[];
  /** Customer id of each respondent used in the fit (null without an id column). */
  respondentIds: (string | null)[];
  nps: (NetPromoter & { column: string }) | null;
  idColumn: string | null;
  /** What the join with the transactions found; null when there is no id column or no transactions. */
  customers: {
    respondentsWithId: number;
    matched: number;
    segments: SegmentRow[] | null;
    /** 'noSegmentation' when the segmentation settings are invalid (segments is then null). */
    segmentsNote: 'noSegmentation' | null;
    repeat: { buckets: RepeatBucket[]; correlation: number } | null;
  } | null;
  warnings: string[];
}

/** The model in force: the configured one, or the preset resolved against the survey's items. */
export function resolveModel(options: SurveyOptions, items: readonly string[]): PlsModelSpec {
  if (options.constructs.length > 0) {
    return { constructs: options.constructs.map((c) => ({ name: c.name, indicators: [...c.indicators], mode: c.mode })), paths: options.paths.map(([a, b]) => [a, b]) };
  }
  return modelForPreset(options.preset, items);
}

function invalid(issues: ModelIssue[]): EngineError {
  // The editor shows each issue translated; here the banner names the problem and lists them.
  const detail = issues.map((i) => `${i.key.replace('survey.err.', '')}${Object.keys(i.params).length ? ` (${Object.values(i.params).join(', ')})` : ''}`);
  return new EngineError('survey.err.invalidModel', detail.join('; '), undefined, 'input');
}

const BUCKETS: [number, number | null][] = [
  [0, 0],
  [1, 1],
  [2, 2],
  [3, 4],
  [5, null],
];

export async function surveyModel(ctx: AnalysisContext, _params: void): Promise<SurveyModelResult> {
  const options = resolveSurveyOptions(ctx.config.survey);
  const profile = await surveyProfile(ctx, undefined);
  const columnNames = profile.columns.map((c) => c.name);
  const model = resolveModel(options, profile.items);
  const issues = validateSurveyModel(model, columnNames);
  if (issues.length) throw invalid(issues);
  if (!Number.isInteger(options.resamples) || options.resamples < 0 || options.resamples > MAX_RESAMPLES) {
    throw new EngineError('survey.err.resamples', `Resamples must be 0 (no bootstrap) or an integer from 2 to ${MAX_RESAMPLES}, got ${options.resamples}.`, undefined, 'input');
  }
  const items = [...new Set(model.constructs.flatMap((c) => c.indicators))];
  const nonNumeric = items.filter((i) => {
    const col = profile.columns.find((c) => c.name === i);
    return !col || col.numeric === 0;
  });
  if (nonNumeric.length) throw new EngineError('survey.err.notNumeric', `Not numeric: ${nonNumeric.join(', ')}`, undefined, 'input');

  const idColumn = options.idColumn === null ? profile.idColumn : options.idColumn && columnNames.includes(options.idColumn) ? options.idColumn : null;
  const npsColumn = options.npsColumn === null ? profile.npsColumn : options.npsColumn && columnNames.includes(options.npsColumn) ? options.npsColumn : null;

  // Values in file order; the NPS column rides along (it is not a model item unless assigned).
  const fetched = npsColumn && !items.includes(npsColumn) ? [...items, npsColumn] : items;
  const raw = await ctx.db.rows<Record<string, number | string | null>>(surveyValuesSql(fetched, idColumn));
  const rows = raw.length;
  const data: Record<string, (number | null)[]> = {};
  fetched.forEach((item, i) => (data[item] = raw.map((r) => r[`c${i}`] as number | null)));
  const ids = raw.map((r) => (r.id as string | null) ?? null);

  // Scales: configured, else observed; reverse-coded items are mirrored within their scale.
  const scales: Record<string, ItemScale> = {};
  for (const item of items) {
    const col = profile.columns.find((c) => c.name === item)!;
    const s = options.scales[item] ?? { min: col.min ?? 0, max: col.max ?? 0 };
    if (!(Number.isFinite(s.min) && Number.isFinite(s.max) && s.max > s.min)) {
      throw new EngineError('survey.err.scale', `The scale of ${item} must have max > min (got ${s.min}–${s.max}).`, undefined, 'input');
    }
    if ((col.min !== null && col.min < s.min) || (col.max !== null && col.max > s.max)) {
      throw new EngineError('survey.err.outOfScale', `${item} has answers from ${col.min} to ${col.max}, outside its scale ${s.min}–${s.max}.`, undefined, 'input');
    }
    scales[item] = s;
  }
  const reversed = options.reversed.filter((r) => items.includes(r));
  for (const item of reversed) {
    const { min, max } = scales[item];
    data[item] = data[item].map((v) => (v === null ? null : min + max - v));
  }

  const prepared = prepareSurveyData(data, { missing: options.missing, columns: items });
  const dropped = new Set(prepared.droppedRows);
  const kept = raw.map((_, i) => i).filter((i) => !dropped.has(i));
  const used = kept.length;
  let fit: PlsResult;
  try {
    fit = fitPls(prepared.data, model, { scheme: options.scheme });
  } catch (e) {
    throw new EngineError('survey.err.fit', e instanceof Error ? e.message : String(e), undefined, 'input');
  }

  let bootstrap: BootstrapResult | null = null;
  if (options.resamples >= 2) {
    const signal = {
      get cancelled() {
        return ctx.isCancelled();
      },
    };
    ctx.progress(0, 'survey.progress.bootstrap');
    try {
      bootstrap = await bootstrapPlsAsync(prepared.data, model, {
        scheme: options.scheme,
        resamples: options.resamples,
        seed: options.seed,
        signal,
        onProgress: (done, total) => {
          if (done % 25 === 0 || done === total) ctx.progress(done / total, 'survey.progress.bootstrap');
        },
      });
    } catch (e) {
      if (e instanceof PlsCancelledError) throw new CancelledError();
      throw new EngineError('survey.err.fit', e instanceof Error ? e.message : String(e), undefined, 'input');
    }
  }

  const indices = constructIndices(prepared.data, model, fit.outerWeights, scales);
  const { satisfaction, loyalty } = keyConstructs(model);
  const target = effectiveTarget(model, options.target);
  const warnings: string[] = [];
  let ipma: IpmaResult | null = null;
  if (target) {
    ipma = importancePerformance(prepared.data, model, fit, target, scales);
    warnings.push(...ipma.warnings);
  }
  const { actions, meanImportance, meanPerformance } = ipma ? ipmaActions(ipma) : { actions: [], meanImportance: Number.NaN, meanPerformance: Number.NaN };
  const nps = npsColumn ? { column: npsColumn, ...netPromoterScore(data[npsColumn]) } : null;
  const respondentIds = kept.map((i) => ids[i]);

  const customers = idColumn && (await exists(ctx.db, CLEAN_VIEW)) ? await joinCustomers(ctx, idColumn, respondentIds, kept, indices.scores, satisfaction, loyalty, npsColumn ? data[npsColumn] : null) : null;

  return {
    preset: options.preset,
    model,
    rows,
    used,
    missing: { strategy: options.missing, dropped: prepared.dropped, replaced: prepared.replaced, replacedByColumn: prepared.replacedByColumn },
    scales,
    reversed,
    fit,
    bootstrap,
    index: indices.index,
    indexScores: indices.scores,
    satisfaction,
    loyalty,
    target,
    ipma,
    actions,
    meanImportance,
    meanPerformance,
    respondentRows: kept.map((i) => i + 1),
    respondentIds: idColumn ? respondentIds : [],
    nps,
    idColumn,
    customers,
    warnings,
  };
}

async function joinCustomers(
  ctx: AnalysisContext,
  idColumn: string,
  respondentIds: (string | null)[],
  kept: number[],
  scores: Record<string, number[]>,
  satisfaction: string | null,
  loyalty: string | null,
  npsValues: (number | null)[] | null,
): Promise<NonNullable<SurveyModelResult['customers']>> {
  // Segments computed here from clean_tx with the configured segmentation (the segmentation
  // view's customer_rfm table may belong to an earlier data set or as-of date).
  let segmentation: string | null = null;
  try {
    const options = resolveSegmentationOptions(ctx.config.segmentation);
    segmentation = segmentationSql({ ...options, asOf: options.asOf ?? ctx.config.asOf }, { source: 'inline' });
  } catch {
    segmentation = null;
  }
  const rows = await ctx.db.rows<{ customer_id: string; frequency: number | null; segment: string | null }>(surveyCustomersSql(idColumn, ctx.config.asOf, segmentation));
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  const sat = satisfaction ? scores[satisfaction] : null;
  const loy = loyalty ? scores[loyalty] : null;
  let withId = 0;
  let matched = 0;
  const groups = new Map<string, { n: number; sat: number; loy: number; nps: (number | null)[] }>();
  const freq: number[] = [];
  const loyForFreq: number[] = [];
  const buckets = BUCKETS.map(([min, max]) => ({ min, max, respondents: 0, loyaltySum: 0, satSum: 0 }));
  respondentIds.forEach((id, r) => {
    if (id === null) return;
    withId++;
    const row = byId.get(id);
    if (!row || row.frequency === null) return;
    matched++;
    if (row.segment !== null && segmentation) {
      const g = groups.get(row.segment) ?? { n: 0, sat: 0, loy: 0, nps: [] };
      g.n++;
      if (sat) g.sat += sat[r];
      if (loy) g.loy += loy[r];
      if (npsValues) g.nps.push(npsValues[kept[r]]);
      groups.set(row.segment, g);
    }
    if (loy) {
      freq.push(row.frequency);
      loyForFreq.push(loy[r]);
      const b = buckets.find((x) => row.frequency! >= x.min && (x.max === null || row.frequency! <= x.max))!;
      b.respondents++;
      b.loyaltySum += loy[r];
      if (sat) b.satSum += sat[r];
    }
  });
  const segments = segmentation
    ? [...groups.entries()]
        .map(([segment, g]) => ({
          segment,
          respondents: g.n,
          satisfaction: sat ? g.sat / g.n : null,
          loyalty: loy ? g.loy / g.n : null,
          nps: npsValues ? netPromoterScore(g.nps).score : null,
        }))
        .sort((a, b) => b.respondents - a.respondents)
    : null;
  const repeat = loy
    ? {
        buckets: buckets
          .filter((b) => b.respondents > 0)
          .map((b) => ({ min: b.min, max: b.max, respondents: b.respondents, loyalty: b.loyaltySum / b.respondents, satisfaction: sat ? b.satSum / b.respondents : null })),
        correlation: pearson(freq, loyForFreq),
      }
    : null;
  return { respondentsWithId: withId, matched, segments, segmentsNote: segmentation ? null : 'noSegmentation', repeat };
}
