// Large synthetic transaction files for benchmarks and the "5M rows load" check:
//   node scripts/generate-big.mjs <rows> <out.csv>
// ~10 rows per customer, 3 years, a few channels/regions; deterministic (seeded).
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
const customers = Math.max(1, Math.round(rows / 10));
const channels = ['online', 'store', 'app', 'marketplace'];
const regions = ['North', 'South', 'East', 'West', 'Central'];
const start = Date.UTC(2022, 0, 1);
const span = 3 * 365 * 86400_000;
const fd = fs.openSync(out, 'w');
fs.writeSync(fd, 'order_id,order_date,customer_id,amount,quantity,channel,region\n');
let buf = [];
for (let i = 0; i < rows; i++) {
  const c = Math.floor(rand() * customers);
  const ts = new Date(start + Math.floor(rand() * span)).toISOString().slice(0, 19).replace('T', ' ');
  const qty = 1 + Math.floor(rand() * 4);
  const amount = (qty * (5 + rand() * 195)).toFixed(2);
  const sign = rand() < 0.02 ? '-' : '';
  buf.push(`O${i},${ts},C${c},${sign}${amount},${sign}${qty},${channels[c % 4]},${regions[c % 5]}`);
  if (buf.length === 100_000) {
    fs.writeSync(fd, buf.join('\n') + '\n');
    buf = [];
  }
}
if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
fs.closeSync(fd);
console.log(`${out}: ${rows} rows, ${customers} customers, ${fs.statSync(out).size} bytes`);
