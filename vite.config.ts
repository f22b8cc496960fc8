/**
 * The web client build. Sources live in client/ (its own Vite root); the build goes to dist/client,
 * which the Front End serves. `npm run dev` style work: run the server, then `npx vite` here, which
 * proxies the API, /healthz and the SIP WebSocket to it.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = `http://127.0.0.1:${process.env.OCS_HTTP_PORT || 8080}`;

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The CSP forbids inline scripts: keep the modulepreload polyfill out of index.html.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      output: {
        // Libraries change less often than our code: separate chunks stay cached across releases.
        manualChunks(id) {
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (id.includes('node_modules/sip.js/')) return 'sip';
          return undefined;
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
      '/sip': { target: backend, ws: true, changeOrigin: false },
    },
  },
});
