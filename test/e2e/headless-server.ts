/**
 * A real `botdesk serve --ui` child process for UI tests: its own data folder,
 * a free port, the built renderer, stopped with SIGTERM (and awaited) after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TOKEN = 'e2e-token-0123456789abcdef';

export interface HeadlessServer {
  httpUrl: string;
  dataDir: string;
  /** stderr lines so far, for failure messages */
  log: string[];
  stop(): Promise<void>;
}

/** $BOTDESK_CLI, else the built CLI when `npm run build` ran, else the source (Node 24 runs .ts). */
function cliPath(): string {
  if (process.env.BOTDESK_CLI) return resolve(ROOT, process.env.BOTDESK_CLI);
  const built = join(ROOT, 'out/headless/cli.js');
  return existsSync(built) ? built : join(ROOT, 'src/headless/cli.ts');
}

export async function startHeadlessServer(): Promise<HeadlessServer> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('out/renderer/index.html is missing: run `npm run build` before the UI tests');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [cliPath(), 'serve', '--port', '0', '--ui', '--data-dir', dataDir, '--json'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BOTDESK_DATA_DIR: dataDir, BOTDESK_TOKEN: TOKEN },
    },
  );
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => log.push(line));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const httpUrl = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`botdesk serve did not start within 30 s:\n${log.join('\n')}`)),
      30_000,
    );
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      let httpUrl: unknown;
      try {
        httpUrl = (JSON.parse(line) as { httpUrl?: unknown }).httpUrl;
      } catch {
        // reported below
      }
      if (typeof httpUrl === 'string') done(httpUrl);
      else fail(new Error(`unexpected first line from botdesk serve: ${line}\n${log.join('\n')}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`botdesk serve exited with ${code}:\n${log.join('\n')}`));
    });
  });

  return {
    httpUrl,
    dataDir,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000)),
      ]);
      if (code === 'hung') child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
