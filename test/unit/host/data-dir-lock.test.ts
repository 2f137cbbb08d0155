import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { createCoreHost } from '../../../src/core/host/core-host.ts';
import {
  LOCK_FILE,
  lockDataDir,
  OS_LOCK_FILE,
  processStartTime,
} from '../../../src/core/host/data-dir-lock.ts';
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

  it('a live holder in another pid namespace (a container sharing the folder) is not taken over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    child = await holdInAnotherProcess();
    // Seen from here, a BotDesk in another pid namespace (pid 1 of a container) names a pid
    // that is ours, absent, or another process: the pid file alone cannot tell it is alive.
    for (const owner of [
      { pid: 1, start: '1' },
      { pid: process.pid, start: '1' },
      { pid: 4_000_000 },
    ]) {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(owner));
      expect(() => lockDataDir(dir)).toThrow(/in use by another BotDesk process/);
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    lockDataDir(dir)();
  });

  it('refusing a live holder says what to do', async () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    child = await holdInAnotherProcess();
    expect(() => lockDataDir(dir)).toThrow(/stop that process, or choose another data folder/);
    // The OS says it lives: deleting the lock file is not advised.
    expect(() => lockDataDir(dir)).toThrow(`holds ${join(dir, OS_LOCK_FILE)}`);
    expect(() => lockDataDir(dir)).not.toThrow(/delete/);
  });

  it('an older lock file naming a live BotDesk-like process, without the OS lock, is refused with the way out', async () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    await new Promise((r) => setTimeout(r, 1100)); // the lock is written after it started
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid }));
    expect(() => lockDataDir(dir)).toThrow(/stop that process, or choose another data folder/);
    expect(() => lockDataDir(dir)).toThrow(`delete ${join(dir, LOCK_FILE)}`);
  });
});

describe.runIf(process.platform === 'linux')('a reused pid does not block the data folder', () => {
  async function otherProcess(): Promise<ChildProcess> {
    const c = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(c, 'spawn');
    return c;
  }

  it('records the owner start time in the lock', () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    const release = lockDataDir(dir);
    const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, start: processStartTime(process.pid) });
    release();
  });

  it('a lock left by an earlier process that had this pid (BotDesk as a container pid 1) is taken over', () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, start: '1' }));
    lockDataDir(dir)();
    // An older lock without a start time, too.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid }));
    lockDataDir(dir)();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock whose pid now belongs to another running process is taken over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'botdesk-lock-'));
    child = await otherProcess();
    const file = join(dir, LOCK_FILE);
    // The dead owner had this pid, but started at another time.
    const start = String(Number(processStartTime(child.pid!)) - 500);
    writeFileSync(file, JSON.stringify({ pid: child.pid, start }));
    lockDataDir(dir)();
    // An older lock (no start time) written before that process started.
    writeFileSync(file, JSON.stringify({ pid: child.pid }));
    const anHourAgo = Date.now() / 1000 - 3600;
    utimesSync(file, anHourAgo, anHourAgo);
    lockDataDir(dir)();
    // An older lock naming a process that is not BotDesk at all (pid 1 is an init or a shell).
    writeFileSync(file, JSON.stringify({ pid: child.pid }));
    lockDataDir(dir)();
  });
});
