import { beforeAll, describe, expect, it } from 'vitest';
import {
  MAPPING_ERRORS,
  MAPPING_WARNINGS,
  ROLES,
  detectDecimalComma,
  detectMapping,
  normaliseHeader,
  suggestDateFormat,
  validateMapping,
  type ColumnProfile,
} from '../../src/core/mapping';
import type { Database } from '../../src/engine/database';
import { openTestDatabase } from './helpers/duckdb';

// A column profile as the engine would compute it. Counts default to a 1000-row file.
function col(
  name: string,
  type: string,
  samples: (string | null)[],
  counts: Partial<Pick<ColumnProfile, 'distinct' | 'nonNull' | 'rows'>> = {},
): ColumnProfile {
  const rows = counts.rows ?? 1000;
  return { name, type, samples, distinct: counts.distinct ?? 500, nonNull: counts.nonNull ?? rows, rows };
}

// The UK "Online Retail" export (UCI ML repository, Chen et al. 2012): 541,909 invoice lines,
// 25,900 invoices, 4,070 stock codes, 4,372 customers (406,829 lines with a CustomerID),
// 38 countries. Samples are the file's first lines.
const RETAIL_ROWS = 541_909;
function onlineRetail(names: string[]): ColumnProfile[] {
  const r = { rows: RETAIL_ROWS };
  return [
    col(names[0], 'VARCHAR', ['536365', '536365', '536366', '536367', '536368', 'C536379', '536370'], { ...r, distinct: 25_900, nonNull: RETAIL_ROWS }),
    col(names[1], 'VARCHAR', ['85123A', '71053', '84406B', '84029G', '84029E', '22752', '21730', '22633'], { ...r, distinct: 4_070, nonNull: RETAIL_ROWS }),
    col(names[2], 'VARCHAR', ['WHITE HANGING HEART T-LIGHT HOLDER', 'WHITE METAL LANTERN', 'CREAM CUPID HEARTS COAT HANGER', 'SET 7 BABUSHKA NESTING BOXES'], { ...r, distinct: 4_223, nonNull: 540_455 }),
    col(names[3], 'BIGINT', ['6', '6', '8', '6', '6', '2', '6', '32', '-1', '12'], { ...r, distinct: 722, nonNull: RETAIL_ROWS }),
    col(names[4], 'VARCHAR', ['12/1/2010 8:26', '12/1/2010 8:28', '12/1/2010 9:01', '12/2/2010 10:03', '1/4/2011 10:00', '12/9/2011 12:50'], { ...r, distinct: 23_260, nonNull: RETAIL_ROWS }),
    col(names[5], 'DOUBLE', ['2.55', '3.39', '2.75', '7.65', '4.25', '1.85', '1.69', '2.1'], { ...r, distinct: 1_630, nonNull: RETAIL_ROWS }),
    col(names[6], 'BIGINT', ['17850', '17850', '13047', '12583', '13748', '15100', '15291', '14688'], { ...r, distinct: 4_372, nonNull: 406_829 }),
    col(names[7], 'VARCHAR', ['United Kingdom', 'United Kingdom', 'France', 'United Kingdom', 'Australia', 'Netherlands', 'United Kingdom'], { ...r, distinct: 38, nonNull: RETAIL_ROWS }),
  ];
}

