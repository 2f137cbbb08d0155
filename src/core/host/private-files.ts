/**
 * The data folder holds the journal, settings, the server token and downloaded history:
 * nobody but its owner should read them. Every file and folder BotDesk creates there
 * goes through these helpers, so the folder is 0700 and its files 0600 whatever the
 * umask, and a later file (a new database, a new state file) follows by using them.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const isWindows = process.platform === 'win32';

/** Narrows an existing path to `mode` when others can reach it (Windows has no such bits). */
function tighten(path: string, mode: number): void {
  if (isWindows) return;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Creates `dir` (and missing parents) and makes `dir` itself 0700, also when it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600 (no-op when it does not exist). */
export function tightenPrivateFile(file: string): void {
  tighten(file, PRIVATE_FILE_MODE);
}

/**
 * Makes sure `file` exists with mode 0600 before a library opens it. SQLite gives its -wal
 * and -shm files the mode of the database file, so a database prepared here stays private.
 */
export function preparePrivateFile(file: string): void {
  // SQLite's in-memory and temporary databases have no file.
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return;
  try {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  } catch (err) {
    // A path the library handles itself (':memory:', a read-only medium) is left to it.
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') return;
    throw err;
  }
  tightenPrivateFile(file);
}

/** writeFileSync with mode 0600 (the mode also applies when the file already existed). */
export function writePrivateFileSync(
  file: string,
  data: string,
  opts: { flag?: string } = {},
): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE, ...opts });
  tightenPrivateFile(file);
}

/** The async twin of writePrivateFileSync. */
export async function writePrivateFile(file: string, data: string): Promise<void> {
  await writeFile(file, data, { mode: PRIVATE_FILE_MODE });
  tightenPrivateFile(file);
}
