// The satisfaction model's CSV exports: construct scores per respondent and every estimate in
// one long table (section, row, column, value and the bootstrap statistics where there are any).
import type { BootstrapStat, NamedMatrix } from '../../core/models/pls';
import type { CsvCell } from '../../core/csv';
import type { SurveyModelResult } from '../../engine/analyses/survey';

export const ESTIMATE_COLUMNS = ['section', 'row', 'column', 'value', 'bootstrap_mean', 'se', 't', 'p', 'ci_lower', 'ci_upper'] as const;

export function estimateRows(r: SurveyModelResult): CsvCell[][] {
  const rows: CsvCell[][] = [];
  const stat = (s: BootstrapStat | undefined): CsvCell[] => (s ? [s.mean, s.se, s.t, s.p, s.ciLower, s.ciUpper] : ['', '', '', '', '', '']);
  const matrix = (section: string, m: NamedMatrix, boot?: Record<string, Record<string, BootstrapStat>>) => {
    for (const [row, cols] of Object.entries(m)) for (const [col, v] of Object.entries(cols)) rows.push([section, row, col, v, ...stat(boot?.[row]?.[col])]);
  };
  const vector = (section: string, v: Record<string, number>) => {
    for (const [row, value] of Object.entries(v)) rows.push([section, row, '', value, ...stat(undefined)]);
  };
  const b = r.bootstrap;
  matrix('path', r.fit.paths, b?.paths);
  matrix('total_effect', r.fit.totalEffects, b?.totalEffects);
  matrix('indirect_effect', r.fit.indirectEffects);
  matrix('loading', r.fit.loadings, b?.loadings);
  matrix('outer_weight', r.fit.outerWeights, b?.outerWeights);
  vector('r_squared', r.fit.rSquared);
  vector('r_squared_adjusted', r.fit.rSquaredAdj);
  const q = r.fit.quality;
  vector('cronbach_alpha', q.cronbachAlpha);
  vector('rho_a', q.rhoA);
  vector('rho_c', q.rhoC);
  vector('ave', q.ave);
  matrix('htmt', q.htmt, b?.htmt);
  matrix('fornell_larcker', q.fornellLarcker);
  matrix('vif_outer', q.vif.outer);
  matrix('vif_inner', q.vif.inner);
  matrix('f_square', q.fSquare);
  vector('index_0_100', r.index);
  if (r.ipma) {
    for (const [c, v] of Object.entries(r.ipma.constructs)) {
      rows.push(['ipma_importance', c, r.ipma.target, v.importance, ...stat(undefined)]);
      rows.push(['ipma_performance', c, r.ipma.target, v.performance, ...stat(undefined)]);
    }
  }
  if (r.nps) rows.push(['nps', r.nps.column, '', r.nps.score, ...stat(undefined)]);
  return rows;
}

/** One row per respondent used: file row, customer id, then per construct the standardised score and the 0–100 score. */
export function scoreTable(r: SurveyModelResult): { header: string[]; rows: CsvCell[][] } {
  const names = r.model.constructs.map((c) => c.name);
  const header = ['row', 'customer_id', ...names.flatMap((n) => [`${n}_score`, `${n}_0_100`])];
  const rows = r.respondentRows.map((row, i) => [row, r.respondentIds[i] ?? '', ...names.flatMap((n) => [r.fit.scores[n][i], r.indexScores[n][i]])]);
  return { header, rows };
}
