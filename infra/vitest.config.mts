import { defineConfig } from 'vitest/config';

// Synthesising a variant takes seconds. The test files run in one process without isolation,
// so test/synth.ts synthesises each variant once for all of them; its temporary folders live
// under one folder that test/global-setup.mts makes and removes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.mts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