describe('detectMapping — headers', () => {
  it('maps the UK "Online Retail" export fully; amount is left to quantity × unit price', () => {
    const names = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];
    const d = detectMapping(onlineRetail(names));
    expect(d.mapping).toEqual({
      customer_id: 'CustomerID',
      order_id: 'InvoiceNo',
      order_date: 'InvoiceDate',
      quantity: 'Quantity',
      unit_price: 'UnitPrice',
      product_id: 'StockCode',
      product_name: 'Description',
      region: 'Country',
    });
    expect(d.mapping.amount).toBeUndefined();
    expect(Object.values(d.reasons).every((r) => r === 'header')).toBe(true);
    expect(d.warnings).toEqual([MAPPING_WARNINGS.amountFromQuantityPrice]);
    expect(validateMapping(d.mapping, names)).toEqual({ ok: true, errors: [] });
  });

  it('maps the "Online Retail II" header (Invoice, Price, Customer ID)', () => {
    const names = ['Invoice', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'Price', 'Customer ID', 'Country'];
    const profiles = onlineRetail(names);
    profiles[4] = col('InvoiceDate', 'TIMESTAMP', ['2009-12-01 07:45:00', '2009-12-01 07:46:00', '2010-12-09 20:01:00']);
    profiles[6] = col('Customer ID', 'DOUBLE', ['13085.0', '13085.0', '13078.0', '15362.0'], { distinct: 5_942 });
    const d = detectMapping(profiles);
    expect(d.mapping).toEqual({
      customer_id: 'Customer ID',
      order_id: 'Invoice',
      order_date: 'InvoiceDate',
      quantity: 'Quantity',
      unit_price: 'Price',
      product_id: 'StockCode',
      product_name: 'Description',
      region: 'Country',
    });
    expect(validateMapping(d.mapping, names).ok).toBe(true);
  });

  it('maps a typical Chinese export', () => {
    const profiles = [
      col('订单号', 'VARCHAR', ['E202301050001', 'E202301050002', 'E202301050003']),
      col('下单时间', 'TIMESTAMP', ['2023-01-05 10:21:33', '2023-01-05 11:02:10']),
      col('会员编号', 'VARCHAR', ['M000123', 'M004521', 'M000123'], { distinct: 300 }),
      col('商品名称', 'VARCHAR', ['保湿面霜 50ml', '洁面乳', '防晒霜 SPF50']),
      col('数量', 'BIGINT', ['1', '2', '1', '3'], { distinct: 6 }),
      col('单价', 'DOUBLE', ['129.0', '59.9', '89.0']),
      col('实付金额', 'DOUBLE', ['129.0', '119.8', '267.0']),
      col('渠道', 'VARCHAR', ['天猫', '京东', '小程序', '门店'], { distinct: 4 }),
      col('省份', 'VARCHAR', ['广东', '浙江', '上海'], { distinct: 31 }),
    ];
    const d = detectMapping(profiles);
    expect(d.mapping).toEqual({
      customer_id: '会员编号',
      order_id: '订单号',
      order_date: '下单时间',
      amount: '实付金额',
      quantity: '数量',
      unit_price: '单价',
      product_name: '商品名称',
      channel: '渠道',
      region: '省份',
    });
    expect(d.warnings).toEqual([]);
  });

  it('maps plain English headers and many synonyms', () => {
    const cases: [string, string][] = [
      ['Customer ID', 'customer_id'], ['cust_id', 'customer_id'], ['Client ID', 'customer_id'], ['Member ID', 'customer_id'],
      ['user_id', 'customer_id'], ['Buyer', 'customer_id'], ['客户ID', 'customer_id'], ['客户编号', 'customer_id'], ['客户号', 'customer_id'],
      ['会员编号', 'customer_id'], ['会员ID', 'customer_id'], ['会员卡号', 'customer_id'], ['用户ID', 'customer_id'], ['用户编号', 'customer_id'],
      ['买家ID', 'customer_id'], ['买家昵称', 'customer_id'], ['顾客ID', 'customer_id'],
      ['InvoiceNo', 'order_id'], ['Invoice', 'order_id'], ['Order ID', 'order_id'], ['order_no', 'order_id'], ['Transaction ID', 'order_id'],
      ['订单号', 'order_id'], ['订单编号', 'order_id'], ['单号', 'order_id'], ['交易号', 'order_id'], ['流水号', 'order_id'],
      ['InvoiceDate', 'order_date'], ['Order Date', 'order_date'], ['date', 'order_date'], ['Purchase Date', 'order_date'], ['created_at', 'order_date'],
      ['Transaction Date', 'order_date'], ['下单时间', 'order_date'], ['订单日期', 'order_date'], ['日期', 'order_date'], ['交易时间', 'order_date'],
      ['购买日期', 'order_date'], ['付款时间', 'order_date'], ['支付时间', 'order_date'], ['创建时间', 'order_date'],
      ['Amount', 'amount'], ['Sales', 'amount'], ['Revenue', 'amount'], ['Total', 'amount'], ['Order Amount', 'amount'], ['Payment', 'amount'],
      ['金额', 'amount'], ['实付金额', 'amount'], ['订单金额', 'amount'], ['销售额', 'amount'], ['支付金额', 'amount'], ['成交金额', 'amount'],
      ['实收金额', 'amount'], ['应付金额', 'amount'],
      ['Quantity', 'quantity'], ['Qty', 'quantity'], ['Units', 'quantity'], ['数量', 'quantity'], ['购买数量', 'quantity'], ['件数', 'quantity'],
      ['UnitPrice', 'unit_price'], ['Price', 'unit_price'], ['Unit Price', 'unit_price'], ['单价', 'unit_price'], ['价格', 'unit_price'], ['商品单价', 'unit_price'],
      ['StockCode', 'product_id'], ['SKU', 'product_id'], ['Product ID', 'product_id'], ['Item ID', 'product_id'], ['商品编码', 'product_id'],
      ['商品ID', 'product_id'], ['货号', 'product_id'], ['SKU编码', 'product_id'],
      ['Description', 'product_name'], ['Product Name', 'product_name'], ['Item Name', 'product_name'], ['商品名称', 'product_name'],
      ['品名', 'product_name'], ['产品名称', 'product_name'],
      ['Category', 'category'], ['Product Category', 'category'], ['品类', 'category'], ['类目', 'category'], ['分类', 'category'], ['商品类别', 'category'],
      ['Channel', 'channel'], ['Source', 'channel'], ['Platform', 'channel'], ['渠道', 'channel'], ['平台', 'channel'], ['来源', 'channel'], ['销售渠道', 'channel'],
      ['Country', 'region'], ['Region', 'region'], ['State', 'region'], ['Province', 'region'], ['City', 'region'], ['地区', 'region'],
      ['省份', 'region'], ['区域', 'region'], ['城市', 'region'], ['国家', 'region'],
    ];
    for (const [header, role] of cases) {
      // A profile without samples: only the header speaks.
      const d = detectMapping([col(header, 'VARCHAR', [])]);
      expect({ header, mapping: d.mapping }).toEqual({ header, mapping: { [role]: header } });
      expect(d.reasons).toEqual({ [role]: 'header' });
    }
  });

  it('normalises case, separators, full-width forms, units in brackets and a stray BOM', () => {
    expect(normaliseHeader('Customer_ID')).toBe('customerid');
    expect(normaliseHeader('ＣｕｓｔｏｍｅｒＩＤ')).toBe('customerid');
    expect(normaliseHeader(' Invoice-No. ')).toBe('invoiceno');
    expect(normaliseHeader('客户 ID（会员）')).toBe('客户id会员');
    const d = detectMapping([
      col('\ufeffＣｕｓｔｏｍｅｒ　ＩＤ', 'VARCHAR', []),
      col('实付金额（元）', 'VARCHAR', []),
      col('Order Date (UTC)', 'VARCHAR', []),
      col('【渠道】', 'VARCHAR', []),
    ]);
    expect(d.mapping).toEqual({
      customer_id: '\ufeffＣｕｓｔｏｍｅｒ　ＩＤ',
      amount: '实付金额（元）',
      order_date: 'Order Date (UTC)',
      channel: '【渠道】',
    });
  });

  it('prefers what was paid (实付) over what was due (应付), in either column order', () => {
    const base = [col('订单号', 'VARCHAR', []), col('会员ID', 'VARCHAR', []), col('下单时间', 'TIMESTAMP', [])];
    const due = col('应付金额', 'DOUBLE', ['199.0', '88.0']);
    const paid = col('实付金额', 'DOUBLE', ['179.0', '88.0']);
    expect(detectMapping([...base, due, paid]).mapping.amount).toBe('实付金额');
    expect(detectMapping([...base, paid, due]).mapping.amount).toBe('实付金额');
    // Contained in longer headers, too.
    const d = detectMapping([...base, col('买家应付金额', 'DOUBLE', []), col('买家实付金额', 'DOUBLE', [])]);
    expect(d.mapping.amount).toBe('买家实付金额');
    // The leftover column stays an attribute.
    expect(Object.values(d.mapping)).not.toContain('买家应付金额');
  });

  it('exact matches beat contained ones; negative words keep look-alikes out', () => {
    const d = detectMapping([
      col('Customer Name', 'VARCHAR', []),
      col('Customer ID', 'VARCHAR', []),
      col('Ship Date', 'DATE', []),
      col('Order Date', 'DATE', []),
      col('Discount Amount', 'DOUBLE', []),
      col('Amount', 'DOUBLE', []),
      col('Order ID', 'VARCHAR', []),
      col('Tracking No', 'VARCHAR', []),
    ]);
    expect(d.mapping).toEqual({ customer_id: 'Customer ID', order_id: 'Order ID', order_date: 'Order Date', amount: 'Amount' });

    const zh = detectMapping([
      col('优惠金额', 'DOUBLE', []),
      col('运费', 'DOUBLE', []),
      col('发货时间', 'TIMESTAMP', []),
      col('物流单号', 'VARCHAR', []),
      col('客户类型', 'VARCHAR', []),
    ]);
    // No header matches; the ship date is the only date there is, so the value pass offers
    // it (flagged for confirmation) rather than leaving the file without a date.
    expect(zh.mapping).toEqual({ order_date: '发货时间' });
    expect(zh.reasons).toEqual({ order_date: 'values' });
    expect(zh.warnings).toEqual([MAPPING_WARNINGS.noCustomer, MAPPING_WARNINGS.noAmount, MAPPING_WARNINGS.guessedFromValues]);
  });

  it('a header contradicted by its values loses to one that fits', () => {
    // "Date" holding order numbers, "下单时间" holding real timestamps.
    const d = detectMapping([
      col('Date', 'VARCHAR', ['A-1001', 'A-1002', 'A-1003']),
      col('下单时间', 'VARCHAR', ['2023/01/05 10:21', '2023/01/06 11:02']),
    ]);
    expect(d.mapping.order_date).toBe('下单时间');
  });

  it('gives every column at most one role and every role one column', () => {
    const d = detectMapping([
      col('Total Price', 'DOUBLE', []), // amount, not unit price
      col('Price', 'DOUBLE', []),
      col('Qty', 'BIGINT', []),
      col('客户', 'VARCHAR', []),
      col('客户ID', 'VARCHAR', []),
      col('日期', 'DATE', []),
    ]);
    expect(d.mapping).toEqual({ customer_id: '客户ID', order_date: '日期', amount: 'Total Price', quantity: 'Qty', unit_price: 'Price' });
    const used = Object.values(d.mapping);
    expect(new Set(used).size).toBe(used.length);
  });

  it('warns when two columns claim a role about equally', () => {
    const d = detectMapping([
      col('订单号', 'VARCHAR', []),
      col('买家会员名', 'VARCHAR', []),
      col('订单创建时间', 'TIMESTAMP', []),
      col('订单付款时间', 'TIMESTAMP', []),
      col('买家实际支付金额', 'DOUBLE', []),
    ]);
    expect(d.mapping).toEqual({ customer_id: '买家会员名', order_id: '订单号', order_date: '订单创建时间', amount: '买家实际支付金额' });
    expect(d.warnings).toEqual([MAPPING_WARNINGS.ambiguousHeaders]);
  });

  it('keeps column names verbatim, however hostile', () => {
    const evil = '"; DROP TABLE x; --';
    const d = detectMapping([col('Customer ID', 'VARCHAR', []), col(evil, 'VARCHAR', ['a']), col('Amount', 'DOUBLE', [])]);
    expect(d.mapping).toEqual({ customer_id: 'Customer ID', amount: 'Amount' });
    expect(validateMapping({ ...d.mapping, order_date: evil }, ['Customer ID', evil, 'Amount']).ok).toBe(true);
  });
});

