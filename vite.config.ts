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
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // What every screen runs first (React, antd's theme and CSS-in-JS runtime, the zh_CN locale, dayjs): one
            // chunk that changes only when those packages do, so Electron's code cache for it survives app updates.
            // antd's components are left to split by route with the pages that use them.
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|dayjs|stylis|@emotion[\\/]hash|@emotion[\\/]unitless|@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color)|antd[\\/](es|lib)[\\/](locale|config-provider|theme|_util|style|app))[\\/]/,
              priority: 2,
            },
          ],
        },
      },
    },
  },
});
