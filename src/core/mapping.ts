// Column-role detection: which column of an imported file is the customer, the order, the
// date, the amount … Pure TypeScript (no DOM, no Node APIs): it runs in the engine worker,
// in Node tests and in the UI. Input is a per-column profile the engine computes with DuckDB
// (sniffed type, counts, a few sample values as text); output is a suggestion the user can
// correct, plus message keys for what the user should look at.
//
// Detection works in two passes:
//
// 1. Headers. Each header is normalised (NFKC — which folds full-width letters, digits and
//    punctuation to ASCII — lower-case, separators and brackets removed) in two forms: with
//    and without bracketed text ("金额（元）" -> "金额元" and "金额"; "Amount (USD)" ->
//    "amountusd" and "amount"). Each form is compared with English and Chinese synonym lists:
//    an exact match scores the synonym's weight (100 = unmistakable … 60 = weak); a synonym
//    contained in a longer header scores at most 0.75 × its weight, less the more extra text
//    the header carries, and much less when the header also names something the role is not
//    ("优惠金额" is a discount, "Ship Date" is not the order date). Short or generic synonyms
//    ("state", "sales", "total", "订单") only count as exact matches. A header whose values
//    contradict the role (a "Date" column of numbers, an "Amount" column of words) keeps
//    half its score. Then (column, role) pairs are assigned greedily by score, so each column
//    takes at most one role and each role one column; ties go to the left-most column.
//
// 2. Values, only for what the headers left open (files with generic headers such as
//    column0, column1 … or headers in another language), over the still-unassigned columns:
//    * order date: a DATE/TIMESTAMP column, else a text column whose samples parse with one
//      strptime format (suggestDateFormat), else an integer column of yyyymmdd values;
//      the left-most of the best kind wins.
//    * amount: a numeric column that shows money-like decimals (some non-zero fraction, or
//      always two decimals); the largest mean absolute value wins (a line amount is at least
//      its unit price). Not guessed when quantity and unit price are mapped: the SQL then
//      computes amount = quantity × unit price.
//    * ids: "id-like" columns are text without spaces (≤ 64 characters) or non-negative
//      integers of a consistent width (≥ 3 digits), neither dates nor decimals, and not
//      categorical (more distinct values than max(2, min(50, 2 % of rows))). When neither
//      customer nor order was found by header, the highest-cardinality id-like column is the
//      order id (several lines share an order, but a customer has several orders) and the
//      next one *with repeats* is the customer id; a lone id column with repeats is the
//      customer, a lone unique one the order. When a header already named the customer, an
//      order id is not guessed from values (the other columns are then meaningful attributes).
//    Quantity, unit price, product, category, channel and region are never guessed from
//    values: small integers, prices and short labels look alike in every file. Anything
//    mapped from values raises the 'mapping.warn.guessedFromValues' warning so the UI asks
//    the user to confirm.

export const ROLES = [
  'customer_id',
  'order_id',
  'order_date',
  'amount',
  'quantity',
  'unit_price',
  'product_id',
  'product_name',
  'category',
  'channel',
  'region',
] as const;
export type Role = (typeof ROLES)[number];
/** role -> column name */
export type ColumnMapping = Partial<Record<Role, string>>;

export interface ColumnProfile {
  name: string;
  /** DuckDB type name as sniffed, e.g. VARCHAR, BIGINT, DOUBLE, DECIMAL(18,2), DATE, TIMESTAMP */
  type: string;
  /** up to ~50 non-null values as text */
  samples: (string | null)[];
  distinct: number;
  nonNull: number;
  rows: number;
}

export interface MappingDetection {
  mapping: ColumnMapping;
  reasons: Partial<Record<Role, 'header' | 'values'>>;
  /** message keys, see MAPPING_WARNINGS */
  warnings: string[];
}

export interface MappingError {
  role: Role | null;
  key: string;
  params?: Record<string, string>;
}

/** Message keys detectMapping can return (for the i18n tables). */
export const MAPPING_WARNINGS = {
  /** no customer id column was recognised */
  noCustomer: 'mapping.warn.noCustomer',
  /** no order date column was recognised */
  noDate: 'mapping.warn.noDate',
  /** neither an amount nor quantity + unit price */
  noAmount: 'mapping.warn.noAmount',
  /** informational: amount will be computed as quantity × unit price */
  amountFromQuantityPrice: 'mapping.warn.amountFromQuantityPrice',
  /** at least one role was guessed from values, not headers: please confirm */
  guessedFromValues: 'mapping.warn.guessedFromValues',
  /** two columns had nearly the same claim on a role; the better one was taken */
  ambiguousHeaders: 'mapping.warn.ambiguousHeaders',
  /** the date column is text in a format no known pattern parses: set the date format */
  dateFormatUnknown: 'mapping.warn.dateFormatUnknown',
  /** a numeric column is text with decimal commas (1.234,56): set the decimal separator */
  decimalComma: 'mapping.warn.decimalComma',
  /** a column mapped to amount / quantity / unit price is mostly not numbers */
  notNumeric: 'mapping.warn.notNumeric',
} as const;

