// Runs test/bench/resegment.ts (TypeScript) through Vite's module runner:
//   node test/bench/resegment.mjs [transactions.csv from scripts/generate-big.mjs]
import { runnerImport } from 'vite';

await runnerImport(new URL('./resegment.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
