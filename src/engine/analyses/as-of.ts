// The per-customer summaries as of an explicit day need the orders that straddle it (see ordersSql
// in core/sql/customers.ts); looking up their first day first keeps DuckDB from hashing every row
// before that day to find them.
import { type CustomerSummaryOptions, straddlingFromSql } from '../../core/sql/customers';
import type { Database } from '../database';

/** `{ asOf }`, with the straddling orders' first day when asOf is an explicit day. */
export async function summaryOptionsAsOf(db: Database, asOf: string | null | undefined): Promise<CustomerSummaryOptions> {
  if (!asOf) return { asOf };
  const [row] = await db.rows<{ first_day: string | null }>(straddlingFromSql(asOf));
  return { asOf, straddlingFrom: row?.first_day ?? null };
}
