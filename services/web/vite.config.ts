import { defineConfig } from 'vite';

// Everything is bundled (no CDN): one HTML page, one script, one stylesheet under /app/.
// `pnpm --filter @radar/web dev` proxies the API from RADAR_API (default http://127.0.0.1:8080).
const api = process.env.RADAR_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'app',
  base: '/app/',
  publicDir: false,
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 200,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    proxy: { '/v1': api, '/metrics': api, '/app/taxonomy.json': api },
  },
});
