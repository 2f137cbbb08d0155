/** Where the compute worker's entry file is, from source (Node runs .ts) or from a bundle. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotDeskError } from '../api/errors.ts';

/**
 * `from` is the URL of the running module: this file when running from source, or the
 * bundle it was inlined into (out/headless/cli.js, out/main/index.js, or a chunk below
 * them) whose folder holds compute-worker.js.
 */
export function resolveWorkerEntry(from: string = import.meta.url): string {
  const here = fileURLToPath(from);
  const dir = dirname(here);
  const candidates = here.endsWith('.ts')
    ? [join(dir, 'worker-entry.ts')]
    : [join(dir, 'compute-worker.js'), join(dir, '..', 'compute-worker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) {
    throw new BotDeskError(
      'COMPUTE_ERROR',
      `compute worker entry not found (looked for ${candidates.join(', ')}); was the app built?`,
    );
  }
  return found;
}
