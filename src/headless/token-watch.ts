/**
 * `botdesk serve` follows its token files: when `botdesk token rotate` replaces
 * them, the server takes the new tokens and disconnects clients still using an
 * old one. fs.watch on the data folder reacts at once; a slow poll backs it up
 * where the folder cannot be watched (some network and container file systems).
 */
import { watch, type FSWatcher } from 'node:fs';
import { toErrorInfo } from '../core/api/errors.ts';
import { READ_TOKEN_FILE, readReadTokenFile, readTokenFile, TOKEN_FILE } from './server-files.ts';

export interface FileTokens {
  token: string;
  readToken: string | undefined;
}

export interface TokenWatchOptions {
  dataDir: string;
  current: FileTokens;
  onChange(tokens: FileTokens): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  pollMs?: number;
}

const DEBOUNCE_MS = 50;

export function watchTokenFiles(opts: TokenWatchOptions): () => void {
  let current = opts.current;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastProblem = '';

  const reload = () => {
    timer = null;
    // Keep serving with the tokens we have; say so once per distinct problem.
    const keep = (what: string, err: unknown) => {
      const problem = `${what}, tokens unchanged: ${toErrorInfo(err).message}`;
      if (problem !== lastProblem) opts.log('error', problem);
      lastProblem = problem;
    };
    let next: FileTokens;
    try {
      const token = readTokenFile(opts.dataDir);
      if (token === null) throw new Error(`${TOKEN_FILE} was removed`);
      next = { token, readToken: readReadTokenFile(opts.dataDir) ?? undefined };
    } catch (err) {
      keep('token files unreadable', err);
      return;
    }
    if (next.token === current.token && next.readToken === current.readToken) {
      lastProblem = '';
      return;
    }
    try {
      // The server may refuse them (e.g. the read-only token made equal to the control one):
      // that must not escape this timer and take the server and its bot down.
      opts.onChange(next);
    } catch (err) {
      keep('new token files refused', err);
      return;
    }
    lastProblem = '';
    current = next;
  };
  const soon = () => {
    timer ??= setTimeout(reload, DEBOUNCE_MS);
  };

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(opts.dataDir, { persistent: false }, (_event, name) => {
      if (name === null || name === TOKEN_FILE || name === READ_TOKEN_FILE) soon();
    });
    watcher.on('error', (err) => opts.log('warn', `cannot watch the token files: ${err.message}`));
  } catch (err) {
    opts.log('warn', `cannot watch the token files (polling instead): ${toErrorInfo(err).message}`);
  }
  const poll = setInterval(soon, opts.pollMs ?? 2000);
  poll.unref();
  return () => {
    watcher?.close();
    clearInterval(poll);
    if (timer !== null) clearTimeout(timer);
  };
}
