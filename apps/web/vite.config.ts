import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway is the single entry point of the platform; the dev server forwards API and
// WebSocket traffic to it so the browser sees one origin (no CORS, same cookies).
const GATEWAY_URL = process.env.SAGAMART_GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: GATEWAY_URL, changeOrigin: true },
      '/ws': { target: GATEWAY_URL, changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: GATEWAY_URL, changeOrigin: true },
      '/ws': { target: GATEWAY_URL, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
