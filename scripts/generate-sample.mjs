#!/usr/bin/env node
// Generates the embedded sample data in public/sample/ (run: `npm run sample`).
//
//   transactions.csv   order lines of a fictional Chinese multi-channel retailer, 2023-01-01 .. 2025-06-30
//   survey.csv         a customer-satisfaction survey of a random subset of those customers
//   survey-items.json  item codes → construct, English and Chinese wording
//
// Plain Node ESM, no dependencies. Every random draw comes from seeded mulberry32 streams and
// nothing reads the clock or the locale, so the output is identical byte for byte on every run.
//
// Deliberately dirty rows in transactions.csv (exact numbers; tests and docs rely on them):
//   * 30 rows with an empty customer_id
//   * 10 rows with an unparseable order_date (e.g. `2024-13-45 10:12:00`, `n/a`)
//   * 10 rows with a non-numeric or empty amount (3 empty, 7 like `abc`, `#VALUE!`, `约12` ("about 12"))
//   * 25 rows repeated verbatim (exact duplicates, each directly after its original)
//   *  3 customers who only ever returned goods (only negative rows; returns of orders placed
//     before the export window, so their original orders are not in the file)
// The three kinds of corrupted rows are disjoint, and the duplicated rows are clean rows.
// survey.csv: about 2% of the 19 answer cells (18 Likert items + NPS) are empty, missing at random;
// the exact count is printed when the script runs.

import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRandom } from './random.mjs';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'sample');

const SEED = 20250630;
const N_CUSTOMERS = 5000; // regular customers; the return-only ones come on top
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2023, 0, 1);
const END_MS = Date.UTC(2025, 6, 1); // exclusive: the data ends 2025-06-30 23:59:59
const N_DAYS = Math.round((END_MS - START_MS) / DAY_MS); // 912

const DIRTY = {
  emptyCustomer: 30,
  badDate: 10,
  badAmount: 10,
  duplicates: 25,
  returnOnlyCustomers: 3,
};
const BAD_DATES = [
  '2024-13-45 10:12:00',
  'n/a',
  '2023-02-30 14:05:11',
  '2024-11-31 09:00:00',
  '0000-00-00 00:00:00',
  'unknown',
  '2025-06-31 20:15:00',
  '2023/07/15 25:61:00',
  '2024-02-30 11:11:11',
  '2023-00-10 12:00:00',
];
const BAD_AMOUNTS = ['abc', '', 'N/A', '#VALUE!', '', 'abc', '-', '约12', '', '待定'];

const N_RESPONDENTS = 600;
const SURVEY_MISSING_RATE = 0.02;

// Independent streams, so that changing one part does not reshuffle the others.
const rngCustomers = makeRandom(SEED);
const rngBaskets = makeRandom(SEED + 1);
const rngReturns = makeRandom(SEED + 2);
const rngDirty = makeRandom(SEED + 3);
const rngSurvey = makeRandom(SEED + 4);

// ---------------------------------------------------------------------------------------------
// Catalogue, channels, regions

