// Benchmark: the whole `clv` analysis (summary SQL, BG/NBD + Gamma-Gamma fits, scoring,
// customer_clv, validation data) on ~100k customers in Node on DuckDB-WASM, the engine the
// worker runs. Run: node test/bench/clv-analysis.mjs   (not a timed test; prints timings)
//
// Data: the CDNOW sample's transactions replicated 43 times (2,357 × 43 = 101,351
// customers), each replica's customers shifted by a pseudo-random 0–59 days so that histories
// are not all identical (about 30k distinct (x, tx, T) patterns, like a real daily-grained file).
import fs from 'node:fs';
import { defaultConfig } from '../../src/core/config';
import { clv } from '../../src/engine/analyses/clv';
import { openTestDatabase } from '../unit/helpers/duckdb';

export async function main(): Promise<void> {
  const db = await openTestDatabase();
  const lines = fs.readFileSync(new URL('../fixtures/cdnow/CDNOW_sample.txt', import.meta.url), 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const values = lines.map((l) => {
    const [, id, d, , v] = l.trim().split(/\s+/);
    return `(${Number(id)}, DATE '${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}', ${v})`;
  });
  await db.exec(`CREATE TABLE cdnow (id INTEGER, d DATE, amount DOUBLE)`);
  await db.exec(`INSERT INTO cdnow VALUES ${values.join(',')}`);
  await db.exec(`CREATE TABLE clean_tx AS
    SELECT CAST(id AS VARCHAR) || '-' || CAST(k AS VARCHAR) AS customer_id,
      CAST(d + CAST(((id * 7919 + k * 104729) % 60) AS INTEGER) AS DATE) AS order_date, amount
    FROM cdnow CROSS JOIN range(43) r(k)`);
  const [{ n, c }] = await db.rows<{ n: number; c: number }>(`SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT customer_id) AS INTEGER) AS c FROM clean_tx`);
  console.log(`${n} transactions, ${c} customers`);
  const config = defaultConfig();
  for (const [label, clvConfig] of [
    ['no holdout (calibration = all data)', config.clv],
    ['39-week calibration + holdout', { ...config.clv, calibrationEnd: '1997-09-30' }],
  ] as const) {
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const r = await clv({ db, config: { ...config, clv: clvConfig }, progress: () => {}, isCancelled: () => false }, undefined);
      const ms = performance.now() - t0;
      const tm = r.timingsMs;
      const f = (v: number) => v.toFixed(0);
      console.log(
        `${label} run ${run + 1}: total ${f(ms)} ms (summary SQL ${f(tm.summary)}, BG/NBD fit ${f(tm.fitBgNbd)}, Gamma-Gamma fit ${f(tm.fitGammaGamma)}, ` +
          `scoring + customer_clv ${f(tm.scoring)}, validation ${f(tm.validation)}); ${r.customers} customers, ${r.patterns} patterns; ` +
          `r=${r.bgnbd.r.toFixed(4)} alpha=${r.bgnbd.alpha.toFixed(3)} a=${r.bgnbd.a.toFixed(4)} b=${r.bgnbd.b.toFixed(4)}`,
      );
    }
  }
}

await main();
