// Segment schemes and the strategy playbook (en + zh).
//
// A scheme is an ordered list of rules over the R/F/M scores; the first rule whose conditions all
// hold names the segment, otherwise the scheme's fallback does. The same rule data drives both
// the SQL CASE (run over every customer inside DuckDB) and `assignSegment` (pure TypeScript, for
// explanations and tests), so the two cannot drift apart.
import { int, ident, str } from './sql/ident';
import {
  UNASSIGNED_ID,
  effectiveBins,
  type CustomSegmentRule,
  type LocalizedText,
  type SegmentSchemeId,
  type SegmentationOptions,
} from './segmentation-options';

export interface SegmentDef {
  id: string;
  name: LocalizedText;
  /** One line: who is in it. */
  description: LocalizedText;
  /** Recommended action: channel, offer, cadence, KPI to watch. */
  strategy: LocalizedText;
}

export interface ScoreTriple {
  r: number;
  f: number;
  m: number;
}

/**
 * What a condition looks at: a raw score, or (named grid) the recency score mapped onto the
 * five-level grid (`r5`, 1..5) and twice the mean of the mapped F and M scores (`fm2`, 2..10,
 * doubled so it stays an integer).
 */
export type ScoreTerm = 'r' | 'f' | 'm' | 'r5' | 'fm2';
export type Comparison = '>' | '>=' | '<' | '<=' | '=';
export interface Condition {
  term: ScoreTerm;
  op: Comparison;
  /** A number, or 'mean' = that dimension's mean score over scored customers (r/f/m only). */
  value: number | 'mean';
}
export interface SegmentRule {
  segment: string;
  when: Condition[];
}

/** A scheme with everything its rules depend on. */
export type SchemeSpec =
  | { id: 'classic8' }
  | { id: 'crm4' }
  | { id: 'grid11'; bins: number }
  | { id: 'custom'; rules: CustomSegmentRule[] };

export type SegmentLabel = 'id' | 'en' | 'zh';

const t = (en: string, zh: string): LocalizedText => ({ en, zh });

