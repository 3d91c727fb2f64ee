// Model input as rows (one object per customer, as the tests and small callers write it) or as
// columns of equal length (what the app reads from DuckDB: hundreds of thousands of customers at
// millions of transactions, without an object each). The models read columns.

/** Columns `K` of equal length, and an optional weight per row (default 1). */
export type Columns<K extends string> = { readonly [k in K]: ArrayLike<number> } & { readonly weight?: ArrayLike<number> };

export type Rows<K extends string> = readonly ({ readonly [k in K]: number } & { readonly weight?: number })[];

/** The data as columns: rows are turned into columns of `keys` and their weights; columns pass as they are. */
export function toColumns<K extends string>(data: Rows<K> | Columns<K>, keys: readonly K[]): Columns<K> {
  if (!Array.isArray(data)) return data as Columns<K>;
  const rows = data as Rows<K>;
  const out: Record<string, number[]> = { weight: rows.map((r) => r.weight ?? 1) };
  for (const k of keys) out[k] = rows.map((r) => r[k]);
  return out as unknown as Columns<K>;
}
