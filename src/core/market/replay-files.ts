/**
 * Which candle files a replay may read. A replay file comes in a bot config, and a config
 * can come from any client of the contract (a remote WebSocket client too): reading any
 * path it names would let that client probe the server's files. So a replay reads only
 * files the local user chose: the `imports/` folder of the data folder (a bare name means
 * a file there), or a file handed to `allow()` for this machine's user — one named in the
 * desktop app's window (see host/local-replay-files.ts), or `botdesk run --file`.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BotDeskError } from '../api/errors.ts';
import { ensurePrivateDir } from '../host/private-files.ts';

export const IMPORTS_DIR = 'imports';

export interface ReplayFileGate {
  /** `<dataDir>/imports`: files placed there may always be replayed. */
  readonly importsDir: string;
  /** Lets the file at `path` be replayed: only for a path this machine's user chose. Returns it resolved. */
  allow(path: string): string;
  /** The path to read for a configured replay `file`; throws FORBIDDEN for any other place. */
  check(file: string): string;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export function createReplayFileGate(dataDir: string): ReplayFileGate {
  const importsDir = resolve(join(dataDir, IMPORTS_DIR));
  // Made at once, so the user finds the folder the error messages point to.
  ensurePrivateDir(importsDir);
  const chosen = new Set<string>();
  return {
    importsDir,
    allow(path) {
      const abs = resolve(path);
      chosen.add(abs);
      return abs;
    },
    check(file) {
      const abs = isAbsolute(file) ? resolve(file) : resolve(importsDir, file);
      if (chosen.has(abs)) return abs;
      if (!inside(importsDir, abs)) {
        // Refused before touching the path: the answer says nothing about what exists there.
        throw new BotDeskError(
          'FORBIDDEN',
          `replay files are read only from ${importsDir} (copy the file there and give its name) or from a file named on this machine (in the desktop app's window, or botdesk run --file); ${file} is neither`,
        );
      }
      let real: string;
      try {
        real = realpathSync(abs);
      } catch (err) {
        throw new BotDeskError(
          'INVALID_INPUT',
          `cannot read candle file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`,
        );
      }
      if (!inside(realpathSync(importsDir), real)) {
        throw new BotDeskError(
          'FORBIDDEN',
          `${file} leads outside ${importsDir} (a symbolic link?); copy the file itself there`,
        );
      }
      return real;
    },
  };
}