// ---------------------------------------------------------------------------------------------
// 1. The classic eight (RFM 八大客户类型). A dimension is "high" when the customer's score is
//    strictly above that dimension's mean score over all scored customers; R high = recent.
//    M decides important (重要) / general (一般); R and F decide value / development / retention / win-back.
// ---------------------------------------------------------------------------------------------
export const CLASSIC8_SEGMENTS: readonly SegmentDef[] = [
  {
    id: 'important_value',
    name: t('Important value', '重要价值客户'),
    description: t('Recent, frequent and high-spending: the best customers.', '最近有购买、购买频繁、消费金额高：最核心的客户。'),
    strategy: t(
      'VIP treatment: a named contact or priority hotline, early access to new products and referral rewards; personal touch about monthly, no blanket discounts. KPI: retention rate and referrals.',
      'VIP 待遇：专属客服或优先热线、新品抢先体验、推荐有礼；约每月一次一对一关怀，不发普发折扣。关注指标：留存率、推荐人数。',
    ),
  },
  {
    id: 'important_development',
    name: t('Important development', '重要发展客户'),
    description: t('Recent and high-spending but buy rarely.', '最近有购买、消费金额高，但购买次数少。'),
    strategy: t(
      'Raise purchase frequency: membership/points programme, replenishment reminders and cross-sell bundles by e-mail or app push every 2–3 weeks. KPI: repeat-purchase rate, orders per customer.',
      '提高购买频次：会员积分计划、补货提醒、交叉销售组合，每 2–3 周通过邮件或 App 推送触达。关注指标：复购率、人均订单数。',
    ),
  },
  {
    id: 'important_retention',
    name: t('Important retention', '重要保持客户'),
    description: t('Frequent, high-spending customers who have not bought for a while.', '购买频繁、消费金额高，但已有一段时间没有购买。'),
    strategy: t(
      'Re-engage before they lapse: a personal call or 1:1 message from their account owner, an exclusive offer on their favourite category within 2 weeks, and a short feedback request. KPI: reactivation within 30 days.',
      '在流失前重新激活：由专属顾问电话或一对一消息联系，2 周内提供其常购品类的专属优惠，并做简短回访。关注指标：30 天内再购率。',
    ),
  },
  {
    id: 'important_winback',
    name: t('Important win-back', '重要挽留客户'),
    description: t('Spent a lot in few orders, long ago: high value at risk of being lost.', '消费金额高但购买少、且很久未购买：有流失风险的高价值客户。'),
    strategy: t(
      'Win back: a personalised offer (e.g. a voucher worth ~10% of their average order) by e-mail plus SMS, with a churn-reason survey; one sequence of 2–3 touches over 4 weeks. KPI: win-back rate, offer ROI.',
      '挽回：通过邮件加短信发送个性化优惠（如相当于其客单价约 10% 的代金券），并附流失原因调查；4 周内 2–3 次触达。关注指标：挽回率、优惠投入产出比。',
    ),
  },
  {
    id: 'general_value',
    name: t('General value', '一般价值客户'),
    description: t('Recent and frequent buyers with low spend.', '最近有购买、购买频繁，但消费金额低。'),
    strategy: t(
      'Grow basket size: upsell premium versions, bundles and a free-shipping threshold just above their usual order; e-mail or in-app every 2 weeks. KPI: average order value.',
      '提升客单价：推荐升级款、组合装，免运费门槛设在其常见订单金额之上；每 2 周邮件或站内触达。关注指标：客单价。',
    ),
  },
  {
    id: 'general_development',
    name: t('General development', '一般发展客户'),
    description: t('Recent but occasional buyers with small spend (often new).', '最近有购买，但购买少、金额低（多为新客）。'),
    strategy: t(
      'Nurture: onboarding e-mail series, a second-purchase coupon valid 30 days, how-to content. KPI: second-purchase conversion.',
      '培育：新客引导邮件系列、30 天有效的二次购买优惠券、产品使用内容。关注指标：二次购买转化率。',
    ),
  },
  {
    id: 'general_retention',
    name: t('General retention', '一般保持客户'),
    description: t('Used to buy often in small amounts, now quiet.', '过去经常小额购买，近期沉寂。'),
    strategy: t(
      'Low-cost reminders: automated e-mail or push with a small points bonus or coupon, at most monthly. KPI: reactivation rate, cost per reactivation.',
      '低成本提醒：自动邮件或推送，附少量积分或小额优惠券，最多每月一次。关注指标：激活率、单位激活成本。',
    ),
  },
  {
    id: 'general_winback',
    name: t('General win-back', '一般挽留客户'),
    description: t('Low value and long inactive.', '价值低且长期不活跃。'),
    strategy: t(
      'Spend little: include in a quarterly low-cost reactivation e-mail only; suppress from paid media if there is no response. KPI: cost per reactivated customer.',
      '少投入：仅纳入每季度一次的低成本唤醒邮件；无响应则从付费渠道中排除。关注指标：单位唤醒成本。',
    ),
  },
];

const HIGH = (term: 'r' | 'f' | 'm'): Condition => ({ term, op: '>', value: 'mean' });
const LOW = (term: 'r' | 'f' | 'm'): Condition => ({ term, op: '<=', value: 'mean' });

const CLASSIC8_RULES: readonly SegmentRule[] = [
  { segment: 'important_value', when: [HIGH('r'), HIGH('f'), HIGH('m')] },
  { segment: 'important_development', when: [HIGH('r'), LOW('f'), HIGH('m')] },
  { segment: 'important_retention', when: [LOW('r'), HIGH('f'), HIGH('m')] },
  { segment: 'important_winback', when: [LOW('r'), LOW('f'), HIGH('m')] },
  { segment: 'general_value', when: [HIGH('r'), HIGH('f'), LOW('m')] },
  { segment: 'general_development', when: [HIGH('r'), LOW('f'), LOW('m')] },
  { segment: 'general_retention', when: [LOW('r'), HIGH('f'), LOW('m')] },
  { segment: 'general_winback', when: [LOW('r'), LOW('f'), LOW('m')] },
];

