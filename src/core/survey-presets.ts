// The satisfaction model's configuration: the `survey` section of AnalysisConfig, the preset
// models (the seed's customer-relationship model, ACSI, ECSI), construct suggestions from
// item-name prefixes for custom models, and validation with message keys the UI translates.
// Pure TypeScript: runs in the worker, the UI and Node tests.
import type { InnerScheme, PlsMode, PlsModelSpec } from './models/pls';

export type SurveyPreset = 'seed' | 'acsi' | 'ecsi' | 'custom';
export const SURVEY_PRESETS: readonly SurveyPreset[] = ['seed', 'acsi', 'ecsi', 'custom'];

export interface SurveyConstruct {
  name: string;
  indicators: string[];
  /** A = reflective, B = formative. */
  mode: PlsMode;
}

export interface ItemScale {
  min: number;
  max: number;
}

export interface SurveyOptions {
  preset: SurveyPreset;
  /** The model in force; empty = the preset resolved against the survey's columns. */
  constructs: SurveyConstruct[];
  paths: [from: string, to: string][];
  scheme: InnerScheme;
  missing: 'mean' | 'casewise';
  resamples: number;
  seed: number;
  /** IPMA target construct; '' = the satisfaction construct. */
  target: string;
  /** Answer scale per item; items not listed use the observed min/max. */
  scales: Record<string, ItemScale>;
  /** Reverse-coded items: x becomes min + max − x before anything else. */
  reversed: string[];
  /** Respondent → customer id column; null = detect, '' = none. */
  idColumn: string | null;
  /** 0–10 likelihood-to-recommend column; null = detect, '' = none. */
  npsColumn: string | null;
}

export const DEFAULT_SURVEY_OPTIONS: SurveyOptions = {
  preset: 'seed',
  constructs: [],
  paths: [],
  scheme: 'path',
  missing: 'mean',
  resamples: 1000,
  seed: 123,
  target: '',
  scales: {},
  reversed: [],
  idColumn: null,
  npsColumn: null,
};

export const MAX_RESAMPLES = 10_000;

/** A survey section from an older or hand-edited config, completed with the defaults. */
export function resolveSurveyOptions(input: Partial<SurveyOptions> | undefined): SurveyOptions {
  return { ...structuredClone(DEFAULT_SURVEY_OPTIONS), ...(input ?? {}) };
}

interface PresetConstruct {
  name: string;
  /** Items of this construct: the prefix followed by a number (or nothing), e.g. PERQ1, PERQ_2, CUSCO. */
  prefix: string;
  mode: PlsMode;
}

interface PresetDef {
  constructs: PresetConstruct[];
  paths: [string, string][];
}

/**
 * The seed's customer-relationship model: what happens before, during and after the sale
 * drives satisfaction, satisfaction drives loyalty (items PRE*, INS*, AFT*, SAT*, LOY* as in
 * public/sample/survey.csv).
 */
const SEED: PresetDef = {
  constructs: [
    { name: 'PreSale', prefix: 'PRE', mode: 'A' },
    { name: 'InSale', prefix: 'INS', mode: 'A' },
    { name: 'AfterSale', prefix: 'AFT', mode: 'A' },
    { name: 'Satisfaction', prefix: 'SAT', mode: 'A' },
    { name: 'Loyalty', prefix: 'LOY', mode: 'A' },
  ],
  paths: [
    ['PreSale', 'Satisfaction'],
    ['InSale', 'Satisfaction'],
    ['AfterSale', 'Satisfaction'],
    ['Satisfaction', 'Loyalty'],
  ],
};

/** ACSI (Fornell et al. 1996), with the ECSI questionnaire's item names (CUEX, PERQ, PERV, CUSA, CUSCO, CUSL). */
const ACSI: PresetDef = {
  constructs: [
    { name: 'Expectation', prefix: 'CUEX', mode: 'A' },
    { name: 'Quality', prefix: 'PERQ', mode: 'A' },
    { name: 'Value', prefix: 'PERV', mode: 'A' },
    { name: 'Satisfaction', prefix: 'CUSA', mode: 'A' },
    { name: 'Complaints', prefix: 'CUSCO', mode: 'A' },
    { name: 'Loyalty', prefix: 'CUSL', mode: 'A' },
  ],
  paths: [
    ['Expectation', 'Quality'],
    ['Expectation', 'Value'],
    ['Expectation', 'Satisfaction'],
    ['Quality', 'Value'],
    ['Quality', 'Satisfaction'],
    ['Value', 'Satisfaction'],
    ['Satisfaction', 'Complaints'],
    ['Satisfaction', 'Loyalty'],
    ['Complaints', 'Loyalty'],
  ],
};

