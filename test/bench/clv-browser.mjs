// Runs test/bench/clv-browser.ts through Vite's module runner: `DIST_DIR=<build> node test/bench/clv-browser.mjs`.
import { runnerImport } from 'vite';

await runnerImport(new URL('./clv-browser.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