// ---------------------------------------------------------------------------------------------
// 2. The four-type table of the CRM playbook; "high" / "recent" as in the classic eight
//    (score strictly above the dimension's mean). Every other combination is "other".
// ---------------------------------------------------------------------------------------------
export const CRM4_SEGMENTS: readonly SegmentDef[] = [
  {
    id: 'high_value_loyal',
    name: t('High-value loyal', '高价值忠诚客户'),
    description: t('Recent, frequent and high-spending.', '最近有购买、购买频繁、消费金额高。'),
    strategy: t(
      'VIP service and referral rewards: priority support, members-only previews, a refer-a-friend bonus; personal contact monthly. KPI: retention rate, referrals, share of revenue.',
      'VIP 服务与推荐奖励：优先客服、会员专享预览、老带新奖励；每月一次个性化联系。关注指标：留存率、推荐数、收入占比。',
    ),
  },
  {
    id: 'potential_growth',
    name: t('Potential growth', '潜力成长客户'),
    description: t('Recent, high-spending, but not yet frequent.', '最近有购买、消费金额高，但购买还不频繁。'),
    strategy: t(
      'Cross-sell and limited-time offers: complementary products after each order, a 7-day offer on a second category via e-mail/app push every 2 weeks. KPI: repeat-purchase rate, categories per customer.',
      '交叉销售与限时优惠：每单后推荐互补商品，每 2 周通过邮件/App 推送 7 天限时的新品类优惠。关注指标：复购率、人均购买品类数。',
    ),
  },
  {
    id: 'churn_risk',
    name: t('Churn risk', '流失风险客户'),
    description: t('Frequent high spenders who have not bought recently.', '曾经高频高额购买，但近期未购买。'),
    strategy: t(
      'Personalised win-back offer plus a churn-reason survey: phone or 1:1 message for the largest accounts, e-mail + SMS for the rest, within 2 weeks. KPI: win-back rate within 60 days.',
      '个性化挽回优惠加流失原因调查：大客户电话或一对一沟通，其余用邮件 + 短信，2 周内完成。关注指标：60 天内挽回率。',
    ),
  },
  {
    id: 'low_value_silent',
    name: t('Low-value silent', '低价值沉默客户'),
    description: t('Old, infrequent and low-spending.', '很久未购买、购买少、金额低。'),
    strategy: t(
      'Low-cost reactivation or stop spending: one automated e-mail with a small incentive per quarter, then suppress from paid channels. KPI: reactivation cost per customer.',
      '低成本唤醒或停止投入：每季度一次带小额激励的自动邮件，无响应则从付费渠道中排除。关注指标：单位唤醒成本。',
    ),
  },
  {
    id: 'other',
    name: t('Other', '其他客户'),
    description: t('Mixed profiles not covered by the four types.', '不属于以上四类的混合特征客户。'),
    strategy: t(
      'Standard lifecycle programme: regular newsletter and triggered e-mails; review with the R×F heatmap for sub-groups worth a campaign. KPI: orders per customer.',
      '常规生命周期运营：定期资讯与触发式邮件；结合 R×F 热力图寻找值得单独运营的子群。关注指标：人均订单数。',
    ),
  },
];

const CRM4_RULES: readonly SegmentRule[] = [
  { segment: 'high_value_loyal', when: [HIGH('r'), HIGH('f'), HIGH('m')] },
  { segment: 'potential_growth', when: [HIGH('r'), LOW('f'), HIGH('m')] },
  { segment: 'churn_risk', when: [LOW('r'), HIGH('f'), HIGH('m')] },
  { segment: 'low_value_silent', when: [LOW('r'), LOW('f'), LOW('m')] },
];

