// Everything that shapes RFM / ABC / lifecycle segmentation, as one plain JSON-serialisable
// object (it is folded into AnalysisConfig and travels in share links and project files).
// `resolveSegmentationOptions` is the single entry point: it fills defaults and rejects
// anything the SQL builders could not honour, with a message that says what to change.

export type SegmentSchemeId = 'classic8' | 'crm4' | 'grid11' | 'custom';
export const SEGMENT_SCHEME_IDS: readonly SegmentSchemeId[] = ['classic8', 'crm4', 'grid11', 'custom'];

export interface LocalizedText {
  en: string;
  zh: string;
}

/**
 * User-set cut points per dimension instead of quantile bins. Each list is strictly ascending;
 * with k cut points a dimension gets scores 1..k+1 and all three lists must have the same length.
 *  - r (days since last purchase): recency_days ≤ r[0] → k+1 (most recent), r[0] < recency_days ≤ r[1] → k, …,
 *    recency_days > r[k-1] → 1. In other words score = 1 + #{c in r : c ≥ recency_days}.
 *  - f (orders), m (money): value < c[0] → 1, c[0] ≤ value < c[1] → 2, …, value ≥ c[k-1] → k+1.
 *    In other words score = 1 + #{c : c ≤ value}.
 */
export interface RfmThresholds {
  r: number[];
  f: number[];
  m: number[];
}

/** One row of the user's rules table; rules are tried top to bottom, the first match wins. */
export interface CustomSegmentRule {
  /** Stable key (exported when labels are ids); unique within the table. */
  id: string;
  name: LocalizedText;
  description?: LocalizedText;
  strategy: LocalizedText;
  /** Inclusive score ranges [min, max] within 1..bins. */
  r: [number, number];
  f: [number, number];
  m: [number, number];
}

/** ABC cut-offs on the share of revenue held by the customers ranked before a customer. */
export interface AbcCutoffs {
  /** A if cum_before < a (default 0.80). */
  a: number;
  /** else B if cum_before < b (default 0.95), else C. */
  b: number;
}

/** Lifecycle windows in days. */
export interface LifecycleWindows {
  /** new if first_purchase ≥ as_of − newDays (default 90). */
  newDays: number;
  /** else active if recency_days ≤ activeDays (default 90). */
  activeDays: number;
  /** else silent if recency_days ≤ silentDays (default 180), else churned. */
  silentDays: number;
}

export interface SegmentationOptions {
  /** ISO day (YYYY-MM-DD); null = the day after the last transaction date. Never the wall clock. */
  asOf: string | null;
  /** Quantile bins per dimension, 3..10. Ignored when thresholds are set. */
  bins: number;
  /** When set, scores come from these cut points instead of quantile bins. */
  thresholds: RfmThresholds | null;
  scheme: SegmentSchemeId;
  /** Used when scheme = 'custom'. */
  customRules: CustomSegmentRule[];
  abc: AbcCutoffs;
  lifecycle: LifecycleWindows;
  /**
   * The editable playbook: the user's own recommended action per segment id (any scheme),
   * ABC class (`abc:A`, `abc:B`, `abc:C`) or lifecycle stage (`lifecycle:new` …), per language.
   * A language left out (or blank) falls back to the built-in text. See core/playbook.ts.
   */
  strategyOverrides: StrategyOverrides;
}

export type StrategyOverrides = Record<string, Partial<LocalizedText>>;

/** Longest strategy text accepted (a paragraph, not a document). */
export const MAX_STRATEGY_CHARS = 2000;

export const MIN_BINS = 3;
export const MAX_BINS = 10;
export const MAX_WINDOW_DAYS = 36_500;

export const DEFAULT_SEGMENTATION_OPTIONS: SegmentationOptions = Object.freeze({
  asOf: null,
  bins: 5,
  thresholds: null,
  scheme: 'classic8',
  customRules: [],
  abc: Object.freeze({ a: 0.8, b: 0.95 }),
  lifecycle: Object.freeze({ newDays: 90, activeDays: 90, silentDays: 180 }),
  strategyOverrides: Object.freeze({}),
}) as SegmentationOptions;

