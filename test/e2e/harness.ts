// E2E harness: serves the built dist/ with Vite's preview server on 127.0.0.1 and drives
// Debian's Chromium with playwright-core. Every request that is not to our own server is
// aborted and recorded, so tests can assert the app never reaches the network.
import { preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test-results');

export interface Session {
  server: PreviewServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  blocked: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openApp(options: { basePath?: string; locale?: string; suffix?: string } = {}): Promise<Session> {
  const basePath = options.basePath ?? '/';
  const server = await preview({
    base: basePath,
    // DIST_DIR lets several builds be tested side by side (default: dist/).
    build: { outDir: process.env.DIST_DIR ?? 'dist' },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'silent',
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  const baseUrl = `${origin}${basePath}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: options.locale ?? 'en-US' });
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  // The context sees requests from pages and their workers alike.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:') && !blocked.includes(url)) blocked.push(url);
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await page.goto(baseUrl + (options.suffix ?? ''));
  return {
    server,
    browser,
    context,
    page,
    baseUrl,
    blocked,
    consoleErrors,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

export async function waitReady(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="app-root"]')?.getAttribute('data-state');
      return s === 'ready' || s === 'error';
    },
    undefined,
    { timeout },
  );
}

export async function value(page: Page, testid: string): Promise<string | null> {
  return page.getAttribute(`[data-testid="${testid}"]`, 'data-value');
}

export async function numberValue(page: Page, testid: string): Promise<number> {
  const v = await value(page, testid);
  if (v === null) throw new Error(`no data-value on ${testid}`);
  return Number(v);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