describe('detectMapping — values (generic headers)', () => {
  it('maps an order-level file without a header row (column0 …)', () => {
    const rows = 2_000;
    const profiles = [
      col('column0', 'BIGINT', ['100001', '100002', '100003', '100004', '100005'], { rows, distinct: 2_000 }),
      col('column1', 'VARCHAR', ['C0042', 'C0007', 'C0042', 'C0311', 'C0007'], { rows, distinct: 350 }),
      col('column2', 'DATE', ['2023-01-02', '2023-01-02', '2023-01-03']),
      col('column3', 'DOUBLE', ['35.5', '120.0', '9.99', '48.25'], { rows, distinct: 1_500 }),
      col('column4', 'VARCHAR', ['web', 'store', 'app', 'web'], { rows, distinct: 3 }),
    ];
    const d = detectMapping(profiles);
    expect(d.mapping).toEqual({ customer_id: 'column1', order_id: 'column0', order_date: 'column2', amount: 'column3' });
    expect(d.reasons).toEqual({ customer_id: 'values', order_id: 'values', order_date: 'values', amount: 'values' });
    expect(d.warnings).toContain(MAPPING_WARNINGS.guessedFromValues);
    expect(validateMapping(d.mapping, profiles.map((p) => p.name)).ok).toBe(true);
  });

  it('reads dates from text and amounts from decimal-comma text', () => {
    const rows = 300;
    const d = detectMapping([
      col('A', 'VARCHAR', ['x1', 'x2'], { rows, distinct: 2 }), // categorical
      col('B', 'VARCHAR', ['13/01/2023', '02/02/2023', '28/02/2023'], { rows, distinct: 120 }),
      col('C', 'VARCHAR', ['K-77', 'K-12', 'K-77', 'K-03'], { rows, distinct: 80 }),
      col('D', 'VARCHAR', ['1.234,50', '12,99', '7,00'], { rows, distinct: 250 }),
    ]);
    expect(d.mapping).toEqual({ customer_id: 'C', order_date: 'B', amount: 'D' });
    expect(d.warnings).toContain(MAPPING_WARNINGS.decimalComma);
    // No order id column was visible, so none is guessed.
    expect(d.mapping.order_id).toBeUndefined();
  });

  it('on the Online Retail file with generic headers: order = invoice, customer = the id with repeats below it', () => {
    const names = ['column0', 'column1', 'column2', 'column3', 'column4', 'column5', 'column6', 'column7'];
    const d = detectMapping(onlineRetail(names));
    expect(d.mapping.order_id).toBe('column0'); // 25,900 invoices
    expect(d.mapping.customer_id).toBe('column6'); // 4,372 customers; stock codes (4,070) rank below
    expect(d.mapping.order_date).toBe('column4'); // '12/1/2010 8:26' as text
    // Quantity is never guessed from values (small integers look like anything).
    expect(d.mapping.quantity).toBeUndefined();
  });

  it('a single id column: with repeats it is the customer', () => {
    const d = detectMapping([
      col('c0', 'VARCHAR', ['u1', 'u2', 'u1'], { distinct: 200 }),
      col('c1', 'TIMESTAMP', ['2024-03-01 10:00:00']),
      col('c2', 'DECIMAL(18,2)', ['19.90', '5.00']),
    ]);
    expect(d.mapping).toEqual({ customer_id: 'c0', order_date: 'c1', amount: 'c2' });
  });

  it('does not mistake integer-valued doubles, quantities, row numbers or yyyymmdd for amounts or ids', () => {
    const d = detectMapping([
      col('序号', 'BIGINT', ['1', '2', '3', '4'], { distinct: 1000 }), // row number
      col('f1', 'BIGINT', ['20230105', '20230107', '20230212'], { distinct: 300 }), // yyyymmdd
      col('f2', 'DOUBLE', ['17850.0', '13047.0', '17850.0'], { distinct: 400 }), // ids read as doubles
      col('f3', 'BIGINT', ['1', '12', '3', '24', '6'], { distinct: 30 }), // quantity
      col('f4', 'DOUBLE', ['12.5', '3.75', '99.0'], { distinct: 600 }),
    ]);
    expect(d.mapping).toEqual({ customer_id: 'f2', order_date: 'f1', amount: 'f4' });
  });

  it('fills only what headers left open', () => {
    // Headers name customer and amount; the date header is in German.
    const d = detectMapping([
      col('Customer ID', 'VARCHAR', ['A1', 'A2', 'A1'], { distinct: 100 }),
      col('Zeitpunkt', 'TIMESTAMP', ['2024-01-01 10:00:00']),
      col('Notiz', 'VARCHAR', ['n1', 'n2', 'n3'], { distinct: 1000 }),
      col('Amount', 'DOUBLE', ['1.5']),
    ]);
    expect(d.mapping).toEqual({ customer_id: 'Customer ID', order_date: 'Zeitpunkt', amount: 'Amount' });
    expect(d.reasons).toEqual({ customer_id: 'header', order_date: 'values', amount: 'header' });
  });

  it('does not guess an amount when quantity and unit price are mapped', () => {
    const d = detectMapping([
      col('Customer ID', 'VARCHAR', []),
      col('Date', 'DATE', []),
      col('Qty', 'BIGINT', ['1', '2']),
      col('Unit Price', 'DOUBLE', ['2.5']),
      col('Weight', 'DOUBLE', ['0.25', '1.5']),
    ]);
    expect(d.mapping.amount).toBeUndefined();
    expect(d.warnings).toEqual([MAPPING_WARNINGS.amountFromQuantityPrice]);
  });

  it('warns about an unknown date format and a non-numeric amount', () => {
    const d = detectMapping([
      col('Customer ID', 'VARCHAR', []),
      col('Order Date', 'VARCHAR', ['Tuesday the 5th', 'Friday the 8th']),
      col('Amount', 'VARCHAR', ['a lot', 'not much']),
    ]);
    expect(d.mapping).toMatchObject({ order_date: 'Order Date', amount: 'Amount' });
    expect(d.warnings).toContain(MAPPING_WARNINGS.dateFormatUnknown);
    expect(d.warnings).toContain(MAPPING_WARNINGS.notNumeric);
  });

  it('handles an empty file and all-null columns', () => {
    expect(detectMapping([])).toEqual({
      mapping: {},
      reasons: {},
      warnings: [MAPPING_WARNINGS.noCustomer, MAPPING_WARNINGS.noDate, MAPPING_WARNINGS.noAmount],
    });
    const d = detectMapping([col('c0', 'VARCHAR', [], { nonNull: 0, distinct: 0 }), col('c1', 'VARCHAR', [null, null], { nonNull: 0, distinct: 0 })]);
    expect(d.mapping).toEqual({});
  });
});

