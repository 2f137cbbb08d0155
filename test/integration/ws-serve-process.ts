/** `botdesk serve` as a real child process (the CLI source, run by Node 24 directly). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const CLI = path.resolve(import.meta.dirname, '../../src/headless/cli.ts');

export interface ServeReady {
  url: string;
  httpUrl: string;
  uiUrl: string | null;
  tokenFile: string | null;
  readTokenFile?: string | null;
  /** SHA-256 of the TLS certificate when serving TLS. */
  fingerprint?: string | null;
  pid: number;
}

export interface ServeProcess {
  child: ChildProcess;
  ready: ServeReady;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** SIGKILL if still running (cleanup after a failed test). */
  kill(): Promise<void>;
  /** SIGTERM (the bot stops, workers exit), then SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Start `botdesk serve --port 0 --json ...args` and wait for its ready document. */
export async function startServe(
  args: string[],
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args], {
    env: { ...process.env, BOTDESK_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then(({ code }) =>
      reject(new Error(`botdesk serve exited early (${code}): ${stderr}`)),
    );
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return {
    child,
    ready: JSON.parse(firstLine) as ServeReady,
    exited,
    stderr: () => stderr,
    kill,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>(
        (resolve) => (timer = setTimeout(() => resolve('late'), graceMs)),
      );
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') await kill();
    },
  };
}