// ---------------------------------------------------------------------------------------------
// 3. The widely used named grid of R score against the mean of the F and M scores.
//    Source: Putler, "RFM Analysis For Successful Customer Segmentation"
//    (https://www.putler.com/rfm-analysis/), reproduced e.g. at
//    https://docs.churned.io/churned-docs/dashboard-and-features/rfv-model-segment-best-practices/rfm-model
//    Its table gives overlapping ranges (R / mean(F,M)): Champions 4–5/4–5, Loyal 2–5/3–5,
//    Potential loyalist 3–5/1–3, New (recent) 4–5/0–1, Promising 3–4/0–1, Need attention 2–3/2–3,
//    About to sleep 2–3/0–2, At risk 0–2/2–5, Can't lose 0–1/4–5, Hibernating 1–2/1–2, Lost 0–2/0–2.
//    Read naively in table order, several segments can never be reached, so we resolve the
//    overlaps into this partition (rows: FM = (F+M)/2, columns: R), keeping every segment:
//
//      FM \ R      1           2             3                4                   5
//      4 – 5     Can't lose  At risk       Loyal            Champions           Champions
//      3 – 3.5   At risk     At risk       Loyal            Loyal               Loyal
//      2.5       At risk     At risk       Need attention   Potential loyalist  Potential loyalist
//      2         Lost        Hibernating   Need attention   Potential loyalist  Potential loyalist
//      1 – 1.5   Lost        Hibernating   About to sleep   Promising           New
//
//    Other bin counts: each score s of 1..bins is mapped onto the five-level grid by
//    r5 = round(1 + 4·(s − 1)/(bins − 1)) (halves up), so the lowest score stays 1 and the
//    highest 5 (bins 10: 1,1,2,2,3,3,4,4,5,5; bins 3: 1,3,5); FM uses the mapped F and M.
// ---------------------------------------------------------------------------------------------
export const GRID11_SEGMENTS: readonly SegmentDef[] = [
  {
    id: 'champions',
    name: t('Champions', '冠军客户'),
    description: t('Bought recently, buy often and spend the most.', '最近购买、购买频繁、消费最多。'),
    strategy: t(
      'Reward and recognise: loyalty-tier perks, early access, ask for reviews and referrals; light cadence (about monthly), avoid discounting. KPI: retention rate, referrals, NPS.',
      '奖励与认可：会员等级礼遇、新品抢先、邀请评价和推荐；低频触达（约每月一次），避免打折。关注指标：留存率、推荐数、NPS。',
    ),
  },
  {
    id: 'loyal',
    name: t('Loyal', '忠诚客户'),
    description: t('Spend good money and buy often; responsive to promotions.', '消费可观、购买频繁，对促销反应积极。'),
    strategy: t(
      'Upsell higher-value products and enrol in the loyalty programme; new-product e-mails every 2 weeks, ask for reviews. KPI: average order value, loyalty enrolment.',
      '向上销售高价值商品并纳入会员计划；每 2 周推送新品邮件，邀请评价。关注指标：客单价、会员入会率。',
    ),
  },
  {
    id: 'potential_loyalist',
    name: t('Potential loyalist', '潜在忠诚客户'),
    description: t('Recent customers with average frequency and spend.', '最近购买，频次和金额中等。'),
    strategy: t(
      'Offer membership or a loyalty programme, recommend related products after each order, e-mail every 2 weeks. KPI: third-order conversion, repeat rate.',
      '邀请加入会员或积分计划，每单后推荐相关商品，每 2 周邮件触达。关注指标：第三单转化率、复购率。',
    ),
  },
  {
    id: 'new_customers',
    name: t('New customers', '新客户'),
    description: t('Bought most recently, but not often.', '刚刚购买，但购买次数少。'),
    strategy: t(
      'Onboard: welcome series (3 e-mails in 2 weeks), setup/usage help, a small second-order incentive. KPI: second-purchase rate within 60 days.',
      '新客引导：2 周内 3 封欢迎邮件、使用指导、小额二次购买激励。关注指标：60 天内二次购买率。',
    ),
  },
  {
    id: 'promising',
    name: t('Promising', '有潜力客户'),
    description: t('Recent shoppers who have not spent much yet.', '近期购买，但消费还不多。'),
    strategy: t(
      'Build awareness: brand story and best-sellers, a free-trial or sample, a time-limited coupon; e-mail every 2–3 weeks. KPI: repeat-purchase rate.',
      '建立认知：品牌故事与畅销推荐、试用或小样、限时优惠券；每 2–3 周邮件触达。关注指标：复购率。',
    ),
  },
  {
    id: 'need_attention',
    name: t('Need attention', '需要关注客户'),
    description: t('Average recency, frequency and spend; slipping.', '最近度、频次、金额都居中，有下滑迹象。'),
    strategy: t(
      'Limited-time offers based on past purchases, personalised recommendations; one campaign per month. KPI: reactivation rate, orders in the next 60 days.',
      '基于历史购买的限时优惠与个性化推荐；每月一次活动。关注指标：激活率、未来 60 天订单数。',
    ),
  },
  {
    id: 'about_to_sleep',
    name: t('About to sleep', '即将沉睡客户'),
    description: t('Below-average recency, frequency and spend.', '最近度、频次、金额都低于平均。'),
    strategy: t(
      'Share popular products and a modest discount to reconnect; automated e-mail/push, at most monthly. KPI: reactivation rate.',
      '推荐热门商品并提供适度折扣以重新联系；自动邮件或推送，最多每月一次。关注指标：激活率。',
    ),
  },
  {
    id: 'at_risk',
    name: t('At risk', '风险客户'),
    description: t('Spent big and often, but a long time ago.', '曾经高频高额购买，但已很久未购买。'),
    strategy: t(
      'Personalised re-engagement: e-mail + SMS with a tailored offer and helpful content, a churn-reason survey; 2–3 touches over 4 weeks. KPI: win-back rate.',
      '个性化挽回：邮件加短信发送定制优惠和有用内容，附流失原因调查；4 周内 2–3 次触达。关注指标：挽回率。',
    ),
  },
  {
    id: 'cant_lose',
    name: t("Can't lose them", '不能失去的客户'),
    description: t('Made the biggest and most frequent purchases, but long ago.', '曾是购买最多、最频繁的客户，但已很久未购买。'),
    strategy: t(
      'Win them back personally: a call or 1:1 message from a senior contact, the best renewal offer, a survey on what went wrong; within 2 weeks. KPI: win-back rate, recovered revenue.',
      '亲自挽回：由资深人员电话或一对一沟通，给出最优续购方案，并了解流失原因；2 周内完成。关注指标：挽回率、挽回收入。',
    ),
  },
  {
    id: 'hibernating',
    name: t('Hibernating', '休眠客户'),
    description: t('Low spend, few orders, last purchase long ago.', '金额低、订单少，最后一次购买已久。'),
    strategy: t(
      'Offer other relevant products and special discounts in a quarterly e-mail; recreate brand value cheaply. KPI: reactivation rate, cost per reactivation.',
      '每季度一次邮件推荐其他相关商品和特别折扣，以低成本重建品牌价值。关注指标：激活率、单位激活成本。',
    ),
  },
  {
    id: 'lost',
    name: t('Lost', '已流失客户'),
    description: t('Lowest recency, frequency and spend.', '最近度、频次、金额都最低。'),
    strategy: t(
      'One low-cost reactivation attempt (e-mail), otherwise ignore: suppress from paid campaigns. KPI: cost saved, reactivation rate.',
      '一次低成本唤醒（邮件），否则不再投入：从付费活动中排除。关注指标：节省成本、唤醒率。',
    ),
  },
];

