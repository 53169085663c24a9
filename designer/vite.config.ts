import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { nodeDefinitionsOnly } from './vite-node-definitions';

const root = fileURLToPath(new URL('./app/', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/designer/', import.meta.url));

// The designer: one page app served by the studio at / (next to /api).
export default defineConfig({
  root,
  base: '/',
  plugins: [nodeDefinitionsOnly(), react()],
  logLevel: 'warn',
  // Monaco's workers are bundled as ES module workers (lazy: only when a rule is opened).
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 8000,
  },
});