// [name, list price CNY, popularity, months with extra demand (1-12) → factor]
const CATALOGUE = [
  {
    category: '服装', weight: 0.26, returnRate: 0.05, products: [
      ['纯棉圆领T恤', 79, 3, { 5: 1.5, 6: 1.8, 7: 1.8, 8: 1.4 }],
      ['直筒牛仔裤', 199, 2],
      ['轻薄羽绒服', 599, 1.5, { 10: 2.5, 11: 3, 12: 3, 1: 2, 2: 0.8, 5: 0.1, 6: 0.05, 7: 0.05, 8: 0.1 }],
      ['针织开衫', 259, 1, { 3: 1.5, 4: 1.5, 9: 1.5, 10: 1.5 }],
      ['连帽运动卫衣', 189, 1.5],
      ['碎花连衣裙', 329, 1.2, { 4: 1.6, 5: 1.8, 6: 1.8, 7: 1.5 }],
      ['休闲衬衫', 159, 1.2],
      ['运动袜三双装', 29, 2.5],
    ],
  },
  {
    category: '美妆', weight: 0.2, returnRate: 0.02, products: [
      ['保湿面霜', 268, 2],
      ['修护精华液', 459, 1.5],
      ['丝绒口红', 199, 2],
      ['清爽防晒霜', 139, 1.5, { 4: 1.5, 5: 2.2, 6: 2.5, 7: 2.5, 8: 1.8, 11: 0.4, 12: 0.3, 1: 0.3, 2: 0.4 }],
      ['氨基酸洁面乳', 89, 2.5],
      ['补水面膜10片', 119, 2.5],
      ['持妆粉底液', 329, 1],
    ],
  },
  {
    category: '数码', weight: 0.12, returnRate: 0.03, products: [
      ['降噪蓝牙耳机', 399, 2],
      ['智能手表', 1299, 1],
      ['20000毫安充电宝', 129, 2],
      ['机械键盘', 459, 0.8],
      ['11英寸平板电脑', 2999, 0.5],
      ['硅胶手机壳', 39, 3],
      ['快充数据线', 49, 3],
    ],
  },
  {
    category: '家居', weight: 0.15, returnRate: 0.025, products: [
      ['乳胶枕', 299, 1.5],
      ['纯棉四件套', 459, 1.2],
      ['折叠收纳箱', 69, 2.5],
      ['香薰蜡烛', 89, 1.2, { 12: 1.8, 2: 1.5 }],
      ['不锈钢保温杯', 139, 2],
      ['空气炸锅', 399, 1],
      ['记忆棉床垫', 1899, 0.4],
    ],
  },
  {
    category: '食品', weight: 0.17, returnRate: 0.01, products: [
      ['坚果礼盒', 168, 2, { 1: 2.5, 12: 1.5 }],
      ['挂耳咖啡20包', 59, 3],
      ['东北大米5kg', 89, 2],
      ['风干牛肉干', 49, 2.5],
      ['龙井茶礼盒', 388, 0.8, { 3: 1.6, 4: 2, 9: 1.5 }],
      ['月饼礼盒', 258, 1.5, { 8: 5, 9: 8, 10: 0.3, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0.3, 11: 0, 12: 0 }],
      ['纯牛奶整箱', 79, 3],
    ],
  },
  {
    category: '母婴', weight: 0.1, returnRate: 0.015, products: [
      ['婴儿纸尿裤', 169, 4],
      ['婴儿配方奶粉', 298, 3],
      ['婴儿湿巾', 39, 3],
      ['轻便婴儿推车', 1299, 0.3],
      ['儿童绘本套装', 99, 1.5],
      ['宝宝辅食米粉', 69, 2],
    ],
  },
];

const PRODUCTS = [];
CATALOGUE.forEach((cat, ci) => {
  const prices = cat.products.map((p) => p[1]).sort((a, b) => a - b);
  const median = prices[Math.floor(prices.length / 2)];
  cat.productIndex = [];
  cat.products.forEach(([name, price, popularity, seasonal], pi) => {
    cat.productIndex.push(PRODUCTS.length);
    PRODUCTS.push({
      id: `P${String(ci + 1).padStart(2, '0')}${String(pi + 1).padStart(2, '0')}`,
      name,
      category: cat.category,
      categoryIndex: ci,
      price,
      popularity,
      seasonal: seasonal ?? {},
      logRelPrice: Math.log(price / median),
      returnRate: cat.returnRate,
    });
  });
});

const CHANNELS = ['天猫', '京东', '小程序', '门店', '抖音'];
/** Channel mix drifts towards 抖音 and 小程序 over the period. */
function channelWeights(day) {
  const f = day / N_DAYS;
  return [0.34 - 0.1 * f, 0.26 - 0.05 * f, 0.12 + 0.05 * f, 0.2 - 0.06 * f, 0.08 + 0.16 * f];
}

const REGIONS = [
  ['广东', 16], ['浙江', 11], ['江苏', 11], ['上海', 8], ['北京', 7], ['山东', 7], ['四川', 6],
  ['湖北', 5], ['河南', 5], ['福建', 5], ['湖南', 4], ['安徽', 3], ['河北', 3], ['陕西', 3],
  ['重庆', 3], ['辽宁', 2], ['天津', 2], ['云南', 2], ['江西', 2], ['广西', 2], ['黑龙江', 1],
];
const REGION_WEIGHTS = REGIONS.map((r) => r[1]);

// ---------------------------------------------------------------------------------------------
// Calendar: seasonality, promotions, time of day

