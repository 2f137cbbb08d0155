/**
 * What a compute worker may read of the user strategy folder, decided in the main process
 * before any user code runs. Node's permission model follows symbolic links inside an
 * allowed folder wherever they lead (a `ln -s ..` in strategies/ would expose the server
 * token). A folder without such a link is granted whole (files saved later load without
 * a restart); one with a link leading out is granted file by file and clean subfolder by
 * clean subfolder, after a realpath check, and the link is refused by name.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export interface StrategyFolderScan {
  /** Top-level entries the worker may load (it picks the .js/.mjs/.ts ones). */
  names: string[];
  /** Top-level entries refused, with the reason (shown in the strategy list). */
  refused: Record<string, string>;
  /** Paths the worker may read: the folder, or (when it holds a link leading out) its safe entries. */
  readPaths: string[];
  /** Problems that are not a strategy of their own (a subfolder holding a link outside). */
  warnings: string[];
}

const LEADS_OUT =
  'is a symbolic link leading outside the strategies folder; refused (copy the file into the folder instead)';
/** Bounds on the walk of subfolders (helper modules), so a huge tree cannot stall a start. */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 10_000;

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The first symbolic link under `dir` whose target lies outside `root`, or null. */
function escapingLink(dir: string, root: string): string | null {
  let seen = 0;
  const walk = (at: string, depth: number): string | null => {
    if (depth > MAX_DEPTH) return at;
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) return at;
      const path = join(at, entry.name);
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(path);
        } catch {
          continue; // dangling: leads nowhere readable
        }
        if (!inside(root, real)) return path;
      } else if (entry.isDirectory()) {
        const found = walk(path, depth + 1);
        if (found !== null) return found;
      }
    }
    return null;
  };
  return walk(dir, 0);
}

export function scanStrategyFolder(dir: string): StrategyFolderScan {
  const scan: StrategyFolderScan = { names: [], refused: {}, readPaths: [], warnings: [] };
  let root: string;
  let entries: string[];
  try {
    root = realpathSync(dir);
    entries = readdirSync(dir);
  } catch {
    return scan; // no folder: no user strategies
  }
  for (const name of entries.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue; // a dangling link or a file removed meanwhile
    }
    if (!inside(root, real)) {
      scan.refused[name] = LEADS_OUT;
      continue;
    }
    const isLink = lstatSync(path).isSymbolicLink();
    if (statSync(real).isDirectory()) {
      const link = escapingLink(real, root);
      if (link !== null) {
        scan.warnings.push(
          `strategies/${name} is not readable by strategies: ${relative(dir, link) || name} is a symbolic link leading outside the strategies folder (or the folder is too deep)`,
        );
        continue;
      }
    } else {
      scan.names.push(name);
    }
    scan.readPaths.push(path);
    if (isLink || real !== path) scan.readPaths.push(real);
  }
  if (Object.keys(scan.refused).length === 0 && scan.warnings.length === 0)
    scan.readPaths = [...new Set([dir, root])];
  return scan;
}
