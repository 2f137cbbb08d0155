/**
 * The SQLite files of the data folder (journals, the live order ledger, the backtest history)
 * open the same way: private (0600, its -wal and -shm files follow), WAL mode, a busy timeout
 * so another process briefly holding the file (a backup, a sqlite3 shell) makes a commit wait
 * instead of failing, and the durability each file needs.
 */
import { DatabaseSync } from 'node:sqlite';
import { preparePrivateFile } from './private-files.ts';

export interface PrivateDatabaseOptions {
  /**
   * FULL where a commit reported to the user must survive a power loss or OS crash (in WAL
   * mode NORMAL can roll back the last commits then); NORMAL for what can be redone.
   */
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  foreignKeys?: boolean;
}

/** Opens (creating if needed) a private SQLite file; throws what node:sqlite throws. */
export function openPrivateDatabase(file: string, opts: PrivateDatabaseOptions): DatabaseSync {
  preparePrivateFile(file);
  const db = new DatabaseSync(file);
  try {
    db.exec(
      `PRAGMA busy_timeout = ${Math.trunc(opts.busyTimeoutMs)}; PRAGMA journal_mode = WAL; PRAGMA synchronous = ${opts.synchronous};${opts.foreignKeys ? ' PRAGMA foreign_keys = ON;' : ''}`,
    );
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
