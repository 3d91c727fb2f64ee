import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { configFromHash, decodeConfig, encodeConfig, parseConfigJson, ShareError } from '../../src/core/share';

describe('share links', () => {
  it('round-trips a full config, Chinese column names included', async () => {
    const config = defaultConfig('zh-CN');
    config.mapping = { customer_id: '会员编号', order_date: '下单时间', amount: '实付"金额' };
    config.policies.cancelledPrefix = 'X';
    config.asOf = '2025-07-01';
    config.read['订单.csv'] = { encoding: 'gb18030', delimiter: ';', header: true, dateFormat: '%d/%m/%Y', decimalComma: true };
    config.segmentation = { ...config.segmentation, bins: 7 };
    const link = await encodeConfig(config);
    expect(link.startsWith('v1.')).toBe(true);
    expect(link).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(await decodeConfig(link)).toEqual(config);
  });

  it('reads the config from a URL fragment', () => {
    expect(configFromHash('#cfg=v1.abc&x=1')).toBe('v1.abc');
    expect(configFromHash('')).toBeNull();
  });

  it('opens links made before a section existed by filling in the defaults', () => {
    const old = { version: 1, locale: 'en', mapping: { customer_id: 'id' }, read: {}, policies: { excludeMissingCustomer: false, netReturns: true, dropDuplicates: true, cancelledPrefix: 'C' }, asOf: null };
    const config = parseConfigJson(JSON.stringify(old));
    expect(config.policies.excludeMissingCustomer).toBe(false);
    expect(config.segmentation).toEqual(defaultConfig().segmentation);
    expect(config.cohorts).toEqual(defaultConfig().cohorts);
  });

  it('refuses damaged, newer, mistyped and oversized links with a reason', async () => {
    await expect(decodeConfig('hello')).rejects.toMatchObject({ key: 'shareError.format' });
    await expect(decodeConfig('v1.@@@')).rejects.toMatchObject({ key: 'shareError.format' });
    await expect(decodeConfig('v1.AAAA')).rejects.toBeInstanceOf(ShareError);
    await expect(decodeConfig('v9.AAAA')).rejects.toMatchObject({ key: 'shareError.version' });
    await expect(decodeConfig('v1.' + 'A'.repeat(70_000))).rejects.toMatchObject({ key: 'shareError.tooLarge' });
    expect(() => parseConfigJson('{"policies": {"netReturns": "yes"}}')).toThrow(/policies.netReturns must be a boolean/);
    expect(() => parseConfigJson('{"mapping": {"customer_id": 5}}')).toThrow(/mapping.customer_id/);
    expect(() => parseConfigJson('{"mapping": {"evil": "x"}}')).toThrow(/unknown role/);
    expect(() => parseConfigJson('{"asOf": "yesterday"}')).toThrow(/asOf/);
    expect(() => parseConfigJson('{"segmentation": {"bins": 99}}')).toThrow(/bins/i);
    expect(() => parseConfigJson('[1,2]')).toThrow(ShareError);
  });

  it('keeps hostile column names as plain data', () => {
    const config = parseConfigJson(JSON.stringify({ mapping: { customer_id: '"; DROP TABLE x; --' } }));
    expect(config.mapping.customer_id).toBe('"; DROP TABLE x; --');
  });
});
