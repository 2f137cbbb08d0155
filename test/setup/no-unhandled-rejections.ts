/**
 * Any unhandled promise rejection or uncaught exception during a test file fails
 * the suite: the engine must never leave one behind.
 */
import { afterAll } from 'vitest';

const seen: unknown[] = [];
const onRejection = (reason: unknown) => seen.push(reason);
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onRejection);

afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onRejection);
  if (seen.length > 0) {
    throw new Error(
      `unhandled rejection/exception during tests: ${seen
        .map((r) => (r instanceof Error ? (r.stack ?? r.message) : String(r)))
        .join('\n')}`,
    );
  }
});
