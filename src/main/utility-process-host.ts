/**
 * The desktop app's WorkerHost: compute workers as Electron utility processes (a Node
 * environment without Electron APIs, tracked by Chromium's process model). Same worker
 * entry and protocol as the Node fork host in src/core/compute/host.ts.
 */
import { createInterface } from 'node:readline';
import { utilityProcess } from 'electron';
import { heapLimitArgs, type WorkerExit, type WorkerHost } from '../core/compute/host.ts';

export interface UtilityProcessHostOptions {
  /**
   * Where the workers' stdout (info) and stderr (warn) lines go, prefixed with the worker's
   * name — e.g. the app's log, so a user strategy's console output or a crash trace is
   * seen in the UI. Without it, workers share the app's own stdout and stderr.
   */
  log?: (level: 'info' | 'warn', message: string) => void;
}

export function createUtilityProcessHost(hostOpts: UtilityProcessHostOptions = {}): WorkerHost {
  const { log } = hostOpts;
  return {
    spawn(entry, opts) {
      const child = utilityProcess.fork(entry, [], {
        // Replaces the app's environment (Electron inherits it only when env is empty;
        // workerEnv() never is).
        env: opts.env,
        serviceName: opts.name,
        execArgv: heapLimitArgs(opts.maxHeapMb),
        stdio: log ? 'pipe' : 'inherit',
      });
      let gone = false;
      let killOnSpawn = false;
      const exited = new Promise<WorkerExit>((resolve) => {
        child.once('exit', (code) => {
          gone = true;
          resolve({ code, signal: null });
        });
      });
      const hardKill = () => {
        // utilityProcess.kill() sends SIGTERM; a worker stuck in a loop must go at once.
        try {
          if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
          else child.kill();
        } catch {
          // Already exited; the 'exit' event is on its way.
        }
      };
      // The pid (and kill()) exist only once the process has spawned: a kill asked for
      // before that (a pool closed right after starting) happens then.
      child.once('spawn', () => {
        if (killOnSpawn && !gone) hardKill();
      });
      if (log) {
        const forward = (stream: NodeJS.ReadableStream | null, level: 'info' | 'warn') => {
          if (stream === null) return;
          createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
            log(level, `${opts.name}[${child.pid ?? '?'}]: ${line}`),
          );
        };
        forward(child.stdout, 'info');
        forward(child.stderr, 'warn');
        // V8 fatal errors (out of memory, ...): 'exit' follows, this says why.
        child.on('error', (type, location) =>
          log('warn', `${opts.name}[${child.pid ?? '?'}]: ${type} at ${location}`),
        );
      }
      return {
        get pid() {
          return child.pid;
        },
        send(msg) {
          // Never after 'exit': older Electrons crash the main process on such a postMessage.
          if (gone) return false;
          // Messages posted before 'spawn' are queued by Electron and delivered once it runs.
          child.postMessage(msg);
          return true;
        },
        onMessage(listener) {
          child.on('message', (m: unknown) => listener(m));
        },
        exited,
        kill() {
          if (gone) return;
          if (child.pid === undefined) killOnSpawn = true;
          else hardKill();
        },
      };
    },
  };
}
