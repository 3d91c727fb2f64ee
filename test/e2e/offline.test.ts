// The hosted build keeps working without a network once visited (service worker), under a
// sub-path, with every non-local request blocked and counted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { numberValue, openApp, type Session, waitReady } from './harness';

let s: Session;

beforeAll(async () => {
  s = await openApp({ basePath: '/workbench/' });
  await waitReady(s.page);
});

afterAll(async () => {
  await s?.close();
});

it('ships pre-compressed assets next to the originals', () => {
  const dist = path.resolve(process.env.DIST_DIR ?? 'dist', 'assets');
  const wasm = fs.readdirSync(dist).filter((f) => f.endsWith('.wasm'));
  expect(wasm.length).toBeGreaterThan(0);
  for (const f of wasm) {
    expect(fs.existsSync(path.join(dist, `${f}.br`))).toBe(true);
    expect(fs.existsSync(path.join(dist, `${f}.gz`))).toBe(true);
  }
});

it('reloads offline and still opens the workbench on the sample', async () => {
  const customers = await numberValue(s.page, 'kpi-customers');
  // The first visit installs the worker; the assets it used are cached as they are fetched.
  await s.page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // Reload once so everything the app needs is fetched through the now-active worker.
  await s.page.reload();
  await waitReady(s.page);
  await s.context.setOffline(true);
  try {
    await s.page.reload();
    await waitReady(s.page);
    expect(await s.page.getAttribute('[data-testid=app-root]', 'data-state')).toBe('ready');
    expect(await numberValue(s.page, 'kpi-customers')).toBe(customers);
  } finally {
    await s.context.setOffline(false);
  }
});

it('made no request outside the local server and logged no console errors', () => {
  expect(s.blocked).toEqual([]);
  expect(s.consoleErrors).toEqual([]);
});
