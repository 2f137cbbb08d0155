/**
 * The desktop app's WorkerHost: compute workers as Electron utility processes (a Node
 * environment without Electron APIs, tracked by Chromium's process model). Same worker
 * entry and protocol as the Node fork host in src/core/compute/host.ts.
 */
import { utilityProcess } from 'electron';
import type { WorkerExit, WorkerHost } from '../core/compute/host.ts';
import type { FromWorker } from '../core/compute/protocol.ts';

export function createUtilityProcessHost(): WorkerHost {
  return {
    spawn(entry, opts) {
      const child = utilityProcess.fork(entry, [], {
        env: opts.env,
        serviceName: opts.name,
        // Worker output ends up in the app's log stream, like the main process's.
        stdio: 'inherit',
      });
      let gone = false;
      const exited = new Promise<WorkerExit>((resolve) => {
        child.once('exit', (code) => {
          gone = true;
          resolve({ code, signal: null });
        });
      });
      return {
        get pid() {
          return child.pid;
        },
        send(msg) {
          if (gone) return false;
          child.postMessage(msg);
          return true;
        },
        onMessage(listener) {
          child.on('message', (m: unknown) => listener(m as FromWorker));
        },
        exited,
        kill() {
          if (gone) return;
          // utilityProcess.kill() sends SIGTERM; a worker stuck in a loop must go at once.
          try {
            if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
            else child.kill();
          } catch {
            // Already exited; the 'exit' event is on its way.
          }
        },
      };
    },
  };
}
