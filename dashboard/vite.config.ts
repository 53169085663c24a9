import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./app/', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/dashboard/', import.meta.url));

// The site dashboard: one page app served by the runtime at /dashboard.
export default defineConfig({
  root,
  base: '/dashboard/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
  },
});
