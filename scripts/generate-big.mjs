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
import { makeRandom } from './random.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const out = process.argv[3] ?? `big-${rows}.csv`;
const random = makeRandom(12345);

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
  const rate = random.gamma(2) / 60; // purchases per day
  const p = random.beta(2, 28); // drop-out probability after each purchase
  const nu = random.gamma(4) / 50; // the customer's spend rate: transactions ~ Gamma(6, nu)
  let day = random.u() * spanDays;
  do {
    const ts = new Date(start + Math.floor(day * DAY)).toISOString().slice(0, 19).replace('T', ' ');
    const qty = random.int(1, 4);
    const amount = Math.max(0.01, random.gamma(6) / nu).toFixed(2);
    const sign = random.u() < 0.02 ? '-' : '';
    buf.push(`O${written},${ts},C${c},${sign}${amount},${sign}${qty},${channels[c % 4]},${regions[c % 5]}`);
    written++;
    if (buf.length === 100_000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
    day += random.exponential(rate);
  } while (written < rows && day < spanDays && random.u() >= p);
}
if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
fs.closeSync(fd);
console.log(`${out}: ${rows} rows, ${c} customers, ${fs.statSync(out).size} bytes`);
