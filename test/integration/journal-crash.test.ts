/**
 * No acknowledged fill is lost: a real child process commits ticks (the journal's
 * checkpoint thread running every 2 ms, so WAL restarts and checkpoints are under way) and
 * prints each tick right after its commit returns; it is SIGKILLed at an arbitrary moment,
 * three times over on the same file. After each kill the journal opens and holds every fill
 * of every tick printed, and nothing of a tick that was not committed in full.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/core/journal/journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'botdesk-journal-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOOP = join(import.meta.dirname, '../fixtures/journal/commit-loop.ts');

/** Runs the loop from `first` until `ticks` more ticks are acknowledged, then SIGKILLs it. */
function commitThenKill(
  file: string,
  first: number,
  ticks: number,
): Promise<{ acked: number[]; checkpoints: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOOP, file, String(first)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let checkpoints = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [t, c] = line.split(' ').map(Number);
        acked.push(t!);
        checkpoints = c!;
      }
      if (acked.length >= ticks && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, checkpoints });
      else reject(new Error(`the loop exited by itself (${code}): ${stderr}`));
    });
  });
}

describe('journal crash', () => {
  it('SIGKILL right after commits loses no acknowledged fill, with checkpoints running', async () => {
    const file = join(dir, 'journal-paper.sqlite');
    let first = 0;
    let checkpointsSeen = 0;
    for (let round = 0; round < 3; round++) {
      const { acked, checkpoints } = await commitThenKill(file, first, 150 + 50 * round);
      checkpointsSeen = Math.max(checkpointsSeen, checkpoints);
      expect(acked.length).toBeGreaterThanOrEqual(150);
      const j = new Journal(file);
      try {
        const stored = new Set(j.fills(1_000_000).map((f) => f.id));
        const lost = acked.flatMap((t) =>
          Array.from({ length: 10 }, (_, i) => `t${t}-o${i}-f`).filter((id) => !stored.has(id)),
        );
        expect(lost).toEqual([]);
        // A tick is all there or not at all: at most the one in flight beyond what was printed.
        const last = acked.at(-1)!;
        expect(stored.size % 10).toBe(0);
        expect(stored.size / 10 - (last + 1)).toBeGreaterThanOrEqual(0);
        expect(stored.size / 10 - (last + 1)).toBeLessThanOrEqual(1);
        first = stored.size / 10;
      } finally {
        j.close();
      }
    }
    // The kills landed while the checkpoint thread was at work.
    expect(checkpointsSeen).toBeGreaterThan(0);
  }, 60_000);
});
