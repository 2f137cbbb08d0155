/**
 * User strategy files a compute worker must not import: links leading out of the folder
 * (strategy-folder.ts), and files that killed or hung a worker while it imported them.
 * A worker reports each file before importing it; when it dies or misses its deadline
 * meanwhile, the pool blames that file here and starts the worker again without it, so
 * one bad file costs one restart, is listed with the reason, and the others still load.
 * Verdicts hold for the file as it is (mtime and size): saving it tries again. They are
 * kept for the life of the process, so the next pool (the next start, the strategy list)
 * does not pay for the same file again.
 */
import { resolve } from 'node:path';
import type { UserFolder } from './protocol.ts';
import { scanStrategyFolder } from './strategy-folder.ts';

type Verdicts = Map<string, { reason: string; stamp: string }>;

const byFolder = new Map<string, Verdicts>();

function verdictsOf(dir: string): Verdicts {
  const key = resolve(dir);
  let verdicts = byFolder.get(key);
  if (verdicts === undefined) byFolder.set(key, (verdicts = new Map()));
  return verdicts;
}

/** Blames `file` (a name in `dir`) at `stamp` for `reason`. */
export function blameUserFile(dir: string, file: string, stamp: string, reason: string): void {
  verdictsOf(dir).set(file, { reason, stamp });
}

/** The folder as a worker gets it, and the paths it may read there. */
export function userFolderFor(dir: string): {
  folder: UserFolder;
  readPaths: string[];
  warnings: string[];
} {
  const scan = scanStrategyFolder(dir);
  const skip: UserFolder['skip'] = {};
  for (const [name, reason] of Object.entries(scan.refused)) skip[name] = { reason };
  for (const [name, verdict] of verdictsOf(dir)) skip[name] ??= { ...verdict };
  return {
    folder: { dir, names: scan.names, skip },
    readPaths: scan.readPaths,
    warnings: scan.warnings,
  };
}
