// The registry of analyses the worker can run. Each analysis is a function of the engine
// context (database, config, progress, cancellation) and its own parameters, lives in its
// own module under src/engine/analyses/, and returns plain, bounded data (or a Blob for
// downloads). To add one: write the module, add it to `analyses` below. The worker and the
// UI client pick it up with full types (see Workbench.analyze).
import type { AnalysisContext } from './context';
import { monthlyTrend } from './trend';
import { qualityExamples } from './quality-examples';
import { clv } from './clv';
import { cohortFilterChoices, cohorts, cohortsCsv } from './cohorts';
import { migrationCsv, migrationCustomers, segmentMigration } from './migration';
import {
  customerProfile,
  exportCustomers,
  exportSegmentSummary,
  segmentation,
  segmentCrossTab,
  segmentCustomers,
  suggestLifecycle,
} from './segmentation';
import { surveyModel, surveyProfile } from './survey';

export const analyses = {
  monthlyTrend,
  qualityExamples,
  clv,
  cohorts,
  cohortsCsv,
  cohortFilterChoices,
  segmentMigration,
  migrationCustomers,
  migrationCsv,
  segmentation,
  segmentCrossTab,
  segmentCustomers,
  customerProfile,
  exportCustomers,
  exportSegmentSummary,
  suggestLifecycle,
  surveyProfile,
  surveyModel,
} satisfies Record<string, (ctx: AnalysisContext, params: never) => Promise<unknown>>;

export type Analyses = typeof analyses;
export type AnalysisName = keyof Analyses;
export type AnalysisParams<K extends AnalysisName> = Parameters<Analyses[K]>[1];
export type AnalysisResult<K extends AnalysisName> = Awaited<ReturnType<Analyses[K]>>;
export type { AnalysisContext };
