// Synthetic transactions for the engine warm-up (src/engine/warm-up.ts): a throwaway engine
// runs the load and the main analyses on them while the user looks at the sample, so that
// DuckDB-WASM's hot code is already optimised when their own file arrives.
//
// The rows look like a typical export: order lines with an order id, a timestamp, a customer id,
// an amount with two decimals, a quantity, a channel and a region; customers with ~8 orders over
// three years, some orders with several lines, 2 % returns (negative amount and quantity) and a
// few repeated lines, so the typed CSV read, the duplicate search, the order and customer
// aggregates, the ranking windows and the cohort windows all run on realistic sizes. Deterministic.

/** Enough rows for the engine's hot loops to be optimised (measured: 100k rows of the benchmark's data did it). */
export const WARM_UP_ROWS = 100_000;

export const WARM_UP_HEADER = 'order_id,order_date,customer_id,amount,quantity,channel,region';

const CHANNELS = ['online', 'store', 'app', 'marketplace'];
const REGIONS = ['North', 'South', 'East', 'West', 'Central'];
const START = Date.UTC(2022, 0, 1) / 1000;
const SPAN_SECONDS = 3 * 365 * 86_400;

/** Park–Miller minimal standard generator: the same rows on every machine. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48_271) % 2_147_483_647) / 2_147_483_647;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

function timestamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `rows` data lines (and the header line), newline-terminated. */
export function warmUpTransactionsCsv(rows: number = WARM_UP_ROWS): string {
  const u = random(20_240_601);
  const lines: string[] = [WARM_UP_HEADER];
  let order = 0;
  for (let customer = 0; lines.length <= rows; customer++) {
    const orders = 1 + Math.floor(u() * 15);
    let at = START + Math.floor(u() * SPAN_SECONDS);
    const spend = 20 + u() * 200;
    for (let o = 0; o < orders && lines.length <= rows; o++, order++) {
      const orderLines = u() < 0.2 ? 2 + Math.floor(u() * 3) : 1;
      for (let l = 0; l < orderLines && lines.length <= rows; l++) {
        const sign = u() < 0.02 ? '-' : '';
        const line = `SO${order},${timestamp(at)},CU${customer},${sign}${(spend * (0.5 + u())).toFixed(2)},${sign}${1 + Math.floor(u() * 4)},${CHANNELS[customer % 4]},${REGIONS[order % 5]}`;
        lines.push(line);
        if (u() < 0.002 && lines.length <= rows) lines.push(line);
      }
      at += 86_400 + Math.floor(u() * 120 * 86_400);
      if (at >= START + SPAN_SECONDS) break;
    }
  }
  return `${lines.join('\n')}\n`;
}
