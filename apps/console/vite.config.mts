/**
 * The web console's build: `npm run build` writes it to dist/console, which the API serves at `/`
 * (apps/api/src/console/console-assets.ts). Everything is bundled: the console loads nothing from elsewhere.
 */
import { env } from 'node:process';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // `npm run console:dev`: the API calls go to the engine (AIMS_URL, default the local one), as when it serves the console.
  server: { proxy: { '/v1': env.AIMS_URL ?? 'http://127.0.0.1:3000' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline module-preload polyfill: the Content-Security-Policy allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    // One bundle, 150 KB gzipped: the budget (250 KB gzipped) is what counts, measured by npm run console:size.
    chunkSizeWarningLimit: 700,
  },
});
