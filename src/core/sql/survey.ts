// SQL for the survey (satisfaction model) data. The survey file's rows are copied once per load
// into `survey_raw` (surveys are small: ≤ a few 10k respondents) with their file order in
// `__survey_row`; the analysis reads item columns as DOUBLE from there. Column names come
// from the user's file and go through ident() only.
import { CLEAN_VIEW } from '../schema';
import { customerSummarySql } from './customers';
import { ident, str } from './ident';

export const SURVEY_TABLE = 'survey_raw';
/** File order of the respondents; names starting with __ are reserved, so no file has it. */
export const SURVEY_ROW = '__survey_row';

export function createSurveyTableSql(from: string): string {
  return `CREATE OR REPLACE TABLE ${ident(SURVEY_TABLE)} AS SELECT row_number() OVER () AS ${ident(SURVEY_ROW)}, * FROM ${from}`;
}

export function dropSurveyTableSql(): string {
  return `DROP TABLE IF EXISTS ${ident(SURVEY_TABLE)}`;
}

/** One row `n` if the table or view exists (0 otherwise). */
export function relationExistsSql(name: string): string {
  return `SELECT CAST((SELECT count(*) FROM duckdb_tables() WHERE table_name = ${str(name)})
    + (SELECT count(*) FROM duckdb_views() WHERE view_name = ${str(name)}) AS INTEGER) AS n`;
}

/** Column names of survey_raw (without the row number), in file order. */
export function surveyColumnsSql(): string {
  return `SELECT column_name AS name FROM (DESCRIBE ${ident(SURVEY_TABLE)}) WHERE column_name <> ${str(SURVEY_ROW)}`;
}

/** A cell as a number: text is trimmed, a decimal comma accepted; empty, text, NaN and ±inf are NULL. */
export function surveyNumberExpr(column: string): string {
  const v = `TRY_CAST(replace(NULLIF(trim(CAST(${ident(column)} AS VARCHAR)), ''), ',', '.') AS DOUBLE)`;
  return `CASE WHEN isfinite(${v}) THEN ${v} END`;
}

/** A customer id as the transactions stage writes it: trimmed text, "123.0" → "123". */
export function surveyIdExpr(column: string): string {
  return `regexp_replace(NULLIF(trim(CAST(${ident(column)} AS VARCHAR)), ''), '^(-?[0-9]+)\\.0+$', '\\1')`;
}

/**
 * Per column: rows, filled (non-empty cells), numeric (cells that read as numbers), integers,
 * min/max of the numbers, distinct numbers and distinct texts. One row per column.
 */
export function surveyProfileSql(columns: readonly string[]): string {
  return columns
    .map((c) => {
      const v = surveyNumberExpr(c);
      return `SELECT ${str(c)} AS name,
  CAST(count(*) AS INTEGER) AS rows,
  CAST(count(NULLIF(trim(CAST(${ident(c)} AS VARCHAR)), '')) AS INTEGER) AS filled,
  CAST(count(${v}) AS INTEGER) AS numeric,
  CAST(count(*) FILTER (WHERE ${v} = round(${v})) AS INTEGER) AS integers,
  min(${v}) AS min, max(${v}) AS max,
  CAST(count(DISTINCT ${v}) AS INTEGER) AS distinct_numbers,
  CAST(count(DISTINCT NULLIF(trim(CAST(${ident(c)} AS VARCHAR)), '')) AS INTEGER) AS distinct_texts
FROM ${ident(SURVEY_TABLE)}`;
    })
    .join('\nUNION ALL\n');
}

/** The respondents in file order: `id` (NULL without an id column), then one DOUBLE column per item as `c0, c1, …`. */
export function surveyValuesSql(items: readonly string[], idColumn: string | null): string {
  const cols = [idColumn ? `${surveyIdExpr(idColumn)} AS id` : 'CAST(NULL AS VARCHAR) AS id', ...items.map((c, i) => `${surveyNumberExpr(c)} AS c${i}`)];
  return `SELECT ${cols.join(', ')} FROM ${ident(SURVEY_TABLE)} ORDER BY ${ident(SURVEY_ROW)}`;
}

/**
 * For each distinct respondent id: `customer_id`, `frequency` (positive orders in clean_tx,
 * NULL when the id is not a customer there) and `segment` (from `segmentation`, a query with
 * customer_id and segment columns, or NULL when none is given).
 */
export function surveyCustomersSql(idColumn: string, asOf: string | null, segmentation: string | null): string {
  return `WITH ids AS (
  SELECT DISTINCT ${surveyIdExpr(idColumn)} AS customer_id FROM ${ident(SURVEY_TABLE)} WHERE ${surveyIdExpr(idColumn)} IS NOT NULL
),
summary AS (
${customerSummarySql({ asOf })}
),
known AS (SELECT DISTINCT customer_id FROM ${ident(CLEAN_VIEW)})
SELECT ids.customer_id,
  CASE WHEN known.customer_id IS NULL THEN NULL ELSE CAST(COALESCE(summary.frequency, 0) AS INTEGER) END AS frequency,
  ${segmentation ? 'seg.segment' : 'CAST(NULL AS VARCHAR)'} AS segment
FROM ids
LEFT JOIN known ON known.customer_id = ids.customer_id
LEFT JOIN summary ON summary.customer_id = ids.customer_id
${segmentation ? `LEFT JOIN (${segmentation}) AS seg ON seg.customer_id = ids.customer_id` : ''}`;
}