const CNY = [Date.UTC(2023, 0, 22), Date.UTC(2024, 1, 10), Date.UTC(2025, 0, 29)].map((ms) => (ms - START_MS) / DAY_MS);
const MONTH_FACTOR = [0.9, 0.85, 0.95, 0.95, 1.0, 1.05, 0.9, 0.92, 1.0, 1.0, 1.2, 1.15];
const WEEKDAY_FACTOR = [1.08, 0.92, 0.95, 0.97, 0.98, 1.03, 1.1]; // Sun..Sat

function calendar(day) {
  const d = new Date(START_MS + day * DAY_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, dom: d.getUTCDate(), dow: d.getUTCDay() };
}

/** Relative demand on a day: month, weekday, Chinese New Year lull, 618, Double 11, Double 12. */
function demand(day) {
  const { m, dom, dow } = calendar(day);
  let f = MONTH_FACTOR[m - 1] * WEEKDAY_FACTOR[dow];
  for (const c of CNY) {
    if (day >= c - 1 && day < c + 6) f *= 0.45; // holiday: logistics pause
    else if (day >= c - 16 && day < c - 1) f *= 1.25; // gift shopping before the holiday
  }
  if (m === 6) {
    if (dom <= 15) f *= 1.25;
    else if (dom <= 17) f *= 1.7;
    else if (dom === 18) f *= 3.5;
    else if (dom <= 20) f *= 0.8;
  }
  if (m === 10 && dom >= 20) f *= 1.15;
  if (m === 11) {
    if (dom <= 9) f *= 1.2;
    else if (dom === 10) f *= 1.7;
    else if (dom === 11) f *= 6;
    else if (dom <= 15) f *= 0.75;
  }
  if (m === 12 && dom === 12) f *= 2;
  return f;
}
const DEMAND = Array.from({ length: N_DAYS }, (_, d) => demand(d));
const DEMAND_MAX = Math.max(...DEMAND);

/** Promotion price factor on a day, or 1. `coupon` days discount only some lines. */
function promotion(day) {
  const { m, dom } = calendar(day);
  if ((m === 6 && dom >= 16 && dom <= 18) || (m === 11 && (dom === 10 || dom === 11))) return { factor: 0.8, share: 1 };
  if (m === 12 && dom === 12) return { factor: 0.85, share: 1 };
  if ((m === 6 && dom <= 15) || (m === 11 && dom <= 9)) return { factor: 0.9, share: 0.4 };
  return { factor: 1, share: 0 };
}

const HOUR_WEIGHTS = [3, 1.5, 0.7, 0.4, 0.3, 0.3, 0.6, 1.2, 2, 3, 4, 4.2, 4, 3.6, 3.8, 3.9, 3.8, 3.6, 3.8, 4.5, 5.5, 6, 5.5, 4];
const HOUR_WEIGHTS_DOUBLE11 = HOUR_WEIGHTS.map((w, h) => (h === 0 ? w * 8 : h === 1 ? w * 3 : w));
const STORE_HOUR_WEIGHTS = HOUR_WEIGHTS.map((_, h) => (h >= 10 && h <= 21 ? (h >= 18 ? 1.4 : 1) : 0)); // opening hours

/** Seconds since START for a moment on `day`, with a plausible time of day. */
function timeOnDay(rng, day, channel) {
  const { m, dom } = calendar(day);
  const weights = channel === '门店' ? STORE_HOUR_WEIGHTS : m === 11 && dom === 11 ? HOUR_WEIGHTS_DOUBLE11 : HOUR_WEIGHTS;
  const hour = rng.weighted(weights);
  return day * 86400 + hour * 3600 + rng.int(0, 59) * 60 + rng.int(0, 59);
}

const pad2 = (n) => String(n).padStart(2, '0');
function formatTimestamp(sec) {
  const d = new Date(START_MS + sec * 1000);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}
const money = (x) => (Math.round(x * 100) / 100).toFixed(2);

// ---------------------------------------------------------------------------------------------
// Customers and their purchase histories (BG/NBD-like)

// Acquisition: a launch wave at the start, then a slowly decaying inflow, shaped by demand
// (promotions bring new customers too).
const ACQ_WEIGHTS = DEMAND.map((f, d) => f * (0.45 + 2.4 * Math.exp(-d / 90)));

