import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

// The gateway is the platform's single entry point; the dev and preview servers forward API and
// WebSocket traffic to it so the browser sees one origin (no CORS), as it does in production.
const GATEWAY_URL = process.env.SAGAMART_GATEWAY_URL ?? 'http://127.0.0.1:8080';

const gatewayProxy: Record<string, ProxyOptions> = {
  '/api': { target: GATEWAY_URL, changeOrigin: true },
  '/ws': { target: GATEWAY_URL, changeOrigin: true, ws: true },
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: { proxy: gatewayProxy },
  preview: { proxy: gatewayProxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change far less often than the app: separate chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
              priority: 20,
            },
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/, priority: 15 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
