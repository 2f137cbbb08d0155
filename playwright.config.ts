/**
 * UI tests in Debian's Chromium (never `npx playwright install`), one worker:
 * each test starts real BotDesk processes. CI asks for a JSON report
 * (BOTDESK_REPORT_DIR) that scripts/ci-totals.ts sums with vitest's.
 */
import { defineConfig, type ReporterDescription } from '@playwright/test';

const reportDir = process.env.BOTDESK_REPORT_DIR;
const reporter: ReporterDescription[] = reportDir
  ? [['list'], ['json', { outputFile: `${reportDir}/playwright.json` }]]
  : [['list']];

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter,
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
});
