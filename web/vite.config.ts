import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev --workspace web` serves the console with hot reload and sends
// /api to a CSMS on localhost:8080 (`npm start`).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