/** ECSI: ACSI plus corporate image (the model of the mobi data, Tenenhaus et al. 2005). */
const ECSI: PresetDef = {
  constructs: [{ name: 'Image', prefix: 'IMAG', mode: 'A' }, ...ACSI.constructs],
  paths: [
    ['Image', 'Expectation'],
    ['Expectation', 'Quality'],
    ['Expectation', 'Value'],
    ['Quality', 'Value'],
    ['Image', 'Satisfaction'],
    ['Expectation', 'Satisfaction'],
    ['Quality', 'Satisfaction'],
    ['Value', 'Satisfaction'],
    ['Satisfaction', 'Complaints'],
    ['Image', 'Loyalty'],
    ['Satisfaction', 'Loyalty'],
    ['Complaints', 'Loyalty'],
  ],
};

const PRESET_DEFS: Record<Exclude<SurveyPreset, 'custom'>, PresetDef> = { seed: SEED, acsi: ACSI, ecsi: ECSI };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Columns belonging to an item prefix, in numeric order: PERQ1, PERQ2 … (PERQ10 after PERQ9). */
export function itemsWithPrefix(prefix: string, columns: readonly string[]): string[] {
  const re = new RegExp(`^${escapeRegExp(prefix)}[ _.-]?(\\d*)$`, 'i');
  return columns
    .map((c) => ({ c, m: re.exec(c) }))
    .filter((x): x is { c: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(a.m[1] || 0) - Number(b.m[1] || 0))
    .map((x) => x.c);
}

/** A preset's model with its indicators looked up among the survey's item columns. */
export function presetModel(preset: Exclude<SurveyPreset, 'custom'>, items: readonly string[]): PlsModelSpec {
  const def = PRESET_DEFS[preset];
  return {
    constructs: def.constructs.map((c) => ({ name: c.name, indicators: itemsWithPrefix(c.prefix, items), mode: c.mode })),
    paths: def.paths.map(([a, b]) => [a, b]),
  };
}

/** Share of a preset's constructs that find at least one item among the columns (0..1). */
export function presetCoverage(preset: Exclude<SurveyPreset, 'custom'>, items: readonly string[]): number {
  const m = presetModel(preset, items);
  return m.constructs.filter((c) => c.indicators.length > 0).length / m.constructs.length;
}

/** The prefix of an item name: PERQ7 → PERQ, sat_2 → sat, CUSCO → CUSCO. */
export function itemPrefix(item: string): string {
  const m = /^(.*?[^\d _.-])[ _.-]?\d+$/.exec(item.trim());
  return m ? m[1] : item.trim();
}

/** Custom-model starting point: one reflective construct per item-name prefix, no paths yet. */
export function suggestConstructs(items: readonly string[]): SurveyConstruct[] {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const p = itemPrefix(item);
    const key = p.toLowerCase();
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(item);
  }
  return [...groups.values()].map((list) => ({ name: itemPrefix(list[0]), indicators: list, mode: 'A' as const }));
}

/**
 * The preset that fits the columns best, for a survey opened for the first time: a preset
 * every construct of which is measured, else a custom model suggested from prefixes.
 */
export function bestPreset(items: readonly string[]): SurveyPreset {
  for (const p of ['seed', 'ecsi', 'acsi'] as const) if (presetCoverage(p, items) === 1) return p;
  return 'custom';
}

/** The model for a preset (custom: suggested constructs, no paths). */
export function modelForPreset(preset: SurveyPreset, items: readonly string[]): PlsModelSpec {
  return preset === 'custom' ? { constructs: suggestConstructs(items), paths: [] } : presetModel(preset, items);
}

const SATISFACTION = /^(satisfaction|cusa|sat|csi|满意)/i;
const LOYALTY = /^(loyalty|cusl|loy|忠诚)/i;

/** The satisfaction and loyalty constructs of a model, recognised by name. */
export function keyConstructs(model: PlsModelSpec): { satisfaction: string | null; loyalty: string | null } {
  const names = model.constructs.map((c) => c.name);
  return { satisfaction: names.find((n) => SATISFACTION.test(n)) ?? null, loyalty: names.find((n) => LOYALTY.test(n)) ?? null };
}

