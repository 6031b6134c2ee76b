import { defineConfig } from 'vitest/config';

// Synthesising an app takes a few seconds; each test file synthesises once and shares it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
