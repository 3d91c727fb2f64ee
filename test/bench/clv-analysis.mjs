// Runs test/bench/clv-analysis.ts (TypeScript) through Vite's module runner: `node test/bench/clv-analysis.mjs`.
import { runnerImport } from 'vite';

await runnerImport(new URL('./clv-analysis.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