/** Constructs with at least one incoming path. */
export function endogenousConstructs(model: PlsModelSpec): string[] {
  const targets = new Set(model.paths.map((p) => p[1]));
  return model.constructs.map((c) => c.name).filter((n) => targets.has(n));
}

/** The IPMA target in force: the configured one if endogenous, else satisfaction, else the last endogenous construct. */
export function effectiveTarget(model: PlsModelSpec, target: string): string | null {
  const endo = endogenousConstructs(model);
  if (target && endo.includes(target)) return target;
  const { satisfaction } = keyConstructs(model);
  if (satisfaction && endo.includes(satisfaction)) return satisfaction;
  return endo.at(-1) ?? null;
}

export interface ModelIssue {
  /** A message key (src/i18n/messages/survey.ts). */
  key: string;
  params: Record<string, string>;
}

/**
 * Everything that must hold before the model is estimated, as translatable messages:
 * named, unique constructs; every construct measured by existing items, no item in two
 * constructs; paths between known constructs, no duplicates or self-loops, no cycles;
 * every construct on a path (so each endogenous construct is explained by a predecessor
 * and each exogenous one explains something).
 */
export function validateSurveyModel(model: PlsModelSpec, columns: readonly string[]): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const add = (key: string, params: Record<string, string> = {}) => issues.push({ key, params });
  if (model.constructs.length < 2) add('survey.err.tooFewConstructs');
  const names = new Set<string>();
  const owner = new Map<string, string>();
  const known = new Set(columns);
  for (const c of model.constructs) {
    const name = c.name.trim();
    if (!name) {
      add('survey.err.emptyName');
      continue;
    }
    if (names.has(name)) add('survey.err.duplicateName', { construct: name });
    names.add(name);
    if (c.indicators.length === 0) add('survey.err.unmeasured', { construct: name });
    for (const item of c.indicators) {
      if (!known.has(item)) add('survey.err.unknownItem', { construct: name, item });
      const other = owner.get(item);
      if (other !== undefined && other !== name) add('survey.err.sharedItem', { item, a: other, b: name });
      owner.set(item, name);
    }
  }
  if (model.paths.length === 0 && model.constructs.length >= 2) add('survey.err.noPaths');
  const seen = new Set<string>();
  const succ = new Map<string, string[]>();
  const onPath = new Set<string>();
  for (const [from, to] of model.paths) {
    if (!names.has(from) || !names.has(to)) {
      add('survey.err.unknownConstruct', { construct: names.has(from) ? to : from, from, to });
      continue;
    }
    if (from === to) {
      add('survey.err.selfLoop', { construct: from });
      continue;
    }
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) add('survey.err.duplicatePath', { from, to });
    seen.add(key);
    onPath.add(from).add(to);
    if (!succ.has(from)) succ.set(from, []);
    succ.get(from)!.push(to);
  }
  if (model.paths.length > 0) {
    for (const n of names) if (!onPath.has(n)) add('survey.err.isolated', { construct: n });
  }
  const cycle = findCycle([...names], succ);
  if (cycle) add('survey.err.cycle', { cycle: cycle.join(' → ') });
  return issues;
}

function findCycle(names: string[], succ: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (v: string): string[] | null => {
    state.set(v, 1);
    stack.push(v);
    for (const w of succ.get(v) ?? []) {
      if (state.get(w) === 1) return [...stack.slice(stack.indexOf(w)), w];
      if (!state.has(w)) {
        const c = visit(w);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(v, 2);
    return null;
  };
  for (const v of names) {
    if (!state.has(v)) {
      const c = visit(v);
      if (c) return c;
    }
  }
  return null;
}

/**
 * Layers for drawing: exogenous constructs in layer 0, every other construct one layer
 * right of its furthest predecessor (longest path from a source). Assumes an acyclic model.
 */
export function constructLayers(model: PlsModelSpec): Record<string, number> {
  const layer: Record<string, number> = {};
  const names = model.constructs.map((c) => c.name);
  for (const n of names) layer[n] = 0;
  for (let pass = 0; pass < names.length; pass++) {
    let changed = false;
    for (const [a, b] of model.paths) {
      if (layer[a] === undefined || layer[b] === undefined) continue;
      if (layer[b] < layer[a] + 1) {
        layer[b] = layer[a] + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}
