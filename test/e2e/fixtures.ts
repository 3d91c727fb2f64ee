// Files the e2e tests drop into the app, built in the test process so their contents (and
// the expected counts, derived by hand or by an independent JS computation) sit in one place.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { tableFromArrays, tableToIPC } from 'apache-arrow';

const require = createRequire(import.meta.url);

/** A Parquet file in 3 row groups: 7 rows, 1 without customer, 1 return, 1 duplicate. */
export function parquetFixture(): Buffer {
  const pq = require('parquet-wasm/node') as typeof import('parquet-wasm/node');
  const table = tableFromArrays({
    customer_id: ['A', 'A', 'B', '', 'C', 'C', 'C'],
    order_id: ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o6'],
    order_date: ['2024-01-05', '2024-02-05', '2024-02-06', '2024-02-07', '2024-03-01', '2024-03-09', '2024-03-09'],
    amount: Float64Array.from([10, 20, -5, 7, 30, 40, 40]),
  });
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(3).build();
  const bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
  return Buffer.from(bytes);
}

/**
 * The sample's headline KPIs computed independently of the app: plain JS over the CSV text,
 * following the documented rules (valid ISO date, numeric amount, non-empty customer id,
 * exact duplicate lines dropped; orders = order ids with a positive net amount).
 */
export function sampleKpisByHand(file = 'public/sample/transactions.csv') {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const [iOrder, iDate, iCustomer, iAmount] = ['order_id', 'order_date', 'customer_id', 'amount'].map(col);
  const seen = new Set<string>();
  const customers = new Set<string>();
  const net = new Map<string, number>();
  let revenue = 0;
  let first = '9999';
  let last = '0000';
  for (const line of lines.slice(1)) {
    if (seen.has(line)) continue;
    seen.add(line);
    const f = line.split(',');
    const customer = f[iCustomer].trim();
    const day = f[iDate].slice(0, 10);
    const d = new Date(`${day}T00:00:00Z`);
    const validDate = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(f[iDate]) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day && Number(f[iDate].slice(11, 13)) < 24 && Number(f[iDate].slice(14, 16)) < 60;
    const amount = /^-?\d+(\.\d+)?$/.test(f[iAmount]) ? Number(f[iAmount]) : NaN;
    if (!customer || !validDate || Number.isNaN(amount)) continue;
    customers.add(customer);
    net.set(f[iOrder], (net.get(f[iOrder]) ?? 0) + amount);
    revenue += amount;
    if (day < first) first = day;
    if (day > last) last = day;
  }
  const orders = [...net.values()].filter((v) => v > 0).length;
  return { customers: customers.size, orders, revenue, aov: revenue / orders, first, last };
}

/** "会员编号,下单时间,实付金额,渠道" + 3 rows, encoded in GBK by hand (byte values from the GBK table). */
export function gbkFixture(): Buffer {
  const header = [
    0xbb, 0xe1, 0xd4, 0xb1, 0xb1, 0xe0, 0xba, 0xc5, 0x2c, // 会员编号,
    0xcf, 0xc2, 0xb5, 0xa5, 0xca, 0xb1, 0xbc, 0xe4, 0x2c, // 下单时间,
    0xca, 0xb5, 0xb8, 0xb6, 0xbd, 0xf0, 0xb6, 0xee, 0x2c, // 实付金额,
    0xc7, 0xfe, 0xb5, 0xc0, 0x0d, 0x0a, // 渠道\r\n
  ];
  const rows = 'M001,2024-03-01 10:00:00,88.50,APP\r\nM002,2024-03-02 11:00:00,11.50,APP\r\nM001,2024-04-02 09:30:00,100.00,WEB\r\n';
  return Buffer.concat([Buffer.from(header), Buffer.from(rows, 'ascii')]);
}