// Purchase rate per day ~ Gamma(shape, scale), capped; dropout probability after each purchase
// ~ Beta(0.4, 0.6), U-shaped: many triers who never come back, a loyal core that rarely leaves.
const RATE_SHAPE = 2;
const RATE_SCALE = 0.045;
const DROPOUT_A = 0.4;
const DROPOUT_B = 0.6;
const RATE_CAP = 0.15; // nobody orders more than about once a week on average

function simulateCustomer(rng) {
  const acqDay = rng.weighted(ACQ_WEIGHTS);
  const rate = Math.min(RATE_CAP, rng.gamma(RATE_SHAPE) * RATE_SCALE);
  const dropout = rng.beta(DROPOUT_A, DROPOUT_B);
  const purchaseDays = [acqDay];
  let t = acqDay + rng.u();
  for (;;) {
    if (rng.u() < dropout) break; // gone for good after this purchase
    // Thinning: candidate events at the peak rate, kept in proportion to that day's demand.
    let accepted = false;
    while (!accepted) {
      t += rng.exponential(rate * DEMAND_MAX);
      if (t >= N_DAYS) break;
      accepted = rng.u() < DEMAND[Math.floor(t)] / DEMAND_MAX;
    }
    if (!accepted) break;
    purchaseDays.push(Math.floor(t));
  }

  // Category tastes: a few categories dominate; only some households buy baby goods.
  const hasBaby = rng.u() < 0.3;
  const taste = CATALOGUE.map((c, i) => (i === 5 && !hasBaby ? 0 : c.weight * rng.gamma(0.7) * (i === 5 ? 2.5 : 1)));
  return {
    acqDay,
    purchaseDays,
    spend: Math.exp(0.6 * rng.normal()), // lognormal basket level
    taste,
    channelPref: rng.weighted(channelWeights(acqDay)),
    channelLoyalty: 0.55 + 0.4 * rng.u(),
    region: REGIONS[rng.weighted(REGION_WEIGHTS)][0],
    returnOnly: false,
  };
}

const customers = [];
for (let i = 0; i < N_CUSTOMERS; i++) customers.push(simulateCustomer(rngCustomers));

// Return-only customers: registered before the window, returned something bought before it.
for (let i = 0; i < DIRTY.returnOnlyCustomers; i++) {
  customers.push({
    acqDay: -1,
    purchaseDays: [],
    spend: 1,
    taste: CATALOGUE.map((c) => c.weight),
    channelPref: rngCustomers.weighted(channelWeights(0)),
    channelLoyalty: 1,
    region: REGIONS[rngCustomers.weighted(REGION_WEIGHTS)][0],
    returnOnly: true,
    tiebreak: rngCustomers.u(),
  });
}
// Ids follow registration order; the return-only ones land among the earliest registrations.
customers.forEach((c, i) => {
  c.sortKey = c.returnOnly ? c.tiebreak * 20000 : c.acqDay * 1000 + (i % 1000);
});
customers.sort((a, b) => a.sortKey - b.sortKey);
customers.forEach((c, i) => {
  c.id = `C${String(i + 1).padStart(5, '0')}`;
});

// ---------------------------------------------------------------------------------------------
// Orders and lines

const LINE_COUNT_WEIGHTS = [0.62, 0.26, 0.12];
const QTY_WEIGHTS = [0.74, 0.16, 0.06, 0.025, 0.015];
const QTY_WEIGHTS_CHEAP = [0.55, 0.25, 0.1, 0.05, 0.05];

function pickProduct(rng, customer, month, exclude) {
  const ci = rng.weighted(customer.taste);
  const cat = CATALOGUE[ci];
  const tilt = 0.9 * Math.log(customer.spend); // big spenders lean to the dearer items
  const weights = cat.productIndex.map((pi) => {
    if (exclude.has(pi)) return 0;
    const p = PRODUCTS[pi];
    return p.popularity * (p.seasonal[month] ?? 1) * Math.exp(tilt * p.logRelPrice);
  });
  if (weights.every((w) => w === 0)) return null;
  return cat.productIndex[rng.weighted(weights)];
}

