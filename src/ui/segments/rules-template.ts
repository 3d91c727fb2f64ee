// A starting table for the custom scheme: a partition of the score cube into five groups by
// "high" (upper half of the levels) or not, which the user then edits.
import type { CustomSegmentRule } from '../../core/segmentation-options';

export function templateRules(levels: number): CustomSegmentRule[] {
  const h = Math.min(levels, Math.ceil(levels / 2) + 1);
  const hi: [number, number] = [h, levels];
  const lo: [number, number] = [1, h - 1];
  const all: [number, number] = [1, levels];
  return [
    {
      id: 'best',
      name: { en: 'Best customers', zh: '最佳客户' },
      strategy: { en: 'VIP care and referral rewards; no blanket discounts.', zh: 'VIP 关怀与推荐奖励；不发普发折扣。' },
      r: hi,
      f: hi,
      m: hi,
    },
    {
      id: 'loyal_low_spend',
      name: { en: 'Loyal, low spend', zh: '忠诚低消费客户' },
      strategy: { en: 'Upsell and bundles to raise the basket.', zh: '向上销售与组合装，提升客单价。' },
      r: hi,
      f: hi,
      m: lo,
    },
    {
      id: 'recent_occasional',
      name: { en: 'Recent, occasional', zh: '近期偶购客户' },
      strategy: { en: 'Second-purchase coupon and onboarding content.', zh: '二次购买优惠券与新客引导内容。' },
      r: hi,
      f: lo,
      m: all,
    },
    {
      id: 'big_spenders_at_risk',
      name: { en: 'Big spenders at risk', zh: '高价值流失风险客户' },
      strategy: { en: 'Personal win-back offer and a churn-reason survey.', zh: '个性化挽回优惠与流失原因调查。' },
      r: lo,
      f: all,
      m: hi,
    },
    {
      id: 'dormant',
      name: { en: 'Dormant, low value', zh: '沉睡低价值客户' },
      strategy: { en: 'One low-cost reactivation e-mail, then stop spending.', zh: '一次低成本唤醒邮件，之后停止投入。' },
      r: lo,
      f: all,
      m: lo,
    },
  ];
}

/** Keep every range inside 1..levels after the number of levels changed. */
export function clampRules(rules: CustomSegmentRule[], levels: number): CustomSegmentRule[] {
  const clamp = ([lo, hi]: [number, number]): [number, number] => {
    const h = Math.min(Math.max(1, hi), levels);
    return [Math.min(Math.max(1, lo), h), h];
  };
  return rules.map((r) => ({ ...r, r: clamp(r.r), f: clamp(r.f), m: clamp(r.m) }));
}
