/**
 * How the ComputePool starts worker processes. Node (headless CLI, tests) forks them
 * with child_process; the desktop app passes the Electron utilityProcess host from
 * src/main/utility-process-host.ts. Both run the same worker entry and protocol.
 */
import { fork } from 'node:child_process';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface WorkerSpawnOptions {
  /** Shown in process lists and logs, e.g. 'botdesk-compute-0'. */
  name: string;
  /** The complete environment of the worker (see workerEnv). */
  env: Record<string, string>;
}

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerProcess {
  readonly pid: number | undefined;
  /** false when the channel is already closed (the exit follows). */
  send(msg: ToWorker): boolean;
  onMessage(listener: (msg: FromWorker) => void): void;
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

export const forkWorkerHost: WorkerHost = {
  spawn(entry, opts) {
    const child = fork(entry, [], {
      env: opts.env,
      // Not the parent's flags (test runners and loaders); Node 24 runs .ts entries as is.
      execArgv: [],
      serialization: 'advanced',
      // Worker stdout goes to our stderr: the CLI's stdout may carry JSON.
      stdio: ['ignore', 2, 'inherit', 'ipc'],
    });
    const exited = new Promise<WorkerExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // A failed spawn emits 'error' and may never emit 'exit'.
      child.once('error', () => {
        if (child.pid === undefined) resolve({ code: null, signal: null });
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
        child.on('message', (m) => listener(m as FromWorker));
      },
      exited,
      kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  },
};
