// Example rows of one quality check, loaded when the user opens them in the report: the counts
// come with every load, the examples (a scan of the staged rows per check) only on demand.
import { QUALITY_CHECKS, qualityExamplesSql } from '../../core/sql/quality';
import { TYPED } from '../../core/sql/stage';
import { EngineError } from '../database';
import type { QualityExampleKind, QualityExamples } from '../workspace';
import type { AnalysisContext } from './context';

const KINDS: readonly string[] = [...QUALITY_CHECKS, 'return_only'];

export interface QualityExamplesParams {
  check: QualityExampleKind;
  /** The transaction file's original columns, in file order (DatasetState.columns). */
  columns: string[];
}

/** The first five rows of the check in file order: file, data-row number, the original columns. */
export async function qualityExamples(ctx: AnalysisContext, params: QualityExamplesParams): Promise<QualityExamples> {
  if (!KINDS.includes(params.check)) throw new EngineError('error.unexpected', `Unknown quality check ${String(params.check)}`);
  // Only columns the staged rows have (the names come from the UI; they are quoted either way).
  const staged = await ctx.db.unrecorded(() => ctx.db.rows<{ column_name: string; column_type: string }>('DESCRIBE staged'));
  const types = new Map(staged.map((c) => [c.column_name, c.column_type]));
  const originals = params.columns.filter((c) => types.has(c) && !c.startsWith('__'));
  const rows = await ctx.db.rows<Record<string, unknown>>(
    qualityExamplesSql(params.check, ctx.config.policies, originals.map((name) => ({ name, type: types.get(name)! }))),
  );
  const extra = params.check === 'extra_fields' ? [TYPED.extraFields] : [];
  return { columns: ['file', 'row', ...originals, ...extra], rows: rows.map((r) => Object.values(r)) };
}
