// Deployment and failure paths of the built app: a sub-path, a file larger than a tab can
// hold, cancelling a long load, UTF-16 text and a customer-attributes file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberValue, openApp, screenshot, type Session, waitReady } from './harness';

let s: Session;

beforeAll(async () => {
  s = await openApp({ basePath: '/workbench/' });
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

/** Give the app a File built inside the page, as if the user had picked it. */
async function pickInPage(build: string): Promise<void> {
  await s.page.evaluate((source) => {
    const file = new Function(`return (${source})()`)() as File;
    const dt = new DataTransfer();
    dt.items.add(file);
    const input = document.querySelector<HTMLInputElement>('[data-testid=file-input]')!;
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, build);
}

async function settle(): Promise<void> {
  await s.page
    .waitForFunction(() => document.querySelector('[data-testid=app-root]')?.getAttribute('data-state') !== 'ready', undefined, { timeout: 5_000 })
    .catch(() => undefined);
  await waitReady(s.page);
}

describe('served under /workbench/', () => {
  it('loads the sample from the sub-path with every asset relative', async () => {
    expect(s.page.url()).toContain('/workbench/');
    expect(await numberValue(s.page, 'kpi-customers')).toBeGreaterThan(0);
  });

  it('refuses a file beyond what a tab can hold, naming the limit, and keeps the data', async () => {
    const customers = await numberValue(s.page, 'kpi-customers');
    // 1.6 GB made of one 1 MB part repeated: the browser does not copy it.
    await pickInPage(`() => { const part = new Blob([new Uint8Array(1024 * 1024)]); return new File(Array(1600).fill(part), 'huge-export.csv', { type: 'text/csv' }); }`);
    await settle();
    const error = s.page.locator('[data-testid=error]');
    expect(await error.getAttribute('data-code')).toBe('limit');
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('huge-export.csv');
    expect(text).toContain('1.5 GB');
    expect(await numberValue(s.page, 'kpi-customers')).toBe(customers);
    await screenshot(s.page, 'error-too-large');
    await s.page.click('[data-testid=error] button');
  });

  it('cancels a long load and keeps what was loaded before', async () => {
    const customers = await numberValue(s.page, 'kpi-customers');
    // ~1.5M generated rows: long enough to cancel while it is being read.
    await pickInPage(`() => {
      const lines = ['customer_id,order_date,amount'];
      for (let i = 0; i < 50000; i++) lines.push('C' + (i % 997) + ',2024-0' + (1 + (i % 9)) + '-1' + (i % 10) + ',' + (i % 100) + '.5');
      const chunk = new Blob([lines.slice(1).join('\\n') + '\\n']);
      return new File([lines[0] + '\\n', ...Array(30).fill(chunk)], 'long.csv', { type: 'text/csv' });
    }`);
    await s.page.waitForSelector('[data-testid=cancel]', { timeout: 30_000 });
    await s.page.click('[data-testid=cancel]');
    await waitReady(s.page);
    expect(await s.page.getAttribute('[data-testid=error]', 'data-code')).toBe('cancelled');
    expect(await numberValue(s.page, 'kpi-customers')).toBe(customers);
    expect(await s.page.getAttribute('[data-testid=app-root]', 'data-state')).toBe('ready');
    await s.page.click('[data-testid=error] button');
  });

  it('reads UTF-16 text with a BOM and joins a customer-attributes file', async () => {
    // Transactions in UTF-16LE with BOM; attributes in UTF-8.
    await pickInPage(`() => {
      const text = '客户ID,日期,金额\\nK1,2024-01-05,10\\nK2,2024-01-06,20\\nK1,2024-02-01,5\\n';
      const bytes = new Uint8Array(2 + text.length * 2);
      bytes[0] = 0xff; bytes[1] = 0xfe;
      for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); bytes[2 + 2 * i] = c & 0xff; bytes[3 + 2 * i] = c >> 8; }
      return new File([bytes], 'utf16.csv');
    }`);
    await settle();
    // K1: 10 + 5, K2: 20.
    expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(35, 9);
    expect(await numberValue(s.page, 'kpi-customers')).toBe(2);
    expect(await numberValue(s.page, 'kpi-orders')).toBe(3);
    await pickInPage(`() => new File(['客户ID,会员等级,城市\\nK1,金卡,上海\\nK3,银卡,北京\\n'], 'members.csv', { type: 'text/csv' })`);
    await settle();
    await s.page.click('[data-testid=tab-quality]');
    // 2 customers in the attributes file, 1 of them (K1) has transactions.
    await screenshot(s.page, 'attributes-quality');
    const attrs = (await s.page.textContent('[data-testid=customer-attributes]')) ?? '';
    expect(attrs).toContain('members.csv');
    expect(attrs).toMatch(/2 customers \(1 matched/);
    // The transactions are unchanged by the attributes file.
    expect(await numberValue(s.page, 'quality-rows-read')).toBe(3);
  });

  it('replaces a first file whose columns it could not understand when the right one is dropped', async () => {
    await s.page.goto(s.baseUrl);
    await waitReady(s.page);
    await pickInPage(`() => new File(['a,b,c\\n1,2,3\\n4,5,6\\n'], 'wrong.csv', { type: 'text/csv' })`);
    await settle();
    await s.page.waitForSelector('[data-testid=overview-unmapped]');
    await pickInPage(`() => new File(['customer_id,order_date,amount\\nA,2024-01-05,10\\nB,2024-01-06,20\\nA,2024-02-01,5\\n'], 'right.csv', { type: 'text/csv' })`);
    await settle();
    // A: 10 + 5, B: 20 — the right file alone; the wrong one is gone from the file list.
    expect(await numberValue(s.page, 'kpi-revenue')).toBeCloseTo(35, 9);
    expect(await numberValue(s.page, 'kpi-customers')).toBe(2);
    await s.page.click('[data-testid=tab-files]');
    const files = await s.page.$$eval('[data-testid=file-card]', (cards) => cards.map((c) => c.textContent ?? ''));
    expect(files).toHaveLength(1);
    expect(files[0]).toContain('right.csv');
  });

  it('reads a large file with a total line at its end once, as text, having probed it first', async () => {
    // ~5 MB: 200,000 rows whose amounts the sniffer types as numbers, then "TOTAL …, n/a". Without
    // the probe the typed read meets the total line and the file is read again ("again as text").
    const own = await openApp();
    try {
      await waitReady(own.page);
      await own.page.evaluate(() => {
        const w = window as unknown as { progressTexts: string[] };
        w.progressTexts = [];
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid=progress]')?.textContent;
          if (text) w.progressTexts.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await own.page.evaluate(() => {
        const lines = ['customer_id,order_date,amount'];
        for (let i = 1; i <= 200000; i++) lines.push('C' + (i % 1000) + ',2024-01-' + String(1 + (i % 28)).padStart(2, '0') + ',' + i + '.00');
        lines.push('TOTAL,2024-01-31,n/a');
        const dt = new DataTransfer();
        dt.items.add(new File([lines.join('\n') + '\n'], 'with-total.csv', { type: 'text/csv' }));
        const input = document.querySelector<HTMLInputElement>('[data-testid=file-input]')!;
        input.files = dt.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await own.page.waitForFunction(() => document.querySelector('[data-testid=sample-badge]') === null, undefined, { timeout: 60_000 });
      await waitReady(own.page);
      const texts = await own.page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
      expect(texts.some((t) => t.includes('with-total.csv'))).toBe(true);
      expect(texts.filter((t) => t.includes('again as text'))).toEqual([]);
      await own.page.click('[data-testid=tab-quality]');
      expect(await numberValue(own.page, 'quality-rows-read')).toBe(200_001);
      expect(await numberValue(own.page, 'quality-bad-amount')).toBe(1);
      expect(own.blocked).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('made no request outside the local server and logged no console errors', () => {
    expect(s.blocked).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
