import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: false },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The bin only wires runCli to the process (argv, signals, stdout); runCli itself is tested.
      // The inspector page runs in a browser: it is tested in Chromium (test/browser/inspector.spec.ts).
      exclude: ['src/cli/bin.ts', 'src/inspector/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
