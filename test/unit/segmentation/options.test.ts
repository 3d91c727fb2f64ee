import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEGMENTATION_OPTIONS,
  effectiveBins,
  resolveSegmentationOptions,
  type CustomSegmentRule,
} from '../../../src/core/segmentation-options';

const rule = (over: Partial<CustomSegmentRule> = {}): CustomSegmentRule => ({
  id: 'r1',
  name: { en: 'One', zh: '一' },
  strategy: { en: '', zh: '' },
  r: [1, 5],
  f: [1, 5],
  m: [1, 5],
  ...over,
});

describe('segmentation options', () => {
  it('defaults', () => {
    expect(resolveSegmentationOptions()).toEqual({
      asOf: null,
      bins: 5,
      thresholds: null,
      scheme: 'classic8',
      customRules: [],
      abc: { a: 0.8, b: 0.95 },
      lifecycle: { newDays: 90, activeDays: 90, silentDays: 180 },
      strategyOverrides: {},
    });
    expect(DEFAULT_SEGMENTATION_OPTIONS.bins).toBe(5);
  });

  it('merges partial nested settings', () => {
    const o = resolveSegmentationOptions({ abc: { b: 0.9 }, lifecycle: { silentDays: 365 } });
    expect(o.abc).toEqual({ a: 0.8, b: 0.9 });
    expect(o.lifecycle).toEqual({ newDays: 90, activeDays: 90, silentDays: 365 });
  });

  it('effective bins follow the thresholds', () => {
    expect(effectiveBins(resolveSegmentationOptions({ thresholds: { r: [1, 2, 3], f: [1, 2, 3], m: [1, 2, 3] } }))).toBe(4);
    expect(effectiveBins(resolveSegmentationOptions({ bins: 7 }))).toBe(7);
  });

  it.each([
    [{ bins: 2 }, /bins must be a whole number from 3 to 10, got 2/],
    [{ bins: 11 }, /got 11/],
    [{ bins: 4.5 }, /got 4.5/],
    [{ asOf: '2024-02-30' }, /real calendar day/],
    [{ asOf: '31/12/2024' }, /YYYY-MM-DD/],
    [{ thresholds: { r: [30, 90], f: [2, 3, 4], m: [1, 2] } }, /same number of cut points/],
    [{ thresholds: { r: [90, 30], f: [2, 3], m: [1, 2] } }, /recency \(R\) cut points must be strictly ascending, but 30 follows 90/],
    [{ thresholds: { r: [30], f: [2], m: [1] } }, /needs 2 to 9 cut points/],
    [{ thresholds: { r: [30, Number.NaN], f: [2, 3], m: [1, 2] } }, /not a finite number/],
    [{ abc: { a: 0.95, b: 0.8 } }, /0 < A < B ≤ 1/],
    [{ abc: { b: 1.2 } }, /0 < A < B ≤ 1/],
    [{ lifecycle: { activeDays: 200, silentDays: 180 } }, /must not be shorter than the active window/],
    [{ lifecycle: { newDays: 0 } }, /new window must be a whole number of days/],
    [{ scheme: 'nope' as never }, /unknown segment scheme/],
    [{ scheme: 'custom' as const }, /at least one rule/],
    [{ scheme: 'custom' as const, customRules: [rule({ r: [1, 6] })] }, /1 ≤ min ≤ max ≤ 5/],
    [{ scheme: 'custom' as const, customRules: [rule({ f: [4, 2] })] }, /frequency \(F\) range/],
    [{ scheme: 'custom' as const, customRules: [rule(), rule()] }, /repeats the id "r1"/],
    [{ scheme: 'custom' as const, customRules: [rule({ id: ' ' })] }, /non-empty id/],
    [{ scheme: 'custom' as const, customRules: [rule({ id: 'unassigned' })] }, /reserved id/],
    [{ strategyOverrides: [] as never }, /strategy overrides must be an object/],
    [{ strategyOverrides: { '': { en: 'x' } } }, /empty or invalid key/],
    [{ strategyOverrides: { champions: 'call them' as never } }, /must be an object \{ en\?, zh\? \}/],
    [{ strategyOverrides: { champions: { fr: 'x' } as never } }, /unknown language "fr"/],
    [{ strategyOverrides: { champions: { en: 42 } as never } }, /must be text/],
    [{ strategyOverrides: { champions: { zh: 'x'.repeat(2001) } } }, /keep it under 2000/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveSegmentationOptions(input)).toThrow(message);
  });

  it('keeps valid strategy overrides (any key, either language)', () => {
    const overrides = { champions: { en: 'Call them' }, 'abc:A': { zh: '重点维护' }, 'lifecycle:new': { en: '', zh: '' } };
    expect(resolveSegmentationOptions({ strategyOverrides: overrides }).strategyOverrides).toEqual(overrides);
  });

  it('custom ranges are checked against the threshold levels', () => {
    const thresholds = { r: [30, 90], f: [2, 3], m: [100, 200] }; // 3 levels
    expect(() => resolveSegmentationOptions({ thresholds, scheme: 'custom', customRules: [rule()] })).toThrow(/≤ 3/);
    expect(resolveSegmentationOptions({ thresholds, scheme: 'custom', customRules: [rule({ r: [1, 3], f: [1, 3], m: [2, 3] })] }).scheme).toBe('custom');
  });
});