const GRID11_RULES: readonly SegmentRule[] = [
  { segment: 'champions', when: [c('r5', '>=', 4), c('fm2', '>=', 8)] },
  { segment: 'loyal', when: [c('r5', '>=', 3), c('fm2', '>=', 6)] },
  { segment: 'cant_lose', when: [c('r5', '<=', 1), c('fm2', '>=', 8)] },
  { segment: 'at_risk', when: [c('r5', '<=', 2), c('fm2', '>=', 5)] },
  { segment: 'lost', when: [c('r5', '<=', 1)] },
  { segment: 'hibernating', when: [c('r5', '<=', 2)] },
  { segment: 'need_attention', when: [c('r5', '<=', 3), c('fm2', '>=', 4)] },
  { segment: 'about_to_sleep', when: [c('r5', '<=', 3)] },
  { segment: 'potential_loyalist', when: [c('fm2', '>=', 4)] },
  { segment: 'promising', when: [c('r5', '<=', 4)] },
  { segment: 'new_customers', when: [c('r5', '>=', 5)] },
];

function c(term: ScoreTerm, op: Comparison, value: number | 'mean'): Condition {
  return { term, op, value };
}

// ---------------------------------------------------------------------------------------------
// 4. Custom: the user's rules table, then this fallback.
// ---------------------------------------------------------------------------------------------
export const UNASSIGNED_SEGMENT: SegmentDef = {
  id: UNASSIGNED_ID,
  name: t('Unassigned', '未分配'),
  description: t('No rule of the custom table matched.', '未匹配自定义规则表中的任何规则。'),
  strategy: t(
    'Review the rules table: add a rule for these scores or accept them as a low-priority group.',
    '检查规则表：为这些评分补充规则，或将其作为低优先级群体。',
  ),
};

export interface SchemeDef {
  id: SegmentSchemeId;
  name: LocalizedText;
  description: LocalizedText;
}

