/**
 * One BotDesk process per data folder. Two processes on one folder (a `serve` and a `run`,
 * or the app and a CLI) would share one journal and one paper wallet and trade against
 * each other's records; the second one is refused with a clear error instead. A lock left
 * by a process that died is taken over.
 */
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { BotDeskError } from '../api/errors.ts';

export const LOCK_FILE = 'botdesk.lock';

function ownerOf(file: string): number | null {
  try {
    const pid = Number(JSON.parse(readFileSync(file, 'utf8')).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null; // unreadable or half-written: nobody we can wait for
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; returns its release. Throws INVALID_STATE when another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = ownerOf(file);
      if (owner !== null && owner !== process.pid && running(owner)) {
        throw new BotDeskError(
          'INVALID_STATE',
          `the data folder ${dataDir} is in use by another BotDesk process (pid ${owner}); stop it or choose another data folder`,
        );
      }
      if (owner === process.pid) {
        throw new BotDeskError(
          'INVALID_STATE',
          `the data folder ${dataDir} is already open in this process`,
        );
      }
      unlinkSync(file); // left by a process that is gone
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    closeSync(fd);
    return () => {
      if (ownerOf(file) === process.pid) unlinkSync(file);
    };
  }
  throw new BotDeskError('INVALID_STATE', `could not take the lock of the data folder ${dataDir}`);
}
