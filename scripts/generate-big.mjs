// Large synthetic transaction files for benchmarks and the "5M rows load" check:
//   node scripts/generate-big.mjs <rows> <out.csv>
// Customers behave as the lifetime-value model assumes (a BG/NBD process), so the benchmark times
// the whole CLV analysis, fit and scoring, instead of a fit that finds nobody ever leaves: each
// customer joins on a uniform day of 3 years, buys at a rate λ ~ Gamma(2, 1/60 per day) (every
// ~30 days on average) and, after each purchase, stays with probability 1 − p, p ~ Beta(2, 28).
// That gives ~10 rows per customer (≈100k customers per 1M rows). Amounts are Gamma-Gamma: a
// customer's transactions ~ Gamma(6, ν), ν ~ Gamma(4, 1/50), a mean of ~100 that differs by
// customer. 2 % of rows are returns; a few channels and regions. Rows come customer by customer
// until the count is reached. Deterministic.
import fs from 'node:fs';

const rows = Number(process.argv[2] ?? 1_000_000);
const out = process.argv[3] ?? `big-${rows}.csv`;
let seed = 12345;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
/** Standard normal (Box–Muller). */
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
/** Gamma(shape k ≥ 1, scale 1), Marsaglia–Tsang. */
function gamma(k) {
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z;
    let v;
    do {
      z = normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}
const beta = (a, b) => {
  const x = gamma(a);
  return x / (x + gamma(b));
};

const channels = ['online', 'store', 'app', 'marketplace'];
const regions = ['North', 'South', 'East', 'West', 'Central'];
const start = Date.UTC(2022, 0, 1);
const DAY = 86400_000;
const spanDays = 3 * 365;
const fd = fs.openSync(out, 'w');
fs.writeSync(fd, 'order_id,order_date,customer_id,amount,quantity,channel,region\n');
let buf = [];
let written = 0;
let c = 0;
for (; written < rows; c++) {
  const rate = gamma(2) / 60; // purchases per day
  const p = beta(2, 28); // drop-out probability after each purchase
  const nu = gamma(4) / 50; // the customer's spend rate: transactions ~ Gamma(6, nu)
  let day = rand() * spanDays;
  do {
    const ts = new Date(start + Math.floor(day * DAY)).toISOString().slice(0, 19).replace('T', ' ');
    const qty = 1 + Math.floor(rand() * 4);
    const amount = Math.max(0.01, gamma(6) / nu).toFixed(2);
    const sign = rand() < 0.02 ? '-' : '';
    buf.push(`O${written},${ts},C${c},${sign}${amount},${sign}${qty},${channels[c % 4]},${regions[c % 5]}`);
    written++;
    if (buf.length === 100_000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
    day += -Math.log(1 - rand()) / rate;
  } while (written < rows && day < spanDays && rand() >= p);
}
if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
fs.closeSync(fd);
console.log(`${out}: ${rows} rows, ${c} customers, ${fs.statSync(out).size} bytes`);