describe('validateMapping', () => {
  const names = ['cid', 'oid', 'dt', 'amt', 'qty', 'price'];

  it('accepts amount, or quantity with unit price', () => {
    expect(validateMapping({ customer_id: 'cid', order_date: 'dt', amount: 'amt' }, names)).toEqual({ ok: true, errors: [] });
    expect(validateMapping({ customer_id: 'cid', order_date: 'dt', quantity: 'qty', unit_price: 'price' }, names)).toEqual({ ok: true, errors: [] });
  });

  it('requires a customer id and a date', () => {
    const r = validateMapping({ amount: 'amt' }, names);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      { role: 'customer_id', key: MAPPING_ERRORS.noCustomer },
      { role: 'order_date', key: MAPPING_ERRORS.noDate },
    ]);
  });

  it('asks for the missing half of quantity × unit price, or for an amount', () => {
    expect(validateMapping({ customer_id: 'cid', order_date: 'dt', quantity: 'qty' }, names).errors).toEqual([
      { role: 'unit_price', key: MAPPING_ERRORS.needsUnitPrice },
    ]);
    expect(validateMapping({ customer_id: 'cid', order_date: 'dt', unit_price: 'price' }, names).errors).toEqual([
      { role: 'quantity', key: MAPPING_ERRORS.needsQuantity },
    ]);
    expect(validateMapping({ customer_id: 'cid', order_date: 'dt' }, names).errors).toEqual([
      { role: 'amount', key: MAPPING_ERRORS.noAmount },
    ]);
  });

  it('reports columns that do not exist and columns used twice', () => {
    const r = validateMapping({ customer_id: 'cid', order_id: 'cid', order_date: 'when', amount: 'amt' }, names);
    expect(r.errors).toEqual([
      { role: 'order_id', key: MAPPING_ERRORS.duplicateColumn, params: { column: 'cid', other: 'customer_id' } },
      { role: 'order_date', key: MAPPING_ERRORS.columnMissing, params: { column: 'when' } },
    ]);
  });

  it('treats empty strings as unmapped and flags unknown roles', () => {
    const r = validateMapping({ customer_id: '', order_date: 'dt', amount: 'amt', shoe_size: 'qty' } as never, names);
    expect(r.errors).toEqual([
      { role: null, key: MAPPING_ERRORS.unknownRole, params: { role: 'shoe_size' } },
      { role: 'customer_id', key: MAPPING_ERRORS.noCustomer },
    ]);
  });

  it('column names are case-sensitive, as the file gives them', () => {
    expect(validateMapping({ customer_id: 'CID', order_date: 'dt', amount: 'amt' }, names).errors).toEqual([
      { role: 'customer_id', key: MAPPING_ERRORS.columnMissing, params: { column: 'CID' } },
    ]);
  });

  it('knows every role', () => {
    const all = Object.fromEntries(ROLES.map((r, i) => [r, `c${i}`]));
    expect(validateMapping(all, ROLES.map((_, i) => `c${i}`))).toEqual({ ok: true, errors: [] });
  });
});

