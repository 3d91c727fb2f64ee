// Who else needs to know when customer_clv changes: the Segments view offers churn risk as a
// dimension once the table exists, and asking DuckDB on every settings change costs ~10 ms (a
// probe of a missing table goes through DuckDB's error path). The lifetime-value analysis counts
// its writes here; a reader probes again only when the count moved (or its data changed).
import type { Database } from '../database';

const writes = new WeakMap<Database, number>();

/** Call after creating or dropping customer_clv. */
export function markClvTableChanged(db: Database): void {
  writes.set(db, (writes.get(db) ?? 0) + 1);
}

export function clvTableVersion(db: Database): number {
  return writes.get(db) ?? 0;
}
