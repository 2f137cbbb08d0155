import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup/no-unhandled-rejections.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI asks for a JSON report beside the console summary (scripts/ci-totals.ts sums them).
    reporters: process.env.BOTDESK_REPORT_DIR ? ['default', 'json'] : ['default'],
    outputFile: process.env.BOTDESK_REPORT_DIR
      ? { json: `${process.env.BOTDESK_REPORT_DIR}/vitest.json` }
      : undefined,
  },
});