/** What a caller may pass: any subset; nested objects may be partial too. */
export interface SegmentationOptionsInput {
  asOf?: string | null;
  bins?: number;
  thresholds?: RfmThresholds | null;
  scheme?: SegmentSchemeId;
  customRules?: CustomSegmentRule[];
  abc?: Partial<AbcCutoffs>;
  lifecycle?: Partial<LifecycleWindows>;
  strategyOverrides?: StrategyOverrides;
}

/** Defaults filled in and validated; throws an Error naming the offending setting. */
export function resolveSegmentationOptions(input: SegmentationOptionsInput = {}): SegmentationOptions {
  const d = DEFAULT_SEGMENTATION_OPTIONS;
  const options: SegmentationOptions = {
    asOf: input.asOf === undefined ? d.asOf : input.asOf,
    bins: input.bins === undefined ? d.bins : input.bins,
    thresholds: input.thresholds === undefined ? d.thresholds : input.thresholds,
    scheme: input.scheme === undefined ? d.scheme : input.scheme,
    customRules: input.customRules === undefined ? [] : input.customRules,
    abc: { ...d.abc, ...definedOnly(input.abc) },
    lifecycle: { ...d.lifecycle, ...definedOnly(input.lifecycle) },
    strategyOverrides: input.strategyOverrides === undefined ? {} : input.strategyOverrides,
  };
  validateSegmentationOptions(options);
  return options;
}

/** The number of score levels actually used: bins, or (cut points + 1) with thresholds. */
export function effectiveBins(options: Pick<SegmentationOptions, 'bins' | 'thresholds'>): number {
  return options.thresholds ? options.thresholds.r.length + 1 : options.bins;
}

export function validateSegmentationOptions(o: SegmentationOptions): void {
  const fail = (message: string): never => {
    throw new Error(`Segmentation settings: ${message}`);
  };

  if (o.asOf !== null && !isIsoDay(o.asOf)) {
    fail(`the reference date (as of) must be a real calendar day written YYYY-MM-DD, got ${JSON.stringify(o.asOf)}.`);
  }

  if (!Number.isInteger(o.bins) || o.bins < MIN_BINS || o.bins > MAX_BINS) {
    fail(`bins must be a whole number from ${MIN_BINS} to ${MAX_BINS}, got ${String(o.bins)}.`);
  }

  if (o.thresholds !== null) {
    const t = o.thresholds;
    const lengths: number[] = [];
    for (const dim of ['r', 'f', 'm'] as const) {
      const cuts = t[dim];
      const label = dimensionLabel(dim);
      if (!Array.isArray(cuts)) fail(`${label} thresholds must be a list of numbers.`);
      if (cuts.length < MIN_BINS - 1 || cuts.length > MAX_BINS - 1) {
        fail(
          `${label} needs ${MIN_BINS - 1} to ${MAX_BINS - 1} cut points (giving ${MIN_BINS}..${MAX_BINS} scores), got ${cuts.length}.`,
        );
      }
      cuts.forEach((c, i) => {
        if (typeof c !== 'number' || !Number.isFinite(c)) fail(`${label} cut point #${i + 1} is not a finite number (${String(c)}).`);
        if (i > 0 && !(c > cuts[i - 1])) {
          fail(`${label} cut points must be strictly ascending, but ${c} follows ${cuts[i - 1]}.`);
        }
      });
      lengths.push(cuts.length);
    }
    if (lengths[0] !== lengths[1] || lengths[1] !== lengths[2]) {
      fail(
        `recency, frequency and monetary need the same number of cut points so their scores share one scale; got ${lengths.join(', ')}.`,
      );
    }
  }

  if (!SEGMENT_SCHEME_IDS.includes(o.scheme)) {
    fail(`unknown segment scheme ${JSON.stringify(o.scheme)}; choose one of ${SEGMENT_SCHEME_IDS.join(', ')}.`);
  }

  const { a, b } = o.abc;
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b) || !(a > 0) || !(a < b) || !(b <= 1)) {
    fail(`ABC cut-offs must satisfy 0 < A < B ≤ 1 (shares of revenue, e.g. 0.8 and 0.95), got A = ${String(a)}, B = ${String(b)}.`);
  }

  const { newDays, activeDays, silentDays } = o.lifecycle;
  for (const [name, v] of [
    ['new window', newDays],
    ['active window', activeDays],
    ['silent window', silentDays],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_WINDOW_DAYS) fail(`the lifecycle ${name} must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}, got ${String(v)}.`);
  }
  if (silentDays < activeDays) {
    fail(`the lifecycle silent window (${silentDays} days) must not be shorter than the active window (${activeDays} days).`);
  }

  if (!Array.isArray(o.customRules)) fail('custom rules must be a list.');
  if (o.scheme === 'custom' && o.customRules.length === 0) {
    fail('the custom scheme needs at least one rule (score ranges → segment).');
  }
  const bins = effectiveBins(o);
  const seen = new Set<string>();
  o.customRules.forEach((rule, i) => {
    const where = `custom rule #${i + 1}`;
    if (typeof rule.id !== 'string' || rule.id.trim() === '') fail(`${where} needs a non-empty id.`);
    if (rule.id.includes('\u0000')) fail(`${where} id contains a NUL character.`);
    if (rule.id === UNASSIGNED_ID) fail(`${where} may not use the reserved id "${UNASSIGNED_ID}".`);
    if (seen.has(rule.id)) fail(`${where} repeats the id ${JSON.stringify(rule.id)}; ids must be unique.`);
    seen.add(rule.id);
    if (!rule.name || (textOf(rule.name.en) === '' && textOf(rule.name.zh) === '')) fail(`${where} (${rule.id}) needs a name.`);
    if (!rule.strategy || typeof rule.strategy.en !== 'string' || typeof rule.strategy.zh !== 'string') {
      fail(`${where} (${rule.id}) needs a strategy text in en and zh (may be empty strings).`);
    }
    for (const dim of ['r', 'f', 'm'] as const) {
      const range = rule[dim];
      const label = dimensionLabel(dim);
      if (!Array.isArray(range) || range.length !== 2) fail(`${where} (${rule.id}): the ${label} range must be [min, max].`);
      const [lo, hi] = range;
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > bins || lo > hi) {
        fail(`${where} (${rule.id}): the ${label} range must be whole scores with 1 ≤ min ≤ max ≤ ${bins}, got [${String(lo)}, ${String(hi)}].`);
      }
    }
  });

  validateStrategyOverrides(o.strategyOverrides, fail);
}

