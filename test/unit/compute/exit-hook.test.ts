import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { alive } from '../../support/child-processes.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');
let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('a process that exits without closing its pool takes a worker stuck in user code with it', async () => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-exit-hook-'));
  copyFileSync(join(fixtures, 'strategies/test-faulty.mjs'), join(dir, 'test-faulty.mjs'));
  const run = spawnSync(
    process.execPath,
    [join(fixtures, 'compute/exit-with-stuck-worker.ts'), dir],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const pids = run.stdout.trim().split(',').map(Number);
  expect(pids).toHaveLength(1);
  // SIGKILL is delivered asynchronously; allow the kernel a moment to reap.
  for (let i = 0; i < 100 && pids.some(alive); i++) await sleep(20);
  const survivors = pids.filter(alive);
  for (const pid of survivors) process.kill(pid, 'SIGKILL');
  expect(survivors).toEqual([]);
});
