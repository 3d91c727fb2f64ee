// Benchmark: re-segmentation latency at ~100k customers in Node on DuckDB-WASM (the engine the
// worker runs). Not a timed test and not part of `npm test`; it prints timings.
//   node test/bench/resegment.mjs                      # 1M synthetic rows generated in SQL
//   node scripts/generate-big.mjs 1000000 /tmp/big/tx-1m.csv && node test/bench/resegment.mjs /tmp/big/tx-1m.csv
// The target: changing bins, scheme or cut-offs updates every view within 100 ms for
// 100k customers. One "update" here is the whole `segmentation` analysis the view calls
// (the score cube → overview, ABC, lifecycle, heatmap, distributions), then the
// explorer's first page and the cross-tab, exactly as the UI requests them after a change.
// Wall time and the process's CPU time are both printed: on a busy machine the CPU time is the
// better estimate of what an idle browser tab would take (DuckDB-WASM runs on one thread).
import fs from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { defaultConfig, type AnalysisConfig } from '../../src/core/config';
import { resolveSegmentationOptions, type SegmentationOptionsInput } from '../../src/core/segmentation-options';
import { customerProfile, exportCustomers, segmentation, segmentCrossTab, segmentCustomers } from '../../src/engine/analyses/segmentation';
import type { AnalysisContext } from '../../src/engine/analyses/context';
import type { Database } from '../../src/engine/database';
import { openTestDatabase } from '../unit/helpers/duckdb';

const CLEAN_TX = `CREATE OR REPLACE TABLE clean_tx (customer_id VARCHAR NOT NULL, order_id VARCHAR NOT NULL, order_ts TIMESTAMP NOT NULL,
  order_date DATE NOT NULL, amount DOUBLE NOT NULL, quantity DOUBLE, product VARCHAR, category VARCHAR, channel VARCHAR, region VARCHAR)`;

async function syntheticData(db: Database, rows: number): Promise<void> {
  // The same shape as scripts/generate-big.mjs: ~10 rows per customer over 3 years, 2% returns.
  await db.exec(CLEAN_TX);
  await db.exec(`SELECT setseed(0.42)`);
  await db.exec(`INSERT INTO clean_tx
    SELECT 'C' || c, 'O' || i, ts, CAST(ts AS DATE), CASE WHEN random() < 0.02 THEN -1 ELSE 1 END * round(q * (5 + random() * 195), 2), q,
      NULL, NULL, (['online', 'store', 'app', 'marketplace'])[1 + c % 4], (['North', 'South', 'East', 'West', 'Central'])[1 + c % 5]
    FROM (SELECT i, CAST(floor(random() * ${Math.round(rows / 10)}) AS INTEGER) AS c,
            TIMESTAMP '2022-01-01' + to_seconds(CAST(floor(random() * 3 * 365 * 86400) AS BIGINT)) AS ts,
            1 + CAST(floor(random() * 4) AS INTEGER) AS q
          FROM range(${rows}) t(i))`);
}

