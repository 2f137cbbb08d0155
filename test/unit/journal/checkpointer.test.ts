/**
 * The journal's checkpoint thread on its own: it checkpoints only after commits, reports a
 * failure through shared memory (the journal then goes back to SQLite's checkpoints), and
 * close() returns promptly whatever state it is in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from '../../../src/core/journal/checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('WalCheckpointer', () => {
  it('checkpoints after commits only, and leaves the WAL empty once it has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botdesk-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'j.sqlite');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x INTEGER)');
    const c = new WalCheckpointer(file, { intervalMs: 5 });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(c.checkpoints).toBe(0);
      for (let i = 0; i < 50; i++) db.prepare('INSERT INTO t VALUES (?)').run(i);
      c.committed();
      await expect.poll(() => c.checkpoints, { timeout: 10_000 }).toBeGreaterThan(0);
      // Everything the WAL held is in the database file: a PASSIVE checkpoint finds no frame left.
      const left = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as {
        log: number;
        checkpointed: number;
      };
      expect(left.log).toBe(left.checkpointed);
      expect(c.failed).toBe(false);
    } finally {
      c.close();
      db.close();
    }
  });

  it('a thread that cannot open the file reports failed, and close() still returns', async () => {
    const c = new WalCheckpointer('/nonexistent-botdesk-dir/j.sqlite', { intervalMs: 5 });
    await expect.poll(() => c.failed, { timeout: 10_000 }).toBe(true);
    c.close();
    expect(c.failed).toBe(true);
  });
});
