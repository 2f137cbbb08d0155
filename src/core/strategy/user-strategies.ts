/**
 * Loads user strategy files (ES modules in `<dataDir>/strategies`). This executes user
 * code, so it is imported only by compute workers — never by the main process, which
 * asks a worker to describe them (see listStrategies in strategy/registry.ts).
 *
 * A file's default export is a strategy definition, or a function that receives
 * `{ z, indicators }` (zod and the trading-signals library, which a file in the data
 * folder cannot import itself) and returns one.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as indicators from 'trading-signals';
import { z } from 'zod';
import type { StrategyInfo } from '../api/schemas.ts';
import { describeStrategy } from './definition.ts';
import type { StrategyDefinition } from './types.ts';

const USER_STRATEGY_EXTENSIONS = ['.js', '.mjs'];
/** Not loaded, but listed with what to do: a TypeScript file dropped in is an easy mistake. */
const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];

const userStrategyKit = { z, indicators };
type UserStrategyKit = typeof userStrategyKit;

const isFunction = (v: unknown): boolean => typeof v === 'function';
const isZodObject = (v: unknown): boolean => {
  const def = (v as { _zod?: { def?: { type?: unknown } } } | null)?._zod?.def;
  return def?.type === 'object' && typeof (v as { safeParse?: unknown }).safeParse === 'function';
};

const DefinitionShape = z.object({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,63}$/,
      'id must be 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
    ),
  name: z.string().min(1, 'name must not be empty'),
  description: z.string(),
  params: z.custom(
    isZodObject,
    'params must be a zod object schema, e.g. z.object({ period: z.number().default(14) })',
  ),
  indicators: z.array(z.string().min(1)),
  warmup: z.custom(isFunction, 'warmup must be a function (params) => number'),
  create: z.custom(isFunction, 'create must be a function (params) => { update(candle) }'),
});

export interface UserStrategyLoad {
  definitions: StrategyDefinition[];
  /** One entry per file: the described strategy, or a placeholder carrying `error`. */
  infos: StrategyInfo[];
}

function errorInfo(file: string, message: string): StrategyInfo {
  return {
    id: basename(file, extname(file)),
    name: basename(file),
    description: '',
    origin: 'user',
    paramsSchema: {},
    warmup: 0,
    error: `${basename(file)}: ${message}`,
  };
}

function loadErrorMessage(err: unknown): string {
  if (err instanceof SyntaxError) return `syntax error: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Validates a module's default export; throws an Error whose message says what is wrong. */
function checkUserDefinition(exported: unknown): StrategyDefinition {
  if (exported === undefined)
    throw new Error(
      'no default export (export default { id, name, ... } or a function returning it)',
    );
  const value =
    typeof exported === 'function'
      ? (exported as (kit: UserStrategyKit) => unknown)(userStrategyKit)
      : exported;
  const shape = DefinitionShape.safeParse(value);
  if (!shape.success) {
    throw new Error(
      `not a strategy definition: ${shape.error.issues.map((i) => `${i.path.join('.') || 'export'}: ${i.message}`).join('; ')}`,
    );
  }
  const def = value as StrategyDefinition;
  const defaults = def.params.safeParse({});
  if (!defaults.success)
    throw new Error('every parameter needs a default (params.parse({}) failed)');
  const warmup = def.warmup(defaults.data);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new Error(`warmup(defaults) must return a non-negative integer, got ${String(warmup)}`);
  const instance: unknown = def.create(defaults.data);
  if (typeof (instance as { update?: unknown } | null)?.update !== 'function')
    throw new Error('create(params) must return an object with an update(candle) method');
  return def;
}

export interface LoadUserStrategiesOptions {
  /** The folder's entries, when the caller lists it (a confined worker cannot). Default: readdir. */
  names?: readonly string[];
  /** Entries not to import, with the reason; with a `stamp`, only while the file is unchanged. */
  skip?: Readonly<Record<string, { reason: string; stamp?: string }>>;
  /** Called (and awaited) before each file is imported, with its name and stamp (mtime-size). */
  onLoading?: (name: string, stamp: string) => void | Promise<void>;
}

/** Loads every *.js / *.mjs file of `dir` (a missing folder means no user strategies). */
export async function loadUserStrategies(
  dir: string,
  reservedIds: ReadonlySet<string>,
  opts: LoadUserStrategiesOptions = {},
): Promise<UserStrategyLoad> {
  let names: string[];
  try {
    names = opts.names ? [...opts.names] : await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { definitions: [], infos: [] };
    throw err;
  }
  const skip = opts.skip ?? {};
  const files = names
    .filter(
      (n) =>
        !n.startsWith('.') &&
        !n.endsWith('.d.ts') &&
        [...USER_STRATEGY_EXTENSIONS, ...TYPESCRIPT_EXTENSIONS].includes(extname(n)),
    )
    .sort();
  // Refused entries are listed whatever their extension (a link named like a strategy or not).
  for (const [name, verdict] of Object.entries(skip))
    if (verdict.stamp === undefined && !files.includes(name)) files.push(name);
  const definitions: StrategyDefinition[] = [];
  const infos: StrategyInfo[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    const verdict = skip[name];
    if (verdict !== undefined && verdict.stamp === undefined) {
      infos.push(errorInfo(file, verdict.reason));
      continue;
    }
    if (TYPESCRIPT_EXTENSIONS.includes(extname(name))) {
      // The source of a compiled file beside it is fine where it is.
      const stem = basename(name, extname(name));
      if (USER_STRATEGY_EXTENSIONS.some((ext) => names.includes(stem + ext))) continue;
      infos.push(
        errorInfo(
          file,
          'TypeScript is not loaded: compile it to an ES module .js file (tsc --module nodenext, or esbuild --format=esm) and put that here',
        ),
      );
      continue;
    }
    try {
      const st = await stat(file);
      const stamp = `${st.mtimeMs}-${st.size}`;
      // Known to kill or hang the worker when imported, and unchanged since: not again.
      if (verdict !== undefined && verdict.stamp === stamp) {
        infos.push(errorInfo(file, verdict.reason));
        continue;
      }
      await opts.onLoading?.(name, stamp);
      // ESM caches modules by URL: a changed file gets a new URL so a reload sees the new code.
      const url = `${pathToFileURL(file).href}?v=${stamp}`;
      const mod = (await import(url)) as { default?: unknown };
      const def = checkUserDefinition(mod.default);
      if (reservedIds.has(def.id))
        throw new Error(`id '${def.id}' is taken by a built-in strategy`);
      const other = seen.get(def.id);
      if (other !== undefined) throw new Error(`id '${def.id}' is already defined by ${other}`);
      const info = describeStrategy(def, 'user');
      seen.set(def.id, name);
      definitions.push(def);
      infos.push(info);
    } catch (err) {
      infos.push(errorInfo(file, loadErrorMessage(err)));
    }
  }
  return { definitions, infos };
}