export const SCHEMES: readonly SchemeDef[] = [
  {
    id: 'classic8',
    name: t('Classic eight (RFM)', 'RFM 八类客户'),
    description: t(
      'Important/general × value/development/retention/win-back; a score is high when above its mean.',
      '重要/一般 × 价值/发展/保持/挽留；评分高于该维度平均分即为“高”。',
    ),
  },
  {
    id: 'crm4',
    name: t('Four CRM types', 'CRM 四类客户'),
    description: t('High-value loyal, potential growth, churn risk, low-value silent, other.', '高价值忠诚、潜力成长、流失风险、低价值沉默及其他。'),
  },
  {
    id: 'grid11',
    name: t('Named RFM grid (11)', 'RFM 命名网格（11 类）'),
    description: t('Champions … Lost, from the R score and the mean of the F and M scores.', '冠军客户……已流失客户，依据 R 评分与 F、M 评分均值。'),
  },
  {
    id: 'custom',
    name: t('Custom rules', '自定义规则'),
    description: t('Your own table of score ranges → segment and strategy.', '自定义评分区间 → 客户群与策略。'),
  },
];

// ---------------------------------------------------------------------------------------------
// Playbook for ABC classes and lifecycle stages.
// ---------------------------------------------------------------------------------------------
export type AbcClass = 'A' | 'B' | 'C';
export type LifecycleStage = 'new' | 'active' | 'silent' | 'churned';

export const ABC_CLASSES: Readonly<Record<AbcClass, Omit<SegmentDef, 'id'>>> = {
  A: {
    name: t('A — top revenue', 'A 类 — 核心收入'),
    description: t('The customers who together make the first 80% of revenue.', '合计贡献前 80% 收入的客户。'),
    strategy: t(
      'Protect: key-account management, service-level guarantees, quarterly business reviews or personal check-ins. KPI: revenue retention of the A group.',
      '重点保护：大客户管理、服务水平保障、每季度业务回顾或一对一回访。关注指标：A 类收入留存率。',
    ),
  },
  B: {
    name: t('B — middle', 'B 类 — 中坚'),
    description: t('The next 15% of revenue.', '贡献其后 15% 收入的客户。'),
    strategy: t(
      'Develop towards A: cross-sell, volume or bundle offers, regular e-mail programme every 2 weeks. KPI: share of B customers moving to A.',
      '向 A 类培育：交叉销售、阶梯或组合优惠，每 2 周的常规邮件计划。关注指标：B 升 A 比例。',
    ),
  },
  C: {
    name: t('C — long tail', 'C 类 — 长尾'),
    description: t('The last 5% of revenue, usually most customers.', '贡献最后 5% 收入的客户，通常人数最多。'),
    strategy: t(
      'Serve efficiently: self-service and automated e-mail only, minimum-order thresholds; no paid acquisition spend. KPI: cost to serve per customer.',
      '高效服务：仅自助服务与自动邮件，设置起订门槛；不投入付费获客。关注指标：单客服务成本。',
    ),
  },
};

export const LIFECYCLE_STAGES: Readonly<Record<LifecycleStage, Omit<SegmentDef, 'id'>>> = {
  new: {
    name: t('New', '新客户'),
    description: t('First purchase within the new-customer window.', '首次购买在新客窗口期内。'),
    strategy: t(
      'Onboarding series and a second-purchase incentive within 30 days. KPI: second-purchase rate.',
      '新客引导系列，30 天内的二次购买激励。关注指标：二次购买率。',
    ),
  },
  active: {
    name: t('Active', '活跃客户'),
    description: t('Bought within the active window.', '在活跃窗口期内有购买。'),
    strategy: t(
      'Regular programme: recommendations, loyalty points, newsletters every 2 weeks. KPI: purchase frequency.',
      '常规运营：个性化推荐、积分、每 2 周资讯。关注指标：购买频次。',
    ),
  },
  silent: {
    name: t('Silent', '沉默客户'),
    description: t('No purchase in the active window, but within the silent window.', '活跃窗口内未购买，但仍在沉默窗口内。'),
    strategy: t(
      'Reactivation: reminder e-mail/SMS with a time-limited offer before they reach the churn window. KPI: reactivation rate.',
      '唤醒：在进入流失窗口前通过邮件/短信发送限时优惠提醒。关注指标：唤醒率。',
    ),
  },
  churned: {
    name: t('Churned', '流失客户'),
    description: t('No purchase for longer than the silent window.', '超过沉默窗口仍未购买。'),
    strategy: t(
      'Win-back for valuable ones (survey + offer), otherwise suppress from paid channels. KPI: win-back rate, cost saved.',
      '对有价值者做挽回（调查 + 优惠），其余从付费渠道中排除。关注指标：挽回率、节省成本。',
    ),
  },
};