/** Message keys validateMapping can return (for the i18n tables). */
export const MAPPING_ERRORS = {
  /** params: column — the mapped column is not in the file */
  columnMissing: 'mapping.error.columnMissing',
  /** params: column, other (the role that already uses it) */
  duplicateColumn: 'mapping.error.duplicateColumn',
  /** params: role — e.g. from an old or hand-edited config */
  unknownRole: 'mapping.error.unknownRole',
  noCustomer: 'mapping.error.noCustomer',
  noDate: 'mapping.error.noDate',
  /** neither amount nor quantity and unit price */
  noAmount: 'mapping.error.noAmount',
  /** quantity is mapped without amount: unit price is needed too */
  needsUnitPrice: 'mapping.error.needsUnitPrice',
  /** unit price is mapped without amount: quantity is needed too */
  needsQuantity: 'mapping.error.needsQuantity',
} as const;

// ---------------------------------------------------------------------------------------
// Header normalisation and synonyms

// Separators and brackets (ASCII forms: NFKC has already folded the full-width ones),
// plus CJK brackets and punctuation NFKC leaves alone.
const STRIP = /[\s_\-.·・,、;:!?'"`~|/\\#*+=&%$¥€£()[\]{}<>【】〔〕「」『』《》〈〉“”‘’。]/gu;
const BRACKETED = /\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|【[^】]*】|〔[^〕]*〕|《[^》]*》|<[^>]*>/gu;

/** The form headers and synonyms are compared in: NFKC, lower case, no separators. */
export function normaliseHeader(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(STRIP, '');
}

/** Normalised forms of a header: as a whole, and without bracketed units ("金额（元）"). */
function headerForms(header: string): string[] {
  const nfkc = header.normalize('NFKC').toLowerCase();
  const full = nfkc.replace(STRIP, '');
  const base = nfkc.replace(BRACKETED, '').replace(STRIP, '');
  return base && base !== full ? [full, base] : [full];
}

interface Synonym {
  text: string;
  weight: number;
  exactOnly: boolean;
}

// Weight groups per role. A leading '=' marks a synonym that only counts as an exact match
// (too short or too generic to be looked for inside longer headers).
const SYNONYM_SPEC: Record<Role, [number, string[]][]> = {
  customer_id: [
    [100, ['CustomerID', 'Customer ID', 'customer_id', 'cust_id', 'Customer No', 'Customer Number', 'Customer Code', 'Customer Key', 'client id', 'member id', 'user id', 'buyer id',
      '客户ID', '客户编号', '客户号', '客户编码', '客户代码', '会员编号', '会员ID', '会员号', '会员卡号', '用户ID', '用户编号', '买家ID', '顾客ID', '顾客编号']],
    [90, ['=customer', '=client', '=member', '=buyer', '=user', 'contact id', 'account id', 'shopper id', 'userid', '=uid',
      '买家昵称', '买家会员名', '买家账号', '会员账号', '用户账号', '会员卡', '客户账号', '下单账号', '买家帐号', '会员帐号', '用户帐号', '客户帐号', '下单帐号', '=账号', '=帐号', '=客户', '=会员', '=顾客', '=买家', '=用户']],
    [75, ['customer', 'client', 'member', 'buyer', '客户', '会员', '顾客', '买家']],
    [70, ['customer name', 'client name', 'member name', 'user name', 'username', 'buyer name', '=email', '=e-mail', 'customer email',
      '客户名称', '客户姓名', '会员名称', '会员姓名', '顾客姓名', '用户名', '买家姓名', '=手机号', '=手机号码', '会员手机号']],
  ],
  order_id: [
    [100, ['InvoiceNo', 'Invoice No', 'Invoice Number', 'Invoice ID', 'Order ID', 'order_no', 'Order Number', 'Order Num', 'Order Code', 'transaction id', 'transaction no', 'txn id',
      '订单号', '订单编号', '订单ID', '交易号', '交易单号', '交易编号', '流水号', '主订单号', '主订单编号', '订单编码', '单据编号', '单据号', '小票号']],
    [95, ['=Invoice', '=Order', '=单号', '=订单', 'receipt no', 'receipt id', 'bill no', 'basket id', 'ticket id', '=tid', 'sales order', '销售单号', '子订单号', '子订单编号']],
    [80, ['invoice', '订单']],
    [70, ['=transaction', '=receipt', '=basket', '=ticket', '=交易']],
  ],
  order_date: [
    [100, ['InvoiceDate', 'Invoice Date', 'order date', 'purchase date', 'transaction date', 'order time', 'order datetime', 'order timestamp', 'purchase time', 'txn date',
      '下单时间', '下单日期', '订单日期', '订单时间', '交易时间', '交易日期', '购买日期', '购买时间', '订单创建时间', '成交时间', '成交日期', '消费时间', '消费日期']],
    [95, ['=date', 'created_at', 'create time', 'created time', 'created date', 'sale date', 'sales date', 'payment date', 'payment time', 'paid at', 'pay time', 'paid time', 'checkout time',
      '付款时间', '付款日期', '支付时间', '支付日期', '订单付款时间', '创建时间', '创建日期', '=日期', '销售日期', '销售时间']],
    [80, ['date', '日期']],
    [75, ['=datetime', '=timestamp', '=time', '=created', '时间', 'transaction time', 'invoice time', 'order created']],
  ],
  amount: [
    [100, ['实付金额', '实收金额', '实付款', '实付', '实收', '实际支付金额', '买家实际支付金额', '实际付款金额', '实付款金额', 'amount paid', 'paid amount', 'net amount', 'net sales', 'net revenue']],
    [98, ['支付金额', '付款金额', '成交金额', '消费金额', 'payment amount', 'Amount', 'Sales Amount', 'Revenue', 'order amount', 'Line Amount', 'Line Total', 'total amount', 'Total Price', 'order total', 'order value', 'payment value', 'purchase amount', 'purchase value', 'transaction value', 'sales value', 'Total Sales', 'gross sales']],
    [94, ['=Sales', '=total', '=payment', '=paid', '=value', '=spend', '=monetary', '=gmv', '=amt', 'subtotal', 'grand total', 'item total', 'sale amount', 'transaction amount', 'turnover',
      '金额', '订单金额', '销售额', '销售金额', '营业额', '总金额', '总价', '=合计', '=小计', '交易金额', '商品金额', '商品总价', '订单总额']],
    [78, ['应付金额', '应收金额', '应付', '应收', '应付总额', '订单应付金额', 'amount due', 'list amount']],
  ],
  quantity: [
    [100, ['Quantity', 'qty', 'units', 'Quantity Ordered', 'order quantity', 'units sold', 'item quantity', 'item count', 'number of items',
      '数量', '购买数量', '件数', '商品数量', '销售数量', '购买件数', '商品件数', '宝贝数量', '订购数量']],
    [85, ['=pcs', '=pieces', '=items', '=count', '=volume', '=销量', '=个数', '=份数', '=qnty']],
  ],
  unit_price: [
    [100, ['UnitPrice', 'Unit Price', 'price each', 'item price', 'selling price', 'sale price', 'sales price', 'unit cost price', 'price per unit',
      '单价', '商品单价', '成交单价', '销售单价', '成交价', '售价', '实际单价', '购买单价']],
    [95, ['=Price', '=价格', '商品价格', '销售价格', '产品价格', '产品单价']],
    [80, ['price', '价格']],
    [70, ['list price', '=msrp', '原价', '标价', '吊牌价', '商品原价', '市场价']],
  ],
  product_id: [
    [100, ['StockCode', 'Stock Code', 'SKU', 'sku id', 'sku code', 'product id', 'product code', 'product no', 'item id', 'item code', 'item no', 'item number', 'article no', 'article number', 'goods id', 'material no',
      '商品编码', '商品ID', '商品编号', '商品代码', '货号', 'SKU编码', 'SKU编号', '产品编码', '产品编号', '产品ID', '宝贝ID', '款号', '物料编码', '商家编码']],
    [80, ['=barcode', '=ean', '=upc', '=asin', '=article', '条码', '商品条码', '条形码']],
  ],
  product_name: [
    [100, ['product name', 'item name', 'goods name', 'product description', 'item description', 'product title', '商品名称', '品名', '产品名称', '商品标题', '宝贝标题', '宝贝名称', '货品名称', '商品名']],
    [90, ['=Description', '=product', '=item', '=商品', '=产品', '=宝贝', '=title', '=goods', '=article name']],
  ],
  category: [
    [100, ['category', 'product category', 'item category', 'category name', 'product type', 'product line', 'product group', 'product family',
      '品类', '类目', '分类', '商品类别', '类别', '商品分类', '产品类别', '产品分类', '商品品类', '品类名称', '类目名称', '一级类目', '一级分类']],
    [85, ['=department', '=dept', '=cat', '=class', '=type', 'sub category', 'subcategory', '二级类目', '二级分类', '=大类', '=小类']],
  ],
  channel: [
    [100, ['channel', 'sales channel', 'order channel', 'purchase channel', 'platform', 'sales platform', 'order source',
      '渠道', '平台', '来源', '销售渠道', '订单来源', '下单渠道', '购买渠道', '渠道名称', '销售平台', '来源渠道', '终端']],
    [85, ['=source', 'traffic source', 'utm source', '=medium', '=store', '=shop', '=outlet', 'store type', '店铺', '店铺名称', '门店', '=门店名称', '=终端类型']],
  ],
  region: [
    [100, ['Region', 'region name', 'sales region', '地区', '区域', '所在地区', '大区', '销售区域']],
    [98, ['Country', 'country name', 'shipping country', 'billing country', '国家', '国家地区']],
    [96, ['province', 'state', 'state province', 'state name', 'ship state', '省份', '=省', '收货省份', '所在省份', '省份名称', '省市']],
    [88, ['city', 'ship city', 'billing city', '城市', '=市', '收货城市', '所在城市', '=area', '=territory', '=zone', '=market', '=district', '=区县']],
  ],
};

// Words that, inside a header, say it is *not* the role (checked on contains-matches only).
const DATE_WORDS = ['date', 'time', 'day', 'month', 'year', '日期', '时间', '日', '月', '年'];
const NEGATIVE_SPEC: Record<Role, string[]> = {
  customer_id: [...DATE_WORDS, 'type', 'level', 'tier', 'segment', 'group', 'tag', 'status', 'country', 'city', 'region', 'province', 'address', 'age', 'gender', 'birth', 'count', 'since', 'agent', 'device', 'service', 'manager', 'rep',
    '类型', '等级', '级别', '分组', '标签', '状态', '地址', '年龄', '性别', '生日', '数', '省', '市', '国家', '地区', '来源', '渠道'],
  order_id: [...DATE_WORDS, 'amount', 'total', 'status', 'type', 'count', 'qty', 'line', 'item', 'tracking', 'shipment', 'shipping', 'refund', 'return', 'channel', 'source', 'priority', 'note', 'comment', 'method', 'payment', 'currency', 'discount', 'weight',
    '金额', '状态', '类型', '数量', '物流', '快递', '运单', '退款', '退货', '发票', '行号', '来源', '渠道', '备注'],
  order_date: ['ship', 'deliver', 'dispatch', 'refund', 'return', 'birth', 'register', 'registration', 'signup', 'join', 'first', 'last', 'update', 'modified', 'expire', 'due',
    '发货', '签收', '收货', '退款', '退货', '生日', '出生', '注册', '入会', '首次', '最近', '最后', '更新', '修改', '到期', '确认'],
  amount: ['discount', 'refund', 'shipping', 'freight', 'postage', 'tax', 'cost', 'balance', 'commission', 'points', 'coupon', 'unit', 'each', 'qty', 'quantity', 'count', 'number', 'currency', 'id',
    '优惠', '折扣', '退款', '运费', '邮费', '税', '成本', '积分', '余额', '佣金', '原价', '单价', '券', '数量', '币种', '件数', '编号'],
  quantity: ['stock', 'inventory', 'return', 'refund', 'price', 'amount', '库存', '退货', '退款', '单价', '金额'],
  unit_price: ['total', 'amount', 'sum', 'qty', 'quantity', '总', '金额', '数量', '合计'],
  product_id: ['name', 'description', 'category', 'type', 'price', 'qty', '名称', '类别', '分类', '单价', '数量'],
  product_name: ['id', 'code', 'no', 'number', 'sku', 'category', 'type', 'price', 'qty', '编码', '编号', '类别', '分类', '单价', '数量'],
  category: ['id', 'code', '编码', '编号'],
  channel: ['id', 'code', '编码', '编号'],
  region: ['id', 'code', 'manager', 'order', 'status', 'payment', 'mode', 'statement', '编码', '编号', '经理', '状态'],
};

function compileSynonyms(spec: [number, string[]][]): Synonym[] {
  const out: Synonym[] = [];
  for (const [weight, texts] of spec) {
    for (const raw of texts) {
      const exactOnly = raw.startsWith('=');
      const text = normaliseHeader(exactOnly ? raw.slice(1) : raw);
      if (text) out.push({ text, weight, exactOnly });
    }
  }
  return out;
}

const SYNONYMS = Object.fromEntries(ROLES.map((r) => [r, compileSynonyms(SYNONYM_SPEC[r])])) as Record<Role, Synonym[]>;
const NEGATIVES = Object.fromEntries(ROLES.map((r) => [r, NEGATIVE_SPEC[r].map(normaliseHeader)])) as Record<Role, string[]>;

// Row numbers and unnamed index columns are never a role, whatever their values look like.
const ROW_INDEX_HEADERS = new Set(['id', 'no', 'nr', 'num', 'number', 'index', 'idx', 'row', 'rowid', 'rownumber', 'rowno', 'unnamed0', 'serial', 'sn', 'seq', '序号', '行号', '编号', '序列号']);

const MIN_HEADER_SCORE = 35;
const KEY_ROLES: readonly Role[] = ['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'unit_price'];
const AMBIGUITY_MARGIN = 8;

const length = (s: string) => [...s].length;

/** 0 when nothing matches; the synonym weight on an exact match; less on a contained match. */
function headerScore(header: string, role: Role): number {
  let best = 0;
  for (const form of headerForms(header)) {
    if (!form) continue;
    for (const syn of SYNONYMS[role]) {
      let score = 0;
      if (form === syn.text) score = syn.weight;
      else if (!syn.exactOnly && form.includes(syn.text)) {
        score = syn.weight * (0.45 + (0.3 * length(syn.text)) / length(form));
        const rest = form.replace(syn.text, '');
        if (NEGATIVES[role].some((neg) => rest.includes(neg))) score *= 0.3;
      }
      if (score > best) best = score;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Value profiling

const DATE_TYPE = /^(date|timestamp|datetime|timestamptz|timestamp with time zone|timestamp_(s|ms|ns|us)?)\b/i;
const INTEGER_TYPE = /^(tinyint|smallint|integer|int|int2|int4|int8|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|long|short)\b/i;
const FLOAT_TYPE = /^(float|float4|float8|real|double|numeric|decimal)\b/i;

const isDateType = (type: string) => DATE_TYPE.test(type.trim());
const isIntegerType = (type: string) => INTEGER_TYPE.test(type.trim());
const isNumericType = (type: string) => isIntegerType(type) || FLOAT_TYPE.test(type.trim());

/** Trimmed, without nulls and blanks (samples may come straight from ColumnProfile.samples). */
const nonEmpty = (samples: readonly (string | null | undefined)[]): string[] =>
  samples.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim());

/** Without currency signs, spaces (also thin/no-break ones used as thousands separators) and apostrophes. */
function cleanNumberText(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u00a0\u202f'’¥$€£₩₹元]|RMB|CNY|USD|EUR|GBP/giu, '');
}
const NUMBER_TEXT = /^[-+]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][-+]?\d+)?$/;

/** Digits after the decimal separator: '' for integers, null for non-numbers. */
function fractionOf(sample: string, typedNumeric: boolean): string | null {
  const t = cleanNumberText(sample);
  if (!NUMBER_TEXT.test(t)) return null;
  if (typedNumeric) {
    // DuckDB's own rendering: '.' is the decimal point, no grouping.
    const m = /\.(\d+)/.exec(t);
    return m ? m[1] : '';
  }
  // "1,234" and "1.234" are a thousands group in one locale and decimals in another.
  if (/^[-+]?\d{1,3}(?:[.,]\d{3})+$/.test(t)) return '';
  const m = /[.,](\d+)(?:[eE][-+]?\d+)?$/.exec(t);
  return m ? m[1] : '';
}

function numberValue(sample: string, typedNumeric: boolean): number {
  let t = cleanNumberText(sample);
  if (typedNumeric) return Number(t);
  const lastSep = Math.max(t.lastIndexOf('.'), t.lastIndexOf(','));
  if (lastSep >= 0 && fractionOf(sample, false) !== '') {
    t = t.slice(0, lastSep).replace(/[.,]/g, '') + '.' + t.slice(lastSep + 1);
  } else t = t.replace(/[.,]/g, '');
  return Number(t);
}

interface ValueProfile {
  col: ColumnProfile;
  index: number;
  values: string[];
  numericShare: number;
  fractions: string[]; // for the numeric samples
  dateFormat: string | null;
}

function profileValues(col: ColumnProfile, index: number): ValueProfile {
  const values = nonEmpty(col.samples ?? []);
  const typed = isNumericType(col.type);
  const fractions: string[] = [];
  for (const v of values) {
    const f = fractionOf(v, typed);
    if (f !== null) fractions.push(f);
  }
  return {
    col,
    index,
    values,
    numericShare: values.length ? fractions.length / values.length : 0,
    fractions,
    dateFormat: isDateType(col.type) || !values.length ? null : suggestDateFormat(values),
  };
}

const isNumericColumn = (p: ValueProfile) => isNumericType(p.col.type) || (p.values.length > 0 && p.numericShare >= 0.9);
const isDateLike = (p: ValueProfile) => isDateType(p.col.type) || p.dateFormat !== null;

function hasMoneyDecimals(p: ValueProfile): boolean {
  if (!isNumericColumn(p) || isDateLike(p) || p.fractions.length === 0) return false;
  if (isIntegerType(p.col.type)) return false;
  return p.fractions.some((f) => /[1-9]/.test(f)) || p.fractions.every((f) => f.length === 2);
}

function isIntegerValued(p: ValueProfile): boolean {
  return isNumericColumn(p) && p.fractions.length > 0 && p.fractions.every((f) => /^0*$/.test(f));
}

function isCategorical(col: ColumnProfile): boolean {
  const n = col.nonNull || col.rows;
  return col.distinct <= Math.max(2, Math.min(50, n * 0.02));
}

function isIdLike(p: ValueProfile): boolean {
  if (p.values.length === 0 || isDateLike(p) || isCategorical(p.col)) return false;
  if (isNumericColumn(p)) {
    if (!isIntegerValued(p)) return false;
    if (p.values.some((v) => v.startsWith('-'))) return false;
    // Ids have a consistent width; quantities and counts do not.
    const widths = new Map<number, number>();
    for (const v of p.values) {
      const w = cleanNumberText(v).replace(/[.,]0*$/, '').length;
      widths.set(w, (widths.get(w) ?? 0) + 1);
    }
    let modal = 0;
    let modalCount = 0;
    for (const [w, c] of widths) if (c > modalCount) [modal, modalCount] = [w, c];
    return modal >= 3 && modalCount >= 0.8 * p.values.length;
  }
  const compact = p.values.filter((v) => length(v) <= 64 && !/\s/u.test(v)).length;
  return compact >= 0.9 * p.values.length;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Multiplier on a header score when the values contradict the role. */
function valueFit(p: ValueProfile, role: Role): number {
  if (p.values.length === 0) return p.col.nonNull === 0 && p.col.rows > 0 ? 0.8 : 1;
  switch (role) {
    case 'order_date':
      return isDateLike(p) ? 1 : 0.5;
    case 'amount':
    case 'quantity':
    case 'unit_price':
      return isNumericColumn(p) || p.numericShare >= 0.8 ? 1 : 0.5;
    default:
      return isDateType(p.col.type) ? 0.3 : 1;
  }
}

// ---------------------------------------------------------------------------------------
// Detection

export function detectMapping(columns: ColumnProfile[]): MappingDetection {
  const mapping: ColumnMapping = {};
  const reasons: Partial<Record<Role, 'header' | 'values'>> = {};
  const warnings: string[] = [];
  const warn = (key: string) => {
    if (!warnings.includes(key)) warnings.push(key);
  };
  const profiles = columns.map(profileValues);
  const taken = new Set<number>();

  // Pass 1: headers, greedy by score.
  const candidates: { score: number; index: number; role: Role; r: number }[] = [];
  profiles.forEach((p, index) => {
    ROLES.forEach((role, r) => {
      const raw = headerScore(p.col.name, role);
      if (raw <= 0) return;
      const score = raw * valueFit(p, role);
      if (score >= MIN_HEADER_SCORE) candidates.push({ score, index, role, r });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index || a.r - b.r);
  const winningScore: Partial<Record<Role, number>> = {};
  for (const c of candidates) {
    if (mapping[c.role] !== undefined || taken.has(c.index)) continue;
    mapping[c.role] = columns[c.index].name;
    reasons[c.role] = 'header';
    winningScore[c.role] = c.score;
    taken.add(c.index);
  }
  // A close runner-up that did not get another role: the user should have a look. Only for
  // the roles every analysis rests on (country vs region, say, is a matter of taste).
  for (const c of candidates) {
    if (!KEY_ROLES.includes(c.role)) continue;
    const won = winningScore[c.role];
    if (won === undefined || mapping[c.role] === columns[c.index].name) continue;
    if (!Object.values(mapping).includes(columns[c.index].name) && won - c.score < AMBIGUITY_MARGIN) warn(MAPPING_WARNINGS.ambiguousHeaders);
  }

  // Pass 2: values, for what the headers left open.
  const free = () =>
    profiles.filter((p) => !taken.has(p.index) && !ROW_INDEX_HEADERS.has(normaliseHeader(p.col.name)));
  const assign = (role: Role, p: ValueProfile) => {
    mapping[role] = p.col.name;
    reasons[role] = 'values';
    taken.add(p.index);
  };

  if (mapping.order_date === undefined) {
    const tier = (p: ValueProfile) =>
      isDateType(p.col.type) ? 3 : p.dateFormat === null ? 0 : isNumericType(p.col.type) ? 1 : 2;
    const dates = free()
      .filter((p) => tier(p) > 0)
      .sort((a, b) => tier(b) - tier(a) || a.index - b.index);
    if (dates.length) assign('order_date', dates[0]);
  }

  if (mapping.amount === undefined && !(mapping.quantity !== undefined && mapping.unit_price !== undefined)) {
    const typed = (p: ValueProfile) => isNumericType(p.col.type);
    const money = free()
      .filter(hasMoneyDecimals)
      .map((p) => ({ p, size: mean(p.values.map((v) => Math.abs(numberValue(v, typed(p)))).filter(Number.isFinite)) }))
      .sort((a, b) => b.size - a.size || a.p.index - b.p.index);
    if (money.length) assign('amount', money[0].p);
  }

  if (mapping.customer_id === undefined) {
    const ids = free()
      .filter(isIdLike)
      .sort((a, b) => b.col.distinct - a.col.distinct || a.index - b.index);
    const hasRepeats = (p: ValueProfile) => p.col.distinct < p.col.nonNull;
    const orderCandidate = mapping.order_id === undefined ? ids[0] : undefined;
    const customer = ids.find(
      (p) => p !== orderCandidate && hasRepeats(p) && (!orderCandidate || p.col.distinct < orderCandidate.col.distinct),
    );
    if (customer) {
      assign('customer_id', customer);
      if (orderCandidate) assign('order_id', orderCandidate);
    } else if (orderCandidate) {
      // A single id-like column: with repeats it is the customer, unique it is the order.
      assign(hasRepeats(orderCandidate) ? 'customer_id' : 'order_id', orderCandidate);
    }
  }

  // What the user should know.
  if (mapping.customer_id === undefined) warn(MAPPING_WARNINGS.noCustomer);
  if (mapping.order_date === undefined) warn(MAPPING_WARNINGS.noDate);
  if (mapping.amount === undefined) {
    warn(mapping.quantity !== undefined && mapping.unit_price !== undefined ? MAPPING_WARNINGS.amountFromQuantityPrice : MAPPING_WARNINGS.noAmount);
  }
  if (Object.values(reasons).includes('values')) warn(MAPPING_WARNINGS.guessedFromValues);
  const profileOf = (role: Role) => profiles.find((p) => p.col.name === mapping[role]);
  const date = profileOf('order_date');
  if (date && date.values.length && !isDateType(date.col.type) && date.dateFormat === null) warn(MAPPING_WARNINGS.dateFormatUnknown);
  for (const role of ['amount', 'quantity', 'unit_price'] as const) {
    const p = profileOf(role);
    if (!p || !p.values.length) continue;
    if (!isNumericColumn(p) && p.numericShare < 0.8) warn(MAPPING_WARNINGS.notNumeric);
    if (!isNumericType(p.col.type) && detectDecimalComma(p.values)) warn(MAPPING_WARNINGS.decimalComma);
  }

  // Report in role order, whatever order the passes found them in.
  const ordered: ColumnMapping = {};
  for (const role of ROLES) if (mapping[role] !== undefined) ordered[role] = mapping[role];
  return { mapping: ordered, reasons, warnings };
}

// ---------------------------------------------------------------------------------------
// Validation

/**
 * A mapping is usable when it names a customer id, an order date, and an amount or both
 * quantity and unit price; every mapped column exists; no column serves two roles.
 * Empty strings count as "not mapped" (what a cleared select gives).
 */
export function validateMapping(
  mapping: ColumnMapping,
  columnNames: string[],
): { ok: boolean; errors: MappingError[] } {
  const errors: MappingError[] = [];
  const known = new Set(columnNames);
  const usedBy = new Map<string, Role>();
  const roles = new Set<string>(ROLES);
  const has = (role: Role) => typeof mapping[role] === 'string' && mapping[role] !== '';

  for (const key of Object.keys(mapping)) {
    const column = (mapping as Record<string, unknown>)[key];
    if (!roles.has(key)) {
      if (column !== undefined && column !== '') errors.push({ role: null, key: MAPPING_ERRORS.unknownRole, params: { role: key } });
    }
  }
  for (const role of ROLES) {
    if (!has(role)) continue;
    const column = mapping[role]!;
    if (!known.has(column)) {
      errors.push({ role, key: MAPPING_ERRORS.columnMissing, params: { column } });
      continue;
    }
    const other = usedBy.get(column);
    if (other !== undefined) errors.push({ role, key: MAPPING_ERRORS.duplicateColumn, params: { column, other } });
    else usedBy.set(column, role);
  }
  if (!has('customer_id')) errors.push({ role: 'customer_id', key: MAPPING_ERRORS.noCustomer });
  if (!has('order_date')) errors.push({ role: 'order_date', key: MAPPING_ERRORS.noDate });
  if (!has('amount')) {
    if (has('quantity') && !has('unit_price')) errors.push({ role: 'unit_price', key: MAPPING_ERRORS.needsUnitPrice });
    else if (has('unit_price') && !has('quantity')) errors.push({ role: 'quantity', key: MAPPING_ERRORS.needsQuantity });
    else if (!has('quantity') && !has('unit_price')) errors.push({ role: 'amount', key: MAPPING_ERRORS.noAmount });
  }
  return { ok: errors.length === 0, errors };
}

// ---------------------------------------------------------------------------------------
// Date formats

// Candidate formats in order of preference, which decides ties: when every sample fits both
// month/day orders (no day above 12), slashes are read month-first (US Excel and the UK
// "Online Retail" exports write 12/1/2010), dots and dashes day-first (European style).
const DATE_PARTS = [
  '%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y%m%d',
  '%m/%d/%Y', '%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y', '%m-%d-%Y',
  '%m/%d/%y', '%d/%m/%y', '%d.%m.%y',
  '%d-%b-%Y', '%d %b %Y', '%b %d, %Y',
];
const TIME_PARTS = ['', ' %H:%M:%S', ' %H:%M', ' %H:%M:%S.%f', ' %I:%M:%S %p', ' %I:%M %p'];
const ISO_TIME_PARTS = ['T%H:%M:%S', 'T%H:%M:%S.%f', 'T%H:%M:%SZ', 'T%H:%M:%S.%fZ', 'T%H:%M'];

const DATE_FORMATS: string[] = [
  ...DATE_PARTS.flatMap((d) => TIME_PARTS.map((t) => d + t)),
  ...ISO_TIME_PARTS.map((t) => '%Y-%m-%d' + t),
];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

type Field = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'f' | 'p' | 'b';
const FIELD_PATTERN: Record<Field, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  I: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  f: '(\\d{1,6})',
  p: '(am|pm)',
  b: '([a-z]{3})',
};

interface CompiledFormat {
  format: string;
  re: RegExp;
  fields: Field[];
}

function compileFormat(format: string): CompiledFormat {
  const fields: Field[] = [];
  let source = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '%' && i + 1 < format.length) {
      const f = format[++i] as Field;
      fields.push(f);
      source += FIELD_PATTERN[f];
    } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return { format, re: new RegExp(`^${source}$`, 'i'), fields };
}

const COMPILED_FORMATS = DATE_FORMATS.map(compileFormat);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fitsFormat(sample: string, f: CompiledFormat): boolean {
  const m = f.re.exec(sample);
  if (!m) return false;
  let year = NaN;
  let month = NaN;
  let day = NaN;
  for (let i = 0; i < f.fields.length; i++) {
    const text = m[i + 1];
    const n = Number(text);
    switch (f.fields[i]) {
      case 'Y': year = n; break;
      case 'y': year = 2000 + n; break;
      case 'm': month = n; break;
      case 'b': month = MONTHS.indexOf(text.toLowerCase()) + 1; break;
      case 'd': day = n; break;
      case 'H': if (n > 23) return false; break;
      case 'I': if (n < 1 || n > 12) return false; break;
      case 'M': case 'S': if (n > 59) return false; break;
      default: break;
    }
  }
  // Transaction dates: a plausible year keeps yyyymmdd from matching arbitrary 8-digit ids.
  if (!(year >= 1900 && year <= 2100)) return false;
  if (!(month >= 1 && month <= 12)) return false;
  return day >= 1 && day <= daysInMonth(year, month);
}

/**
 * A DuckDB strptime format that parses all, or at least 95 %, of the non-empty samples;
 * the format that parses the most wins (so one "13/02/2023" settles day-first), ties go to
 * the preferred order above. null when no known format fits.
 */
export function suggestDateFormat(samples: readonly (string | null | undefined)[]): string | null {
  const values = nonEmpty(samples);
  if (values.length === 0) return null;
  const needed = Math.ceil(values.length * 0.95);
  let best: string | null = null;
  let bestCount = 0;
  for (const f of COMPILED_FORMATS) {
    let count = 0;
    for (const v of values) if (fitsFormat(v, f)) count++;
    if (count > bestCount) {
      best = f.format;
      bestCount = count;
    }
  }
  return bestCount >= needed ? best : null;
}

// ---------------------------------------------------------------------------------------
// Decimal separators

/**
 * True when the numeric samples use a decimal comma ("1.234,56", "12,5", "0,99", "1 234,56")
 * more often than a decimal point ("1,234.56", "12.5"). "1,234" and "1.234" are ambiguous
 * (a thousands group in one locale, decimals in the other) and count for neither.
 */
export function detectDecimalComma(samples: readonly (string | null | undefined)[]): boolean {
  let comma = 0;
  let point = 0;
  for (const raw of nonEmpty(samples)) {
    const t = cleanNumberText(raw);
    if (!NUMBER_TEXT.test(t)) continue;
    const lastComma = t.lastIndexOf(',');
    const lastPoint = t.lastIndexOf('.');
    if (lastComma < 0 && lastPoint < 0) continue;
    if (lastComma >= 0 && lastPoint >= 0) {
      if (lastComma > lastPoint) comma++;
      else point++;
      continue;
    }
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = t.replace(/^[-+]/, '').split(sep);
    const decimals = parts[parts.length - 1];
    // Several of the same separator: they group thousands, so the other one is the decimal.
    if (parts.length > 2) {
      if (sep === '.') comma++;
      else point++;
      continue;
    }
    // One separator: decimals unless it could be a thousands group ("1,234"); a leading
    // zero ("0,123") never starts a grouped number.
    const grouping = decimals.length === 3 && parts[0].length <= 3 && !/^0+$/.test(parts[0]);
    if (grouping) continue;
    if (sep === ',') comma++;
    else point++;
  }
  return comma > 0 && comma > point;
}
