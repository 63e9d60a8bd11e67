import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the Carloop server under /app/ (apps/server/src/http/web-console.ts).
// In `npm run dev -w @carloop/web`, API calls go to a server on CARLOOP_API (default :3000).
const api = process.env.CARLOOP_API ?? 'http://127.0.0.1:3000';
const apiPrefixes = ['/parties', '/assets', '/composition', '/ledger', '/subjects', '/log', '/health'];

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  // Hashed files go under /app/static/ (cached forever); /app/assets/… is the console's own asset pages.
  build: { outDir: 'dist', assetsDir: 'static', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: Object.fromEntries(apiPrefixes.map((prefix) => [prefix, api])) },
});