// ---------------------------------------------------------------------------------------------
// Scheme resolution and evaluation.
// ---------------------------------------------------------------------------------------------

export function schemeSpec(options: SegmentationOptions): SchemeSpec {
  switch (options.scheme) {
    case 'classic8':
      return { id: 'classic8' };
    case 'crm4':
      return { id: 'crm4' };
    case 'grid11':
      return { id: 'grid11', bins: effectiveBins(options) };
    case 'custom':
      return { id: 'custom', rules: options.customRules };
  }
}

/** The ordered rules and the fallback segment of a scheme. */
export function schemeRules(spec: SchemeSpec): { rules: readonly SegmentRule[]; fallback: string } {
  switch (spec.id) {
    case 'classic8':
      return { rules: CLASSIC8_RULES, fallback: 'general_winback' };
    case 'crm4':
      return { rules: CRM4_RULES, fallback: 'other' };
    case 'grid11':
      // The grid is a partition (tested for every bins); the fallback is never reached.
      return { rules: GRID11_RULES, fallback: 'need_attention' };
    case 'custom':
      return {
        rules: spec.rules.map((rule) => ({
          segment: rule.id,
          when: [
            c('r', '>=', rule.r[0]),
            c('r', '<=', rule.r[1]),
            c('f', '>=', rule.f[0]),
            c('f', '<=', rule.f[1]),
            c('m', '>=', rule.m[0]),
            c('m', '<=', rule.m[1]),
          ],
        })),
        fallback: UNASSIGNED_ID,
      };
  }
}

/** Every segment a scheme can produce, in display order (custom: the rules, then unassigned). */
export function schemeSegments(spec: SchemeSpec): readonly SegmentDef[] {
  switch (spec.id) {
    case 'classic8':
      return CLASSIC8_SEGMENTS;
    case 'crm4':
      return CRM4_SEGMENTS;
    case 'grid11':
      return GRID11_SEGMENTS;
    case 'custom':
      return [
        ...spec.rules.map((rule) => ({
          id: rule.id,
          name: rule.name,
          description: rule.description ?? t('', ''),
          strategy: rule.strategy,
        })),
        UNASSIGNED_SEGMENT,
      ];
  }
}

/** Does the scheme compare scores with their means (so the SQL must compute them)? */
export function usesMeans(spec: SchemeSpec): boolean {
  return schemeRules(spec).rules.some((rule) => rule.when.some((cond) => cond.value === 'mean'));
}

/**
 * A score of 1..bins mapped onto the five-level grid: round(1 + 4(s − 1)/(bins − 1)), halves up,
 * in integer arithmetic so TypeScript and SQL agree exactly.
 */
export function gridLevel(score: number, bins: number): number {
  return 1 + Math.floor(((score - 1) * 8 + (bins - 1)) / (2 * (bins - 1)));
}

function termValue(term: ScoreTerm, scores: ScoreTriple, bins: number): number {
  switch (term) {
    case 'r':
    case 'f':
    case 'm':
      return scores[term];
    case 'r5':
      return gridLevel(scores.r, bins);
    case 'fm2':
      return gridLevel(scores.f, bins) + gridLevel(scores.m, bins);
  }
}

function compare(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '=':
      return a === b;
  }
}

/** The first matching rule (null → the fallback applied), for explanations ("why is this customer here"). */
export function matchSegmentRule(
  spec: SchemeSpec,
  scores: ScoreTriple,
  means?: ScoreTriple,
): { segment: string; rule: SegmentRule | null } {
  const { rules, fallback } = schemeRules(spec);
  const bins = spec.id === 'grid11' ? spec.bins : 5;
  for (const rule of rules) {
    const ok = rule.when.every((cond) => {
      let rhs: number;
      if (cond.value === 'mean') {
        if (!means) throw new Error(`The ${spec.id} scheme compares scores with their means; pass the mean scores.`);
        if (cond.term !== 'r' && cond.term !== 'f' && cond.term !== 'm') throw new Error(`No mean for ${cond.term}`);
        rhs = means[cond.term];
      } else {
        rhs = cond.value;
      }
      return compare(termValue(cond.term, scores, bins), cond.op, rhs);
    });
    if (ok) return { segment: rule.segment, rule };
  }
  return { segment: fallback, rule: null };
}

