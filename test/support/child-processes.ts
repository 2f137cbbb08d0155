/** Child-process checks shared by the tests (Linux `ps`): nothing may outlive a stop or a close. */
import { execFileSync } from 'node:child_process';

/** pids of the live children of `parent` (this process by default). */
export function childPids(parent = process.pid): number[] {
  try {
    // `ps` is itself a child of this process while it runs: leave it out.
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(parent)], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([pid, comm]) => Number(pid) > 0 && comm !== 'ps')
      .map(([pid]) => Number(pid));
  } catch {
    return []; // ps exits 1 when it lists nothing
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
