// Runs test/bench/resegment-browser.ts through Vite's module runner:
//   DIST_DIR=<build> node test/bench/resegment-browser.mjs [transactions.csv]
import { runnerImport } from 'vite';

await runnerImport(new URL('./resegment-browser.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
