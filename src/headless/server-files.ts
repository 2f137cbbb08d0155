/**
 * The files `botdesk serve` leaves in the data folder for `botdesk status` and
 * operators: `server-token` (mode 0600, generated once) and `server.json` (where
 * the running server listens; removed on a clean stop).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BotDeskError } from '../core/api/errors.ts';
import { TOKEN_PATTERN } from '../core/api/ws-protocol.ts';
import {
  ensurePrivateDir,
  tightenPrivateFile,
  writePrivateFileSync,
} from '../core/host/private-files.ts';
import { stringOption, UsageError, type OptionSpec, type OptionValues } from './command.ts';

export const DEFAULT_PORT = 8745;
export const TOKEN_FILE = 'server-token';
export const SERVER_FILE = 'server.json';
/** The read-only (watch) token: status, journals and events, no control. */
export const READ_TOKEN_FILE = 'server-token-read';

export interface ServerInfo {
  url: string;
  httpUrl: string;
  pid: number;
  startedAt: number;
  /** Where the server's tokens come from: rotating the files reaches it only in the first case. */
  tokens?: 'files' | 'environment';
  /** SHA-256 fingerprint of its TLS certificate, when it serves TLS. */
  fingerprint?: string | null;
}

function tokenProblem(source: string): string {
  return `the token from ${source} must be 16 to 256 characters of A-Z a-z 0-9 - _ . ~`;
}

export function checkToken(token: string, source: string): string {
  if (!TOKEN_PATTERN.test(token)) throw new BotDeskError('INVALID_INPUT', tokenProblem(source));
  return token;
}

/**
 * The token given on the command line: `--token-file FILE` (its first line). A token as a
 * command-line value would show in `ps` to every user of the machine, so `--token` only
 * says where to put it instead.
 */
export function tokenOption(values: OptionValues): string | undefined {
  if (stringOption(values, 'token') !== undefined)
    throw new UsageError(
      '--token would show the token to every user of this machine (ps); put it in a file and pass --token-file FILE, or set $BOTDESK_TOKEN',
    );
  const file = stringOption(values, 'token-file');
  if (file === undefined) return undefined;
  if (file.trim() === '') throw new UsageError('--token-file needs a file name');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--token-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const token = text.split(/\r?\n/, 1)[0]!.trim();
  // The file's content is never quoted: it may be anything.
  if (!TOKEN_PATTERN.test(token)) throw new UsageError(tokenProblem(`--token-file ${file}`));
  return token;
}

/** The option pair `serve` and `status` share. */
export const TOKEN_OPTIONS = {
  'token-file': {
    type: 'string',
    valueName: 'FILE',
    description: 'read the token from the first line of FILE (or set $BOTDESK_TOKEN)',
  },
  token: {
    type: 'string',
    valueName: 'TOKEN',
    description: 'refused: a token on the command line shows in ps; use --token-file',
  },
} as const satisfies Record<string, OptionSpec>;

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function ensureDataDir(dataDir: string): void {
  ensurePrivateDir(dataDir);
}

/** The saved token, or null when there is none yet. */
export function readTokenFile(dataDir: string): string | null {
  const file = path.join(dataDir, TOKEN_FILE);
  const text = readIfExists(file);
  return text === null ? null : checkToken(text.trim(), file);
}

/** The saved read-only token, or null when there is none yet. */
export function readReadTokenFile(dataDir: string): string | null {
  const file = path.join(dataDir, READ_TOKEN_FILE);
  const text = readIfExists(file);
  return text === null ? null : checkToken(text.trim(), file);
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Replace a token file atomically (write aside, then rename), mode 0600: a server
 * watching the folder never reads a half-written token.
 */
export function writeTokenFile(dataDir: string, name: string, token: string): string {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, name);
  const aside = `${file}.${process.pid}.tmp`;
  writePrivateFileSync(aside, `${checkToken(token, 'a new token')}\n`);
  renameSync(aside, file);
  return file;
}

/** The saved token; generated (256 random bits, base64url) and saved with mode 0600 on first use. */
export function loadOrCreateToken(
  dataDir: string,
  name: string = TOKEN_FILE,
): {
  token: string;
  file: string;
  created: boolean;
} {
  const file = path.join(dataDir, name);
  const text = readIfExists(file);
  const existing = text === null ? null : checkToken(text.trim(), file);
  if (existing !== null) {
    // A token readable by others is not a secret: tighten it rather than trust it silently.
    tightenPrivateFile(file);
    return { token: existing, file, created: false };
  }
  ensureDataDir(dataDir);
  const token = newToken();
  writePrivateFileSync(file, `${token}\n`, { flag: 'wx' });
  return { token, file, created: true };
}

export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  writePrivateFileSync(path.join(dataDir, SERVER_FILE), `${JSON.stringify(info, null, 2)}\n`);
}

export function readServerInfo(dataDir: string): ServerInfo | null {
  const text = readIfExists(path.join(dataDir, SERVER_FILE));
  if (text === null) return null;
  try {
    const info = JSON.parse(text) as Partial<ServerInfo>;
    return typeof info.url === 'string' ? (info as ServerInfo) : null;
  } catch {
    return null;
  }
}

/** Remove server.json if it still describes this process (a newer server may have replaced it). */
export function removeServerInfo(dataDir: string, pid: number): void {
  if (readServerInfo(dataDir)?.pid === pid)
    rmSync(path.join(dataDir, SERVER_FILE), { force: true });
}
