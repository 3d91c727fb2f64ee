// Runs test/bench/clv-fit.ts (TypeScript) through Vite's module runner: `node test/bench/clv-fit.mjs`.
import { runnerImport } from 'vite';

await runnerImport(new URL('./clv-fit.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' });