/** The segment id of one customer, exactly as the SQL CASE assigns it. */
export function assignSegment(spec: SchemeSpec, scores: ScoreTriple, means?: ScoreTriple): string {
  return matchSegmentRule(spec, scores, means).segment;
}

// ---------------------------------------------------------------------------------------------
// SQL.
// ---------------------------------------------------------------------------------------------

/** Column names the CASE reads; quoted with ident. */
export interface ScoreColumns {
  r: string;
  f: string;
  m: string;
  meanR: string;
  meanF: string;
  meanM: string;
}

export const DEFAULT_SCORE_COLUMNS: ScoreColumns = {
  r: 'r_score',
  f: 'f_score',
  m: 'm_score',
  meanR: 'mean_r',
  meanF: 'mean_f',
  meanM: 'mean_m',
};

/** The label a segment shows in SQL results: its id, or its name in one language (falling back to the other, then the id). */
export function segmentLabel(seg: SegmentDef, label: SegmentLabel): string {
  if (label === 'id') return seg.id;
  const other = label === 'en' ? 'zh' : 'en';
  const primary = seg.name?.[label]?.trim();
  const secondary = seg.name?.[other]?.trim();
  return primary || secondary || seg.id;
}

function gridLevelSql(col: string, bins: number): string {
  return `(1 + ((${col} - 1) * 8 + ${int(bins - 1)}) // ${int(2 * (bins - 1))})`;
}

function termSql(term: ScoreTerm, cols: ScoreColumns, bins: number): string {
  switch (term) {
    case 'r':
      return ident(cols.r);
    case 'f':
      return ident(cols.f);
    case 'm':
      return ident(cols.m);
    case 'r5':
      return gridLevelSql(ident(cols.r), bins);
    case 'fm2':
      return `(${gridLevelSql(ident(cols.f), bins)} + ${gridLevelSql(ident(cols.m), bins)})`;
  }
}

function conditionSql(cond: Condition, cols: ScoreColumns, bins: number): string {
  let rhs: string;
  if (cond.value === 'mean') {
    const meanCol = cond.term === 'r' ? cols.meanR : cond.term === 'f' ? cols.meanF : cond.term === 'm' ? cols.meanM : null;
    if (meanCol === null) throw new Error(`No mean for ${cond.term}`);
    rhs = ident(meanCol);
  } else {
    rhs = int(cond.value);
  }
  return `${termSql(cond.term, cols, bins)} ${cond.op} ${rhs}`;
}

/**
 * `CASE WHEN … THEN 'segment' … ELSE 'fallback' END` over integer score columns (and, for schemes
 * that use them, mean-score columns). Labels are SQL string literals made by `str`, so user-named
 * custom segments are safe.
 */
export function segmentCaseSql(spec: SchemeSpec, label: SegmentLabel = 'id', columns: Partial<ScoreColumns> = {}): string {
  const cols = { ...DEFAULT_SCORE_COLUMNS, ...columns };
  const { rules, fallback } = schemeRules(spec);
  const bins = spec.id === 'grid11' ? spec.bins : 5;
  const byId = segmentsById(spec);
  const lit = (id: string) => str(segmentLabel(byId.get(id) ?? { id, name: t(id, id), description: t('', ''), strategy: t('', '') }, label));
  const whens = rules.map((rule) => {
    const cond = rule.when.length === 0 ? 'TRUE' : rule.when.map((w) => conditionSql(w, cols, bins)).join(' AND ');
    return `  WHEN ${cond} THEN ${lit(rule.segment)}`;
  });
  return `CASE\n${whens.join('\n')}\n  ELSE ${lit(fallback)}\nEND`;
}

/** `CASE <column> WHEN <label> THEN <display position> … END`, for ordering summaries. */
export function segmentOrderSql(spec: SchemeSpec, label: SegmentLabel, column: string): string {
  const segs = schemeSegments(spec);
  const whens = segs.map((seg, i) => `WHEN ${str(segmentLabel(seg, label))} THEN ${int(i + 1)}`);
  return `CASE ${ident(column)} ${whens.join(' ')} ELSE ${int(segs.length + 1)} END`;
}

function segmentsById(spec: SchemeSpec): Map<string, SegmentDef> {
  return new Map(schemeSegments(spec).map((s) => [s.id, s]));
}

/** The full definition of a segment id within a scheme (name, description, strategy). */
export function segmentDef(spec: SchemeSpec, id: string): SegmentDef | undefined {
  return segmentsById(spec).get(id);
}
