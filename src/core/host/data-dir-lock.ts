/**
 * One BotDesk process per data folder. Two processes on one folder (a `serve` and a `run`,
 * or the app and a CLI) would share one journal and one paper wallet and trade against
 * each other's records; the second one is refused with a clear error instead. A lock left
 * by a process that died is taken over.
 *
 * A pid alone does not name a process: after a crash the pid is reused (in a container
 * BotDesk is pid 1 at every start). The lock therefore records the owner's start time
 * (Linux: field 22 of /proc/<pid>/stat), and a live process with that pid but another
 * start time is not the owner. Within one process, a registry of the folders it holds
 * tells "open here already" from "left by an earlier process that had our pid".
 *
 * A pid means nothing across pid namespaces (two containers sharing the folder through a
 * volume, or a container and the host): each sees the other's pid as its own, as absent,
 * or as some other process. So the owner also holds an OS-level lock, SQLite's exclusive
 * lock on `botdesk.lock.sqlite` (an fcntl lock on POSIX): the kernel releases it when the
 * process dies, and every process on the machine sees it. While it is held the folder is
 * refused whatever the pid file says; once it is free, a lock file written under it is stale.
 * The pid file stays for the message, and decides alone where the OS lock cannot be taken
 * (a file system without locks) or for a lock file of an older BotDesk.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { BotDeskError } from '../api/errors.ts';
import { ensurePrivateDir, preparePrivateFile, PRIVATE_FILE_MODE } from './private-files.ts';

export const LOCK_FILE = 'botdesk.lock';
export const OS_LOCK_FILE = 'botdesk.lock.sqlite';
/** SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock. */
const SQLITE_LOCK_CODES = new Set([5, 6]);

interface LockOwner {
  pid: number;
  /** The owner's start time as /proc/<pid>/stat reports it; absent in older locks and off Linux. */
  start?: string;
  /** The owner held the OS-level lock as well (absent in older locks). */
  os?: boolean;
}

/** Folders this process holds (resolved paths). */
const heldHere = new Set<string>();
/** Their OS locks: a connection only the release refers to would be closed by the GC. */
const osLocks = new Map<string, DatabaseSync>();

function ownerOf(file: string): LockOwner | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      pid?: unknown;
      start?: unknown;
      os?: unknown;
    };
    const pid = Number(data.pid);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    const owner: LockOwner = { pid };
    if (typeof data.start === 'string') owner.start = data.start;
    if (data.os === true) owner.os = true;
    return owner;
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

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function procStat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/** Start time of `pid` in clock ticks since boot (Linux), or null where unknown. */
export function processStartTime(pid: number): string | null {
  // Fields after the name start at field 3 (state); starttime is field 22.
  return procStat(pid)?.[22 - 3] ?? null;
}

/**
 * The thread name and program of `pid` (Linux). Node 24 names its main thread `MainThread`,
 * so the name alone does not tell Node; the program (argv[0]) does.
 */
function processName(pid: number): string | null {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    let program = '';
    try {
      program = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } catch {
      // the thread name is all there is
    }
    return `${comm} ${program.slice(program.lastIndexOf('/') + 1)}`;
  } catch {
    return null;
  }
}

/** Seconds since the epoch at which `pid` started (Linux), from boot time and its start ticks. */
function startedAtSeconds(pid: number): number | null {
  const ticks = Number(processStartTime(pid));
  if (!Number.isFinite(ticks)) return null;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    // USER_HZ is 100 on every Linux architecture Node supports.
    return btime === undefined ? null : Number(btime) + ticks / 100;
  } catch {
    return null;
  }
}

