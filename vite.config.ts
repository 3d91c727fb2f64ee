import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { offlineServiceWorker, precompress } from './build/offline.ts';

// base './' makes every asset URL relative, so dist/ works from any sub-path of any static host.
export default defineConfig({
  base: './',
  plugins: [svelte(), offlineServiceWorker(), precompress()],
  resolve: {
    alias: {
      // The browser build of DuckDB-WASM's synchronous bindings, run inside our own worker.
      // The package does not export this path, so it is aliased explicitly.
      'duckdb-wasm-browser-blocking': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