async function csvData(db: Database, file: string): Promise<void> {
  // order_id,order_date,customer_id,amount,quantity,channel,region (scripts/generate-big.mjs)
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
  const cols = { customer_id: [] as string[], order_id: [] as string[], ts: [] as string[], amount: new Float64Array(lines.length), quantity: new Float64Array(lines.length), channel: [] as string[], region: [] as string[] };
  lines.forEach((line, i) => {
    const [order, ts, customer, amount, qty, channel, region] = line.split(',');
    cols.order_id.push(order);
    cols.ts.push(ts);
    cols.customer_id.push(customer);
    cols.amount[i] = Number(amount);
    cols.quantity[i] = Number(qty);
    cols.channel.push(channel);
    cols.region.push(region);
  });
  db.insertArrowIPC('raw_tx', tableToIPC(tableFromArrays(cols), 'stream'), true);
  await db.exec(CLEAN_TX);
  await db.exec(`INSERT INTO clean_tx SELECT customer_id, order_id, CAST(ts AS TIMESTAMP), CAST(CAST(ts AS TIMESTAMP) AS DATE), amount, quantity, NULL, NULL, channel, region FROM raw_tx`);
  await db.exec('DROP TABLE raw_tx');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

export async function main(): Promise<void> {
  const db = await openTestDatabase();
  const file = process.argv[2];
  const t0 = performance.now();
  if (file) await csvData(db, file);
  else await syntheticData(db, 1_000_000);
  await db.exec(`CREATE OR REPLACE VIEW customer_attributes AS SELECT CAST(NULL AS VARCHAR) AS customer_id WHERE false`);
  const [{ n, c }] = await db.rows<{ n: number; c: number }>(`SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT customer_id) AS INTEGER) AS c FROM clean_tx`);
  console.log(`${n} transactions, ${c} customers (${file ?? 'generated in SQL'}), loaded in ${(performance.now() - t0).toFixed(0)} ms`);

  const base = defaultConfig();
  const ctx = (input: SegmentationOptionsInput): AnalysisContext => {
    const config: AnalysisConfig = { ...base, segmentation: resolveSegmentationOptions(input) };
    return { db, config, progress: () => {}, isCancelled: () => false };
  };
  const data = { datasetVersion: 1 };

  let t = performance.now();
  const first = await segmentation(ctx({}), data);
  console.log(`first run (per-customer metrics once + segmentation + views): ${(performance.now() - t).toFixed(0)} ms; ${first.scored} scored customers`);

  const changes: [string, SegmentationOptionsInput][] = [
    ...[3, 4, 6, 7, 8, 9, 10, 5].map((bins) => [`bins ${bins}`, { bins }] as [string, SegmentationOptionsInput]),
    ['scheme crm4', { scheme: 'crm4' }],
    ['scheme grid11', { scheme: 'grid11' }],
    ['scheme grid11, bins 10', { scheme: 'grid11', bins: 10 }],
    ['scheme custom', { scheme: 'custom', customRules: [{ id: 'top', name: { en: 'Top', zh: '顶' }, strategy: { en: '', zh: '' }, r: [4, 5], f: [4, 5], m: [4, 5] }] }],
    ['ABC 0.7 / 0.9', { abc: { a: 0.7, b: 0.9 } }],
    ['lifecycle 30 / 60 / 120', { lifecycle: { newDays: 30, activeDays: 60, silentDays: 120 } }],
    ['thresholds', { thresholds: { r: [30, 90, 180, 365], f: [2, 5, 10, 20], m: [100, 500, 1000, 5000] } }],
    ['scheme classic8', {}],
  ];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  await segmentCrossTab(ctx({}), { ...data, attribute: { source: 'tx', column: 'channel' } }); // builds the attribute table once
  const seg: number[] = [];
  const segCpu: number[] = [];
  const all: number[] = [];
  const allCpu: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const [label, input] of changes) {
      t = performance.now();
      const c0 = process.cpuUsage();
      const r = await segmentation(ctx(input), data);
      seg.push(performance.now() - t);
      segCpu.push(cpuMs(c0));
      await segmentCustomers(ctx(input), { ...data, query: { limit: 25 } });
      await segmentCrossTab(ctx(input), { ...data, attribute: { source: 'tx', column: 'channel' } });
      all.push(performance.now() - t);
      allCpu.push(cpuMs(c0));
      if (round === 4) {
        console.log(
          `${label.padEnd(26)} summaries ${seg.at(-1)!.toFixed(1).padStart(6)} ms (cpu ${segCpu.at(-1)!.toFixed(1).padStart(5)})` +
            ` · + explorer page + cross-tab ${all.at(-1)!.toFixed(1).padStart(6)} ms (cpu ${allCpu.at(-1)!.toFixed(1).padStart(5)}) · ${r.segments.length} segments`,
        );
      }
    }
  }
  const line = (name: string, wall: number[], cpu: number[]) =>
    console.log(`${name}: median ${median(wall).toFixed(1)} ms (cpu ${median(cpu).toFixed(1)}), p95 ${p95(wall).toFixed(1)} ms (cpu ${p95(cpu).toFixed(1)})`);
  line(`re-segmentation, summaries (${seg.length} changes)`, seg, segCpu);
  line('every view after a change', all, allCpu);

  t = performance.now();
  await segmentCustomers(ctx({}), { ...data, query: { search: '123', sort: 'recency_days', limit: 50 } });
  console.log(`explorer search + sort: ${(performance.now() - t).toFixed(1)} ms`);
  t = performance.now();
  await customerProfile(ctx({}), { ...data, customerId: 'C123' });
  console.log(`customer profile (orders from clean_tx): ${(performance.now() - t).toFixed(1)} ms`);
  t = performance.now();
  const csv = await exportCustomers(ctx({}), { ...data, language: 'zh' });
  console.log(`customers.csv: ${csv.rows} rows, ${(csv.blob.size / 1e6).toFixed(1)} MB in ${(performance.now() - t).toFixed(0)} ms`);
}

await main();