/** Whether the process that wrote the lock `file` still runs. */
function ownerAlive(owner: LockOwner, file: string): boolean {
  if (owner.pid === process.pid) return false; // held here is checked before; else an earlier process with our pid
  if (!running(owner.pid)) return false;
  const start = processStartTime(owner.pid);
  if (start === null) return true; // no /proc: the pid is all we can go by
  if (owner.start !== undefined) return owner.start === start;
  // A lock without a start time (an older BotDesk): a process that started after the lock
  // was written, or that is not Node or Electron at all, cannot have written it.
  const startedAt = startedAtSeconds(owner.pid);
  let writtenAt = Infinity;
  try {
    writtenAt = statSync(file).mtimeMs / 1000;
  } catch {
    // gone meanwhile: treat as written now
  }
  if (startedAt !== null && startedAt > writtenAt + 1) return false;
  const name = processName(owner.pid);
  return name === null || /node|electron|botdesk/i.test(name);
}

function heldElsewhere(dataDir: string, owner: LockOwner | null, osLocked = false): BotDeskError {
  const file = join(dataDir, LOCK_FILE);
  const what = `the data folder ${dataDir} is in use by another BotDesk process`;
  const todo = 'stop that process, or choose another data folder (--data-dir)';
  if (osLocked) {
    // The kernel says the owner lives: deleting a file would not help, and must not be advised.
    const pid = owner ? `, pid ${owner.pid} as its own pid namespace sees it` : '';
    return new BotDeskError(
      'INVALID_STATE',
      `${what} (it holds ${join(dataDir, OS_LOCK_FILE)}${pid}; it may run in another container ` +
        `sharing this folder); ${todo}`,
    );
  }
  const pid = owner ? ` (pid ${owner.pid})` : '';
  const check = owner ? `check with: ps -p ${owner.pid} -o pid,lstart,args` : 'check with ps';
  return new BotDeskError(
    'INVALID_STATE',
    `${what}${pid}; ${todo}. If no BotDesk runs on this folder any more (${check}), delete ${file}`,
  );
}

/**
 * Takes the OS-level lock of the folder: the open connection that holds it, 'busy' when
 * another process holds it, or null where it cannot be taken (no file locks).
 */
function takeOsLock(dataDir: string): DatabaseSync | 'busy' | null {
  let db: DatabaseSync | undefined;
  try {
    const file = join(dataDir, OS_LOCK_FILE);
    preparePrivateFile(file);
    db = new DatabaseSync(file, { timeout: 0 });
    // Held until the connection closes: the transaction is never committed.
    db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE');
    return db;
  } catch (err) {
    db?.close();
    return SQLITE_LOCK_CODES.has(Number((err as { errcode?: unknown }).errcode)) ? 'busy' : null;
  }
}

/** Takes the folder's lock; returns its release. Throws INVALID_STATE when another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  ensurePrivateDir(dataDir);
  const key = resolve(dataDir);
  if (heldHere.has(key)) {
    throw new BotDeskError(
      'INVALID_STATE',
      `the data folder ${dataDir} is already open in this process`,
    );
  }
  const file = join(dataDir, LOCK_FILE);
  const os = takeOsLock(dataDir);
  if (os === 'busy') throw heldElsewhere(dataDir, ownerOf(file), true);
  const me: LockOwner = { pid: process.pid };
  const myStart = processStartTime(process.pid);
  if (myStart !== null) me.start = myStart;
  if (os !== null) me.os = true;
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = ownerOf(file);
        // An owner that held the OS lock is gone now that we hold it.
        const stale = owner === null || (os !== null && owner.os === true);
        if (!stale && ownerAlive(owner, file)) throw heldElsewhere(dataDir, owner);
        unlinkSync(file); // left by a process that is gone
        continue;
      }
      writeSync(fd, JSON.stringify({ ...me, since: new Date().toISOString() }));
      closeSync(fd);
      heldHere.add(key);
      if (os !== null) osLocks.set(key, os);
      return () => {
        if (!heldHere.delete(key)) return;
        const owner = ownerOf(file);
        if (owner?.pid === process.pid && owner.start === me.start) unlinkSync(file);
        osLocks.delete(key);
        os?.close();
      };
    }
  } catch (err) {
    os?.close();
    throw err;
  }
  os?.close();
  throw new BotDeskError('INVALID_STATE', `could not take the lock of the data folder ${dataDir}`);
}
