/**
 * How the ComputePool starts worker processes. Node (headless CLI, tests) forks them
 * with child_process; the desktop app passes the Electron utilityProcess host from
 * src/main/utility-process-host.ts. Both run the same worker entry and protocol.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToWorker } from './protocol.ts';

export interface WorkerSpawnOptions {
  /** Shown in process lists and logs, e.g. 'botdesk-compute-0'. */
  name: string;
  /** The complete environment of the worker (see workerEnv). */
  env: Record<string, string>;
  /**
   * The only paths the worker needs to read (see workerReadPaths). A host that can
   * enforce it confines the worker to them.
   */
  readPaths: string[];
  /** Cap on the worker's JavaScript heap (V8 old space), in MB: a runaway strategy dies alone. */
  maxHeapMb?: number;
}

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerProcess {
  readonly pid: number | undefined;
  /** false when the channel is already closed (the exit follows). */
  send(msg: ToWorker): boolean;
  /** Unchecked: the worker runs user code, which can post anything (see isFromWorker). */
  onMessage(listener: (msg: unknown) => void): void;
  /** Resolves once the process is gone, whatever the reason. */
  readonly exited: Promise<WorkerExit>;
  /** Immediate, unconditional kill (SIGKILL). */
  kill(): void;
}

export interface WorkerHost {
  spawn(entry: string, opts: WorkerSpawnOptions): WorkerProcess;
}

/**
 * The worker's environment: nothing inherited, so no API key, token or settings path in
 * process.env can reach strategy code. TZ is kept so date arithmetic matches the host.
 */
export function workerEnv(): Record<string, string> {
  const env: Record<string, string> = { BOTDESK_COMPUTE_WORKER: '1' };
  if (process.env.TZ !== undefined) env.TZ = process.env.TZ;
  return env;
}

/** The folder of the nearest package.json above `file` (the app's root), else the file's folder. */
function packageRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/**
 * The folder of the app's code the entry lives in: `<root>/src` from source, `<root>/out`
 * when built. Not the app root itself, which may hold other things (a portable install
 * keeps its data folder there).
 */
function appCodeDir(entry: string, root: string): string {
  const rel = relative(root, entry);
  const first = rel.split(sep)[0];
  return first === undefined || first === rel || isAbsolute(rel) || first === '..'
    ? dirname(entry)
    : join(root, first);
}

/** The node_modules folder a dependency resolves into (it may be hoisted above the app). */
function dependencyRoot(specifier: string): string {
  const file = fileURLToPath(import.meta.resolve(specifier));
  const at = file.lastIndexOf(`${sep}node_modules${sep}`);
  return at < 0 ? dirname(file) : file.slice(0, at + sep.length + 'node_modules'.length);
}

/**
 * What a worker reads: the app's code folder and package.json, the dependencies strategies
 * use, and the user strategy files (see scanStrategyFolder: files one by one, never the
 * folder, so a symbolic link in it cannot lead elsewhere).
 */
export function workerReadPaths(entry: string, strategyPaths: readonly string[]): string[] {
  const root = packageRoot(entry);
  const paths = [appCodeDir(entry, root)];
  if (existsSync(join(root, 'package.json'))) paths.push(join(root, 'package.json'));
  // Module resolution reads packages through this path even when it is a link elsewhere.
  if (existsSync(join(root, 'node_modules'))) paths.push(join(root, 'node_modules'));
  for (const dependency of ['zod', 'trading-signals']) {
    try {
      paths.push(dependencyRoot(dependency));
    } catch {
      // Not resolvable from here (e.g. inside an asar archive): a host that confines the
      // worker then fails to load it, with the reason; one that does not (utilityProcess)
      // never needed the path.
    }
  }
  paths.push(...strategyPaths);
  return [...new Set(paths)];
}

/**
 * Node's permission model confines each worker to reading `readPaths`: no writes, no child
 * processes, no worker threads, no reading settings, tokens or keys elsewhere on disk (and
 * from Node 25 on, no network: it needs --allow-net, never given). Not under Electron's
 * run-as-node mode, whose support for it is not guaranteed; use the utilityProcess host there.
 */
function confinement(readPaths: string[]): string[] {
  if (process.versions.electron !== undefined) return [];
  return ['--permission', ...readPaths.map((p) => `--allow-fs-read=${p}`)];
}

/** V8 flags capping the worker's heap. */
export function heapLimitArgs(maxHeapMb: number | undefined): string[] {
  return maxHeapMb === undefined ? [] : [`--max-old-space-size=${Math.floor(maxHeapMb)}`];
}

/**
 * Live forked workers. A worker spinning in user code never notices its parent is gone, so
 * however this process ends through process.exit (a second Ctrl-C, a fatal error), its
 * workers are killed synchronously on the way out. (A SIGKILL of this process cannot be
 * caught; Node has no parent-death signal for children.)
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function killLiveChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

export const forkWorkerHost: WorkerHost = {
  spawn(entry, opts) {
    const child = fork(entry, [], {
      env: opts.env,
      // Not the parent's flags (test runners and loaders); Node 24 runs .ts entries as is.
      execArgv: [...confinement(opts.readPaths), ...heapLimitArgs(opts.maxHeapMb)],
      serialization: 'advanced',
      // Worker stdout goes to our stderr: the CLI's stdout may carry JSON.
      stdio: ['ignore', 2, 'inherit', 'ipc'],
    });
    killLiveChildrenOnExit();
    liveChildren.add(child);
    const exited = new Promise<WorkerExit>((resolve) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        resolve({ code, signal });
      });
      // A failed spawn emits 'error' and may never emit 'exit'.
      child.once('error', () => {
        if (child.pid !== undefined) return;
        liveChildren.delete(child);
        resolve({ code: null, signal: null });
      });
    });
    return {
      get pid() {
        return child.pid;
      },
      send(msg) {
        if (!child.connected) return false;
        try {
          return child.send(msg);
        } catch {
          return false;
        }
      },
      onMessage(listener) {
        child.on('message', (m) => listener(m));
      },
      exited,
      kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  },
};