const orders = [];
for (const customer of customers) {
  for (const day of customer.purchaseDays) {
    const rng = rngBaskets;
    const { m } = calendar(day);
    const channelIdx = rng.u() < customer.channelLoyalty ? customer.channelPref : rng.weighted(channelWeights(day));
    const channel = CHANNELS[channelIdx];
    const nLines = 1 + rng.weighted(LINE_COUNT_WEIGHTS.map((w, k) => w * Math.pow(customer.spend, 0.4 * k)));
    const promo = promotion(day);
    const chosen = new Set();
    const lines = [];
    for (let k = 0; k < nLines; k++) {
      const pi = pickProduct(rng, customer, m, chosen);
      if (pi === null) continue;
      chosen.add(pi);
      const p = PRODUCTS[pi];
      const qty = 1 + rng.weighted(p.price < 100 ? QTY_WEIGHTS_CHEAP : QTY_WEIGHTS);
      const discounted = promo.factor < 1 && rng.u() < promo.share;
      const unitPrice = discounted ? Math.max(1, Math.round(p.price * promo.factor)) - 0.1 : p.price;
      lines.push({ product: p, qty, unitPrice });
    }
    if (lines.length === 0) continue;
    orders.push({ customer, ts: timeOnDay(rng, day, channel), channel, lines });
  }
}

