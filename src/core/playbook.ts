// The strategy playbook as the user sees and exports it: the built-in texts of segments.ts with
// the user's edits (SegmentationOptions.strategyOverrides) laid over them, per language, and the
// SQL CASE expressions that put localized labels and strategies into exports.
//
// Override keys: a segment id of any scheme (`champions`, `important_value`, a custom rule id …),
// `abc:A|B|C` for ABC classes and `lifecycle:new|active|silent|churned` for lifecycle stages.
import { ident, str } from './sql/ident';
import type { LocalizedText, SegmentationOptions, StrategyOverrides } from './segmentation-options';
import {
  ABC_CLASSES,
  LIFECYCLE_STAGES,
  schemeSegments,
  schemeSpec,
  segmentLabel,
  type AbcClass,
  type LifecycleStage,
  type SchemeSpec,
  type SegmentDef,
} from './segments';

export type Language = 'en' | 'zh';
export type PlaybookKind = 'segment' | 'abc' | 'lifecycle';

export const ABC_CLASS_IDS: readonly AbcClass[] = ['A', 'B', 'C'];
export const LIFECYCLE_STAGE_IDS: readonly LifecycleStage[] = ['new', 'active', 'silent', 'churned'];

/** The UI locale ('en' | 'zh-CN') as the language of segment texts. */
export function languageOf(locale: string): Language {
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function overrideKey(kind: PlaybookKind, id: string): string {
  return kind === 'segment' ? id : `${kind}:${id}`;
}

/** Text in one language, falling back to the other when empty. */
export function localized(text: Partial<LocalizedText> | undefined, lang: Language): string {
  if (!text) return '';
  const other: Language = lang === 'en' ? 'zh' : 'en';
  return text[lang]?.trim() || text[other]?.trim() || '';
}

/** Built-in text with the user's non-blank edits on top. */
export function withOverride(base: LocalizedText, override: Partial<LocalizedText> | undefined): LocalizedText {
  return {
    en: override?.en?.trim() ? override.en : base.en,
    zh: override?.zh?.trim() ? override.zh : base.zh,
  };
}

export interface PlaybookEntry {
  kind: PlaybookKind;
  id: string;
  /** Key into strategyOverrides. */
  key: string;
  name: LocalizedText;
  description: LocalizedText;
  /** Effective strategy (override applied). */
  strategy: LocalizedText;
  /** The built-in strategy, for "reset". */
  defaultStrategy: LocalizedText;
  edited: boolean;
}

function entry(kind: PlaybookKind, id: string, def: Omit<SegmentDef, 'id'>, overrides: StrategyOverrides): PlaybookEntry {
  const key = overrideKey(kind, id);
  const override = overrides[key];
  return {
    kind,
    id,
    key,
    name: def.name,
    description: def.description,
    strategy: withOverride(def.strategy, override),
    defaultStrategy: def.strategy,
    edited: Boolean(override?.en?.trim() || override?.zh?.trim()),
  };
}

/** The segments of the chosen scheme, in display order, with effective strategies. */
export function segmentPlaybook(options: Pick<SegmentationOptions, 'scheme' | 'bins' | 'thresholds' | 'customRules' | 'strategyOverrides'>): PlaybookEntry[] {
  const spec = schemeSpec(options as SegmentationOptions);
  return schemeSegments(spec).map((seg) => entry('segment', seg.id, seg, options.strategyOverrides ?? {}));
}

export function abcPlaybook(overrides: StrategyOverrides = {}): PlaybookEntry[] {
  return ABC_CLASS_IDS.map((id) => entry('abc', id, ABC_CLASSES[id], overrides));
}

export function lifecyclePlaybook(overrides: StrategyOverrides = {}): PlaybookEntry[] {
  return LIFECYCLE_STAGE_IDS.map((id) => entry('lifecycle', id, LIFECYCLE_STAGES[id], overrides));
}

/** A new overrides object with one strategy text set (blank = back to the built-in text). */
export function setStrategyOverride(overrides: StrategyOverrides, key: string, lang: Language, text: string): StrategyOverrides {
  const next: StrategyOverrides = { ...overrides };
  const current = { ...(next[key] ?? {}) };
  if (text.trim() === '') delete current[lang];
  else current[lang] = text;
  if (current.en === undefined && current.zh === undefined) delete next[key];
  else next[key] = current;
  return next;
}

/** `CASE <column> WHEN 'id' THEN 'localized name' … END` (unknown ids pass through). */
export function segmentLabelCaseSql(spec: SchemeSpec, lang: Language, column: string): string {
  const whens = schemeSegments(spec).map((seg) => `WHEN ${str(seg.id)} THEN ${str(segmentLabel(seg, lang))}`);
  return `CASE ${column} ${whens.join(' ')} ELSE ${column} END`;
}

/** `CASE <column> WHEN 'id' THEN 'strategy' … END` with the user's overrides applied. */
export function segmentStrategyCaseSql(spec: SchemeSpec, lang: Language, overrides: StrategyOverrides, column: string): string {
  const whens = schemeSegments(spec).map(
    (seg) => `WHEN ${str(seg.id)} THEN ${str(localized(withOverride(seg.strategy, overrides[overrideKey('segment', seg.id)]), lang))}`,
  );
  return `CASE ${column} ${whens.join(' ')} ELSE '' END`;
}

/** A column reference for the CASE builders above. */
export function columnRef(table: string, column: string): string {
  return `${ident(table)}.${ident(column)}`;
}
