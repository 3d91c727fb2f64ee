// AnalysisConfig: the one plain, versioned, JSON-serialisable object every analysis is a
// pure function of (together with the data). Share links and project files carry it.
import { type ClvOptions, DEFAULT_CLV_OPTIONS } from './clv-options';
import type { ColumnMapping } from './mapping';
import { DEFAULT_SEGMENTATION_OPTIONS, type SegmentationOptions } from './segmentation-options';
import { DEFAULT_SURVEY_OPTIONS, type SurveyOptions } from './survey-presets';
import { DEFAULT_COHORT_OPTIONS, type CohortConfig } from './cohort-options';

export const CONFIG_VERSION = 1;

export type Locale = 'en' | 'zh-CN';

/** Reader settings for one file; `null` means "use what was detected". */
export interface FileReadSettings {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252' | null;
  /** A separator character, or 'whitespace': runs of blanks (rewritten to tabs while reading, see core/whitespace.ts). */
  delimiter: string | null;
  header: boolean | null;
  dateFormat: string | null;
  decimalComma: boolean | null;
}

export interface QualityPolicies {
  /** Rows without a customer id cannot be attributed; analyses of customers exclude them. */
  excludeMissingCustomer: boolean;
  /** Keep returns/cancellations as negative amounts that net against spend (else drop them). */
  netReturns: boolean;
  /** Drop the extra copies of rows that are identical in every column. */
  dropDuplicates: boolean;
  /** Order ids starting with this prefix are cancellations (Online Retail uses "C"). Empty = off. */
  cancelledPrefix: string;
}

export interface AnalysisConfig {
  version: typeof CONFIG_VERSION;
  locale: Locale;
  mapping: ColumnMapping;
  /** Keyed by file name. */
  read: Record<string, FileReadSettings>;
  policies: QualityPolicies;
  /** ISO day; null = the day after the last transaction (never the wall clock). */
  asOf: string | null;
  /** RFM bins/thresholds, segment scheme, ABC cut-offs, lifecycle windows. */
  segmentation: SegmentationOptions;
  /** Satisfaction model: preset, constructs and paths, estimation and bootstrap settings, item scales. */
  survey: SurveyOptions;
  /** Cohort retention and KPI trends: grain, counting mode, customer filter, churn window. */
  cohorts: CohortConfig;
  /** Lifetime value (BG/NBD + Gamma-Gamma): time unit, calibration/holdout ends, horizon, discounting. */
  clv: ClvOptions;
  // Each analysis module adds its own section here (cohorts, clv, survey …) with a default below.
}

export const DEFAULT_POLICIES: QualityPolicies = {
  excludeMissingCustomer: true,
  netReturns: true,
  dropDuplicates: true,
  cancelledPrefix: 'C',
};

export const DEFAULT_READ: FileReadSettings = {
  encoding: null,
  delimiter: null,
  header: null,
  dateFormat: null,
  decimalComma: null,
};

export function defaultConfig(locale: Locale = 'en'): AnalysisConfig {
  return {
    version: CONFIG_VERSION,
    locale,
    mapping: {},
    read: {},
    policies: { ...DEFAULT_POLICIES },
    asOf: null,
    segmentation: structuredClone(DEFAULT_SEGMENTATION_OPTIONS),
    survey: structuredClone(DEFAULT_SURVEY_OPTIONS),
    cohorts: structuredClone(DEFAULT_COHORT_OPTIONS),
    clv: { ...DEFAULT_CLV_OPTIONS },
  };
}