// Order ids: SO + YYMM + a per-month running number with small gaps (cancelled orders).
orders.sort((a, b) => a.ts - b.ts || a.customer.sortKey - b.customer.sortKey);
{
  let month = '';
  let seq = 0;
  for (const o of orders) {
    const stamp = formatTimestamp(o.ts);
    const ym = stamp.slice(2, 4) + stamp.slice(5, 7);
    if (ym !== month) {
      month = ym;
      seq = rngBaskets.int(100, 180);
    }
    seq += rngBaskets.u() < 0.08 ? 2 : 1;
    o.id = `SO${ym}${String(seq).padStart(6, '0')}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows: sales lines, returns, return-only customers

/** @typedef {{ts:number, orderId:string, line:number, customer:string, product:object, qty:number, unitPrice:number, channel:string, region:string, isReturn:boolean, customerRef:object}} Row */
const rows = [];
for (const o of orders) {
  o.lines.forEach((l, k) => {
    rows.push({
      ts: o.ts, orderId: o.id, line: k, customer: o.customer.id, customerRef: o.customer,
      product: l.product, qty: l.qty, unitPrice: l.unitPrice, channel: o.channel, region: o.customer.region, isReturn: false,
    });
  });
}

const END_SEC = N_DAYS * 86400;
let returnsBeyondEnd = 0;
for (const o of orders) {
  const rate = Math.max(...o.lines.map((l) => l.product.returnRate));
  if (rngReturns.u() >= rate) continue;
  const l = o.lines[rngReturns.weighted(o.lines.map((x) => x.product.returnRate))];
  const qty = l.qty > 1 && rngReturns.u() < 0.2 ? rngReturns.int(1, l.qty - 1) : l.qty;
  const day = Math.floor(o.ts / 86400) + rngReturns.int(1, 20);
  const ts = day * 86400 + rngReturns.int(9, 21) * 3600 + rngReturns.int(0, 3599);
  if (ts >= END_SEC) {
    returnsBeyondEnd++; // not yet happened at the export date
    continue;
  }
  rows.push({
    ts, orderId: `R${o.id}`, line: 0, customer: o.customer.id, customerRef: o.customer,
    product: l.product, qty: -qty, unitPrice: l.unitPrice, channel: o.channel, region: o.customer.region, isReturn: true,
  });
}

for (const c of customers.filter((x) => x.returnOnly)) {
  const n = rngReturns.int(1, 2);
  const seq = rngReturns.int(2000, 9000);
  for (let k = 0; k < n; k++) {
    const pi = pickProduct(rngReturns, c, 12, new Set());
    const p = PRODUCTS[pi];
    const day = rngReturns.int(1, 20);
    rows.push({
      ts: day * 86400 + rngReturns.int(9, 21) * 3600 + rngReturns.int(0, 3599),
      orderId: `RSO2212${String(seq + k * 37).padStart(6, '0')}`, line: 0, customer: c.id, customerRef: c,
      product: p, qty: -1, unitPrice: p.price, channel: CHANNELS[c.channelPref], region: c.region, isReturn: true,
    });
  }
}

rows.sort((a, b) => a.ts - b.ts || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0) || a.line - b.line);

// ---------------------------------------------------------------------------------------------
// Dirty rows

const rowsPerCustomer = new Map();
for (const r of rows) rowsPerCustomer.set(r.customer, (rowsPerCustomer.get(r.customer) ?? 0) + 1);
// Only rows of customers with several rows are spoiled, so every customer keeps clean rows.
const eligible = [];
rows.forEach((r, i) => {
  if (!r.isReturn && rowsPerCustomer.get(r.customer) >= 4) eligible.push(i);
});
const picked = rngDirty.sample(eligible, DIRTY.emptyCustomer + DIRTY.badDate + DIRTY.badAmount + DIRTY.duplicates);
let at = 0;
const take = (n) => picked.slice(at, (at += n));
for (const i of take(DIRTY.emptyCustomer)) rows[i].dirtyCustomer = '';
take(DIRTY.badDate).forEach((i, k) => (rows[i].dirtyDate = BAD_DATES[k]));
take(DIRTY.badAmount).forEach((i, k) => (rows[i].dirtyAmount = BAD_AMOUNTS[k]));
for (const i of take(DIRTY.duplicates)) rows[i].duplicate = true;

// ---------------------------------------------------------------------------------------------
// transactions.csv

const HEADER = 'order_id,order_date,customer_id,product_id,product_name,category,quantity,unit_price,amount,channel,region';
const lines = [HEADER];
for (const r of rows) {
  const line = [
    r.orderId,
    r.dirtyDate ?? formatTimestamp(r.ts),
    r.dirtyCustomer ?? r.customer,
    r.product.id,
    r.product.name,
    r.product.category,
    String(r.qty),
    money(r.unitPrice),
    r.dirtyAmount ?? money(r.qty * r.unitPrice),
    r.channel,
    r.region,
  ].join(',');
  lines.push(line);
  if (r.duplicate) lines.push(line);
}
const transactionsCsv = lines.join('\n') + '\n';

// ---------------------------------------------------------------------------------------------
// survey.csv: latent-variable model PRE, INS, AFT → SAT → LOY (+ AFT → LOY)

const CONSTRUCTS = {
  pre_sale: { en: 'Pre-sale', zh: '售前因素' },
  in_sale: { en: 'In-sale', zh: '售中因素' },
  after_sale: { en: 'After-sale', zh: '售后因素' },
  satisfaction: { en: 'Satisfaction', zh: '满意度' },
  loyalty: { en: 'Loyalty', zh: '忠诚度' },
};
// code, construct, loading, typical answer (scale midpoint 4), en, zh
const ITEMS = [
  ['PRE1', 'pre_sale', 0.82, 5.0, 'Product information is easy to find', '产品信息容易查到'],
  ['PRE2', 'pre_sale', 0.78, 4.8, 'Brand information is clear and trustworthy', '品牌信息清晰可信'],
  ['PRE3', 'pre_sale', 0.72, 4.2, 'The advertising is credible', '广告宣传真实可信'],
  ['INS1', 'in_sale', 0.88, 5.2, 'The products are of good quality', '产品质量好'],
  ['INS2', 'in_sale', 0.84, 5.0, 'Quality is consistent from one purchase to the next', '产品质量稳定'],
  ['INS3', 'in_sale', 0.74, 4.3, 'Prices are fair for what I get', '价格公道合理'],
  ['INS4', 'in_sale', 0.76, 5.5, 'Buying is convenient (ordering, payment, delivery)', '购买方便（下单、支付、配送）'],
  ['INS5', 'in_sale', 0.71, 4.9, 'Sales staff and online service are helpful', '导购及在线客服服务周到'],
  ['AFT1', 'after_sale', 0.85, 4.8, 'After-sales service is of high quality', '售后服务质量高'],
  ['AFT2', 'after_sale', 0.73, 4.3, 'After-sales extras add value (installation, care tips, member benefits)', '售后增值服务（安装、保养指导、会员权益）有价值'],
  ['AFT3', 'after_sale', 0.8, 4.7, 'Promises on delivery, warranty and returns are kept', '配送、保修、退换等承诺都能兑现'],
  ['AFT4', 'after_sale', 0.83, 4.1, 'Complaints are handled quickly and fairly', '投诉处理及时、公正'],
  ['SAT1', 'satisfaction', 0.9, 5.0, 'Overall, I am satisfied with this store', '总体而言，我对该商家感到满意'],
  ['SAT2', 'satisfaction', 0.86, 4.9, 'The store meets my expectations', '该商家符合我的期望'],
  ['SAT3', 'satisfaction', 0.81, 4.7, 'Compared with an ideal store, this one does well', '与理想中的商家相比，该商家表现很好'],
  ['LOY1', 'loyalty', 0.87, 4.8, 'I will buy from this store again', '我会再次在该商家购买'],
  ['LOY2', 'loyalty', 0.84, 4.4, 'I would recommend this store to friends and family', '我会向亲友推荐该商家'],
  ['LOY3', 'loyalty', 0.75, 4.2, 'I prefer this store even if others are slightly cheaper', '即使别家稍便宜，我也更愿意在这里购买'],
];
const NPS_ITEM = {
  column: 'NPS',
  scale: { min: 0, max: 10 },
  en: 'How likely are you to recommend us to a friend or colleague? (0 = not at all, 10 = extremely likely)',
  zh: '您向朋友或同事推荐我们的可能性有多大？（0 = 完全不可能，10 = 极有可能）',
};
// Structural model used to generate the answers (standardised latent scores).
const PATHS = [
  { from: 'pre_sale', to: 'satisfaction', coefficient: 0.2 },
  { from: 'in_sale', to: 'satisfaction', coefficient: 0.45 },
  { from: 'after_sale', to: 'satisfaction', coefficient: 0.3 },
  { from: 'satisfaction', to: 'loyalty', coefficient: 0.6 },
  { from: 'after_sale', to: 'loyalty', coefficient: 0.15 },
];
const EXO_CORRELATION = 0.3;
const SAT_NOISE_SD = 0.55; // latent R²(SAT) ≈ 0.62; ≈ 0.53 between item composites
const LOY_NOISE_SD = 0.6; // latent R²(LOY) ≈ 0.6; ≈ 0.5 between item composites
const LOY_REPEAT_EFFECT = 0.2; // per SD of log(1 + repeat purchases)

const ordersPerCustomer = new Map();
for (const o of orders) ordersPerCustomer.set(o.customer.id, (ordersPerCustomer.get(o.customer.id) ?? 0) + 1);
const regular = customers.filter((c) => !c.returnOnly);
const respondents = rngSurvey.sample(regular, N_RESPONDENTS);
const logRepeats = respondents.map((c) => Math.log1p(ordersPerCustomer.get(c.id) - 1));
const meanLR = logRepeats.reduce((s, x) => s + x, 0) / logRepeats.length;
const sdLR = Math.sqrt(logRepeats.reduce((s, x) => s + (x - meanLR) ** 2, 0) / logRepeats.length);

// Cholesky factor of the equicorrelated 3×3 matrix (1 on the diagonal, ρ elsewhere).
const rho = EXO_CORRELATION;
const L11 = 1;
const L21 = rho;
const L22 = Math.sqrt(1 - rho * rho);
const L31 = rho;
const L32 = (rho - rho * rho) / L22;
const L33 = Math.sqrt(1 - L31 * L31 - L32 * L32);
const satSystematicVar = (() => {
  const b = [0.2, 0.45, 0.3];
  let v = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += b[i] * b[j] * (i === j ? 1 : rho);
  return v;
})();
const satSd = Math.sqrt(satSystematicVar + SAT_NOISE_SD ** 2);

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const surveyHeader = ['customer_id', ...ITEMS.map((it) => it[0]), NPS_ITEM.column];
const surveyLines = [surveyHeader.join(',')];
const loyScores = [];
respondents.forEach((c, r) => {
  const rng = rngSurvey;
  const z1 = rng.normal();
  const z2 = rng.normal();
  const z3 = rng.normal();
  const latent = {
    pre_sale: L11 * z1,
    in_sale: L21 * z1 + L22 * z2,
    after_sale: L31 * z1 + L32 * z2 + L33 * z3,
  };
  latent.satisfaction =
    (0.2 * latent.pre_sale + 0.45 * latent.in_sale + 0.3 * latent.after_sale + SAT_NOISE_SD * rng.normal()) / satSd;
  const repeatZ = sdLR > 0 ? (logRepeats[r] - meanLR) / sdLR : 0;
  latent.loyalty = 0.6 * latent.satisfaction + 0.15 * latent.after_sale + LOY_REPEAT_EFFECT * repeatZ + LOY_NOISE_SD * rng.normal();
  loyScores.push(latent.loyalty);
  const answers = ITEMS.map(([, construct, loading, typical]) => {
    const x = loading * latent[construct] + Math.sqrt(1 - loading * loading) * rng.normal();
    return clamp(Math.round(typical + 1.3 * x), 1, 7);
  });
  // NPS: mostly loyalty, plus a personal "scale use" wobble.
  answers.push(clamp(Math.round(7.4 + 2.1 * latent.loyalty + 0.9 * rng.normal()), 0, 10));
  const cells = answers.map((a) => (rng.u() < SURVEY_MISSING_RATE ? '' : String(a)));
  surveyLines.push([c.id, ...cells].join(','));
});
const surveyCsv = surveyLines.join('\n') + '\n';
const surveyMissing = surveyLines.slice(1).reduce((s, l) => s + l.split(',').slice(1).filter((x) => x === '').length, 0);

const surveyItems = {
  scale: { min: 1, max: 7 },
  items: Object.fromEntries(ITEMS.map(([code, construct, , , en, zh]) => [code, { construct, en, zh }])),
  constructs: CONSTRUCTS,
  nps: NPS_ITEM,
  paths: PATHS,
};
const surveyItemsJson = JSON.stringify(surveyItems, null, 2) + '\n';

// ---------------------------------------------------------------------------------------------
// Write and report

mkdirSync(OUT_DIR, { recursive: true });
const outputs = [
  ['transactions.csv', transactionsCsv],
  ['survey.csv', surveyCsv],
  ['survey-items.json', surveyItemsJson],
];
for (const [name, text] of outputs) writeFileSync(join(OUT_DIR, name), text, 'utf8');

const saleRows = rows.filter((r) => !r.isReturn);
const returnRows = rows.filter((r) => r.isReturn);
const orderCounts = [...ordersPerCustomer.values()];
const oneTimers = orderCounts.filter((n) => n === 1).length;
const lastDay = new Map();
for (const o of orders) lastDay.set(o.customer.id, Math.floor(o.ts / 86400));
const recency = [...lastDay.values()].map((d) => N_DAYS - d);
const acqByYear = {};
for (const c of regular) {
  const y = calendar(c.acqDay).y;
  acqByYear[y] = (acqByYear[y] ?? 0) + 1;
}
const fmt = (n) => n.toLocaleString('en-US');
const report = [
  `transactions.csv: ${fmt(lines.length - 1)} data rows (${fmt(saleRows.length)} sale lines + ${fmt(returnRows.length)} return rows + ${DIRTY.duplicates} duplicates)`,
  `  orders: ${fmt(orders.length)} (+ ${fmt(returnRows.length)} return order ids; ${returnsBeyondEnd} returns fell after the export date and were dropped)`,
  `  customers: ${fmt(regular.length)} buying + ${DIRTY.returnOnlyCustomers} return-only = ${fmt(customers.length)}`,
  `  one-time buyers: ${fmt(oneTimers)} (${((100 * oneTimers) / regular.length).toFixed(1)}%), max orders per customer: ${Math.max(...orderCounts)}`,
  `  last purchase ≤90 days before the end: ${recency.filter((d) => d <= 90).length}, 91–365: ${recency.filter((d) => d > 90 && d <= 365).length}, >365: ${recency.filter((d) => d > 365).length}`,
  `  acquisitions by year: ${Object.entries(acqByYear).map(([y, n]) => `${y}: ${n}`).join(', ')}`,
  `  dates: ${formatTimestamp(rows[0].ts)} .. ${formatTimestamp(rows[rows.length - 1].ts)}`,
  `  dirty: ${DIRTY.emptyCustomer} empty customer_id, ${DIRTY.badDate} unparseable order_date, ${DIRTY.badAmount} bad amount (${BAD_AMOUNTS.filter((a) => a === '').length} empty), ${DIRTY.duplicates} exact duplicate rows, ${DIRTY.returnOnlyCustomers} return-only customers (${customers.filter((c) => c.returnOnly).map((c) => c.id).join(', ')})`,
  `survey.csv: ${N_RESPONDENTS} respondents, ${ITEMS.length} Likert items + NPS, ${surveyMissing} empty answer cells (${((100 * surveyMissing) / (N_RESPONDENTS * (ITEMS.length + 1))).toFixed(2)}%)`,
];
for (const line of report) console.log(line);
for (const [name, text] of outputs) {
  const buf = Buffer.from(text, 'utf8');
  console.log(`${name}: ${fmt(buf.length)} bytes, sha256 ${createHash('sha256').update(buf).digest('hex')}`);
}
