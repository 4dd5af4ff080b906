// Vite builds the Mini App into dist/, which the API serves at /app/ (hence `base`). Preact's JSX goes through
// Vite's own transformer (oxc) with Preact as the JSX import source: @preact/preset-vite would add Babel and
// hot-reload plumbing this small app does not need. In `vite` (development) the API routes are proxied to the local
// API of `npm run dev`, so the app and the API share one origin as they do when the API serves the built files.
import { defineConfig } from 'vite';

const apiOrigin = process.env.CARDGATE_API_ORIGIN ?? 'http://127.0.0.1:8787';

export default defineConfig({
  base: '/app/',
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The budget is checked by scripts/bundle-budget.ts after the build; Vite's own warning is for 500 KB.
    reportCompressedSize: false,
    sourcemap: false,
  },
  server: { proxy: { '/v1': apiOrigin } },
});