describe('suggestDateFormat', () => {
  // Each case: samples, the expected format, and the first sample's date written by hand.
  const cases: [string[], string, string][] = [
    [['2023-01-05 10:21:33', '2023-12-31 23:59:59'], '%Y-%m-%d %H:%M:%S', '2023-01-05 10:21:33'],
    [['2023-01-05', '2023-12-31'], '%Y-%m-%d', '2023-01-05 00:00:00'],
    [['12/1/2010 8:26', '12/1/2010 8:28', '1/4/2011 10:00'], '%m/%d/%Y %H:%M', '2010-12-01 08:26:00'],
    [['01/02/2023', '13/02/2023', '28/02/2023'], '%d/%m/%Y', '2023-02-01 00:00:00'], // 13 and 28 can only be days
    [['01/02/2023', '02/13/2023'], '%m/%d/%Y', '2023-01-02 00:00:00'], // 13 can only be a day
    [['01/02/2023', '03/04/2023'], '%m/%d/%Y', '2023-01-02 00:00:00'], // undecidable: slashes read month-first
    [['2023/01/05', '2023/11/30'], '%Y/%m/%d', '2023-01-05 00:00:00'],
    [['2023/1/5 9:05', '2023/11/30 18:00'], '%Y/%m/%d %H:%M', '2023-01-05 09:05:00'],
    [['2023年1月5日', '2023年12月31日'], '%Y年%m月%d日', '2023-01-05 00:00:00'],
    [['2023年01月05日 10:21:33'], '%Y年%m月%d日 %H:%M:%S', '2023-01-05 10:21:33'],
    [['20230105', '20231231'], '%Y%m%d', '2023-01-05 00:00:00'],
    [['05.01.2023', '31.12.2023'], '%d.%m.%Y', '2023-01-05 00:00:00'],
    [['05-01-2023', '31-12-2023'], '%d-%m-%Y', '2023-01-05 00:00:00'],
    [['2023-01-05T10:21:33Z', '2023-01-06T00:00:00Z'], '%Y-%m-%dT%H:%M:%SZ', '2023-01-05 10:21:33'],
    [['2023-01-05T10:21:33.120Z'], '%Y-%m-%dT%H:%M:%S.%fZ', '2023-01-05 10:21:33.12'],
    [['1/2/23 9:05 PM', '12/31/23 11:59 AM'], '%m/%d/%y %I:%M %p', '2023-01-02 21:05:00'],
    [['05-Jan-2023', '31-Dec-2023'], '%d-%b-%Y', '2023-01-05 00:00:00'],
  ];

  it.each(cases)('%j → %s', (samples, format) => {
    expect(suggestDateFormat(samples)).toBe(format);
  });

  it('accepts a format that parses 95 % of the samples and rejects one below', () => {
    const good = Array.from({ length: 19 }, (_, i) => `2023-01-${String(i + 1).padStart(2, '0')}`);
    expect(suggestDateFormat([...good, 'n/a'])).toBe('%Y-%m-%d'); // 19 of 20
    expect(suggestDateFormat([...good.slice(0, 18), 'n/a', '??'])).toBeNull(); // 18 of 20
  });

  it('ignores empty samples; null when nothing fits', () => {
    expect(suggestDateFormat(['', '  ', '2024-02-29'])).toBe('%Y-%m-%d');
    expect(suggestDateFormat([null, '2024-02-29'])).toBe('%Y-%m-%d'); // ColumnProfile.samples as they come
    expect(suggestDateFormat([])).toBeNull();
    expect(suggestDateFormat(['hello', 'world'])).toBeNull();
    expect(suggestDateFormat(['2023-02-30'])).toBeNull(); // no such day
    expect(suggestDateFormat(['12345678'])).toBeNull(); // year 1234, month 56
    expect(suggestDateFormat(['2023-01-05', '05/01/2023'])).toBeNull(); // mixed formats, 50 % each
  });

  describe('the formats are ones DuckDB-WASM parses to the same dates', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openTestDatabase();
    }, 60_000); // wasm start-up on a busy machine outlasts the 10 s default hook timeout

    it('every suggested format parses every sample in DuckDB, first sample to the hand-written date', async () => {
      for (const [samples, format, firstAsIso] of cases) {
        const values = samples.map((s) => `('${s}')`).join(', ');
        const rows = await db.rows<{ v: string | null }>(
          `SELECT CAST(try_strptime(s, '${format}') AS VARCHAR) AS v FROM (VALUES ${values}) t(s)`,
        );
        expect({ format, parsed: rows.every((r) => r.v !== null) }).toEqual({ format, parsed: true });
        expect(rows[0].v).toBe(firstAsIso);
      }
    });
  });
});

describe('detectDecimalComma', () => {
  it('sees decimal commas', () => {
    expect(detectDecimalComma(['1.234,56', '12,5', '7,00'])).toBe(true);
    expect(detectDecimalComma(['12,5'])).toBe(true);
    expect(detectDecimalComma([null, '12,5', ''])).toBe(true);
    expect(detectDecimalComma(['0,123'])).toBe(true);
    expect(detectDecimalComma(['1 234,56', '€ 3,20'])).toBe(true);
    expect(detectDecimalComma(['1.234.567'])).toBe(true); // dots group thousands
  });

  it('sees decimal points and ambiguity', () => {
    expect(detectDecimalComma(['1,234.56', '12.5'])).toBe(false);
    expect(detectDecimalComma(['12.5', '3'])).toBe(false);
    expect(detectDecimalComma(['1,234', '5,678'])).toBe(false); // thousands or decimals: undecided
    expect(detectDecimalComma(['1,234,567'])).toBe(false);
    expect(detectDecimalComma(['12', '13'])).toBe(false);
    expect(detectDecimalComma(['a,b', 'Smith, John'])).toBe(false);
    expect(detectDecimalComma([])).toBe(false);
  });
});
