/**
 * Sums the JSON reports of every test runner (vitest, Playwright) written to the
 * folder given as argv[2] and prints the closing line CI reads:
 *   tests: N passed, N failed, N skipped
 * Exits 1 when a report is missing or any test failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/** A test file that fails to load has no failed test in it, yet it failed: count it as one. */
function vitestTotals(file: string): Totals {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: Array<{ status: string; assertionResults: Array<{ status: string }> }>;
  };
  const brokenFiles = r.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length;
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + brokenFiles,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

/** Load errors (a spec that throws at import) are top-level `errors`, not test results. */
function playwrightTotals(file: string): Totals {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
    errors?: unknown[];
  };
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: r.stats.unexpected + (r.errors?.length ?? 0),
    skipped: r.stats.skipped,
  };
}

const dir = process.argv[2] ?? 'test-results/ci';
const runners: Array<[string, string, (f: string) => Totals]> = [
  ['vitest', join(dir, 'vitest.json'), vitestTotals],
  ['playwright', join(dir, 'playwright.json'), playwrightTotals],
];
const sum: Totals = { passed: 0, failed: 0, skipped: 0 };
let missing = false;
for (const [name, file, read] of runners) {
  if (!existsSync(file)) {
    console.log(`${name}: no report (${file}) — the runner did not run or crashed`);
    missing = true;
    continue;
  }
  const t = read(file);
  console.log(`${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  sum.passed += t.passed;
  sum.failed += t.failed;
  sum.skipped += t.skipped;
}
console.log(`tests: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
process.exitCode = missing || sum.failed > 0 ? 1 : 0;
