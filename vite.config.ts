import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The renderer bundle. `base: './'` so the built index.html loads its assets relative to itself (Electron's custom
 * protocol or file://, and the e2e harness's static server). CANTEEN_RENDERER_OUT overrides the output folder so the
 * e2e harness can build into a temp dir without touching dist/.
 */
export default defineConfig({
  root: path.join(here, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: process.env.CANTEEN_RENDERER_OUT ?? path.join(here, 'dist/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
