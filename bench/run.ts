/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process, one after the
 * other (so they do not compete for the 2 cores), and prints one JSON document keyed by area.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const results: Record<string, unknown> = {};
let failed = false;
for (const file of files) {
  const area = file.replace(/\.bench\.ts$/, '');
  process.stderr.write(`bench: ${area}…\n`);
  const run = spawnSync(process.execPath, [join(dir, file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    results[area] = JSON.parse(run.stdout);
  } catch {
    failed = true;
    results[area] = {
      error: `exit ${run.status}; stdout was not JSON`,
      stdout: run.stdout.slice(0, 2000),
    };
  }
  if (run.status !== 0) failed = true;
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
