/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// React's JSX is compiled by esbuild (automatic runtime), so no React plugin is needed.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  // `npm run dev` serves the app (reloading on change) and sends /api to a running `practica serve`.
  server: {
    proxy: { '/api': process.env.PRACTICA_API_URL ?? 'http://127.0.0.1:8080' },
  },
  build: {
    target: 'es2020',
    // Never inline assets as data: URIs: the server's CSP only trusts files from 'self', and
    // separate files are what the precompression step and long-lived caching work on.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