function validateStrategyOverrides(overrides: unknown, fail: (message: string) => never): void {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    fail('strategy overrides must be an object keyed by segment id.');
  }
  for (const [key, text] of Object.entries(overrides as Record<string, unknown>)) {
    if (key.trim() === '' || key.includes('\u0000')) fail(`a strategy override has an empty or invalid key ${JSON.stringify(key)}.`);
    if (text === null || typeof text !== 'object' || Array.isArray(text)) fail(`the strategy override for ${JSON.stringify(key)} must be an object { en?, zh? }.`);
    for (const [lang, value] of Object.entries(text as Record<string, unknown>)) {
      if (lang !== 'en' && lang !== 'zh') fail(`the strategy override for ${JSON.stringify(key)} has an unknown language ${JSON.stringify(lang)} (use en or zh).`);
      if (value !== undefined && typeof value !== 'string') fail(`the ${lang} strategy override for ${JSON.stringify(key)} must be text.`);
      if (typeof value === 'string' && value.includes('\u0000')) fail(`the ${lang} strategy override for ${JSON.stringify(key)} contains a NUL character.`);
      if (typeof value === 'string' && value.length > MAX_STRATEGY_CHARS) {
        fail(`the ${lang} strategy override for ${JSON.stringify(key)} is ${value.length} characters long; keep it under ${MAX_STRATEGY_CHARS}.`);
      }
    }
  }
}

/** The segment a custom scheme gives customers no rule matched. */
export const UNASSIGNED_ID = 'unassigned';

function dimensionLabel(dim: 'r' | 'f' | 'm'): string {
  return dim === 'r' ? 'recency (R)' : dim === 'f' ? 'frequency (F)' : 'monetary (M)';
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A real calendar day in YYYY-MM-DD (rejects 2024-02-30). */
export function isIsoDay(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
