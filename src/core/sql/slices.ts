// Aggregates built one slice at a time. DuckDB-WASM's memory never shrinks, so the largest hash
// table of a session sets it for good: an aggregate over millions of groups is cut into slices of
// a hash space, each its own statement, so that only one slice's hash table exists at a time (the
// duplicate search's row hashes in stage.ts; the clean orders in quality.ts and the monthly
// trend's buying customers in trend.ts, by customer).
import { ident } from './ident';

/**
 * Rows per statement of the aggregates over every order (the clean-orders build, the monthly
 * trend's distinct customers). Their hash tables hold an entry per order (per customer and
 * month): at 5M rows the clean orders in one statement and then the trend's DISTINCT each set the
 * load's peak at ~0.98 GiB, the compaction's CHECKPOINT right after them; with both in halves of
 * the customers' hash space the peak was 0.87 GiB (the renderer's mappings sampled per
 * statement), for ~15 % more time in the clean-orders step and none in the trend's.
 */
export const ORDER_SLICE_ROWS = 2_500_000;

/** How many slices an aggregate over `rows` rows takes (one up to `sliceRows`). */
export function orderSlices(rows: number, sliceRows = ORDER_SLICE_ROWS): number {
  return Math.max(1, Math.ceil(rows / sliceRows));
}

/** The slice condition: a customer's rows all fall in one slice of the hash space. */
export function customerSlice(column: string, slices: number, slice: number): string {
  return `hash(${column}) % ${Math.floor(slices)} = ${Math.floor(slice)}`;
}

/**
 * The statements that fill `table` (a name, quoted here) slice by slice: CREATE OR REPLACE …
 * AS the first slice's SELECT, then INSERT INTO it each later slice's.
 */
export function fillInSlices(table: string, options: { temp: boolean }, slices: number, select: (slice: number) => string): string[] {
  const t = ident(table);
  const k = Math.max(1, Math.floor(slices));
  return Array.from({ length: k }, (_, i) =>
    i === 0 ? `CREATE OR REPLACE ${options.temp ? 'TEMP ' : ''}TABLE ${t} AS\n${select(i)}` : `INSERT INTO ${t}\n${select(i)}`,
  );
}
