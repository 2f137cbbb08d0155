import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { createCoreHost } from '../../../src/core/host/core-host.ts';
import { LOCK_FILE, lockDataDir } from '../../../src/core/host/data-dir-lock.ts';
import { createConfSettingsStore } from '../../../src/core/settings/store.ts';

const holder = join(import.meta.dirname, '../../fixtures/host/hold-lock.ts');
let dir: string;
let child: ChildProcess | null = null;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = null;
  rmSync(dir, { recursive: true, force: true });
});

async function holdInAnotherProcess(): Promise<ChildProcess> {
  const c = spawn(process.execPath, [holder, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(c.stdout!, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('locked\n');
  return c;
}

describe('one process per data folder', () => {
  it('refuses a folder another live process holds, naming it; takes it over once that process is gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    child = await holdInAnotherProcess();
    let refused: unknown = null;
    try {
      lockDataDir(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(BotDeskError);
    expect((refused as BotDeskError).code).toBe('INVALID_STATE');
    expect((refused as BotDeskError).message).toContain(`pid ${child.pid}`);

    // Killed without a chance to clean up: the lock file stays, and is stale.
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const release = lockDataDir(dir);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a half-written lock file does not block anyone', () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    writeFileSync(join(dir, LOCK_FILE), '{"pi');
    lockDataDir(dir)();
  });

  it('the core host holds the lock while open and releases it on close, and after a failed open', async () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    const host = await createCoreHost({
      dataDir: dir,
      settings: createConfSettingsStore(dir),
      resume: false,
    });
    expect(() => lockDataDir(dir)).toThrow(/already open in this process/);
    await expect(
      createCoreHost({ dataDir: dir, settings: createConfSettingsStore(dir), resume: false }),
    ).rejects.toThrow(/already open/);
    await host.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await createCoreHost({
      dataDir: dir,
      settings: createConfSettingsStore(dir),
      resume: false,
    });
    await again.close();
  });
});
