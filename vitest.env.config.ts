import { defineConfig } from 'vitest/config';

/**
 * The environment suites (`npm run test:env`): the packed tarball in throwaway ESM, CJS and
 * TypeScript projects, the library in headless Chromium, and the emulator in an edge-runtime
 * sandbox. The consumer suite packs a clean copy of the sources (so `prepack` builds it); the
 * others use the built package, so the global setup builds `dist/` when it is missing or older
 * than `src/`. `npm test` (vitest.config.ts) does not run them.
 */
export default defineConfig({
  test: {
    include: ['test/{consumers,browser,edge}/**/*.spec.ts'],
    globalSetup: ['vitest.env.setup.ts'],
    // npm install, tsc and a browser start are slow on a busy 2-core machine; these are limits, not expectations.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
