/**
 * `botdesk serve` with no token given generates one (mode 0600) and records its URL,
 * so `botdesk status` on the same data folder needs no flags; `--ui-dir` serves a
 * built UI on the same port; `--auth-timeout` closes sockets that never
 * authenticate; SIGINT stops it as cleanly as SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect as netConnect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotStatus } from '../../src/core/api/schemas.ts';
import { runCli } from '../unit/headless/run-cli.ts';
import { startServe, type ServeProcess } from './ws-serve-process.ts';

let dataDir: string;
let uiDir: string;
let serve: ServeProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-serve-'));
  uiDir = mkdtempSync(path.join(tmpdir(), 'botdesk-serve-ui-'));
  writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>served UI</title>');
  serve = await startServe(['--data-dir', dataDir, '--ui-dir', uiDir, '--auth-timeout', '300']);
});

afterAll(async () => {
  await serve?.kill();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(uiDir, { recursive: true, force: true });
});

describe('botdesk serve defaults', () => {
  it('generates a private token file and records the URL in the data folder', () => {
    const tokenFile = path.join(dataDir, 'server-token');
    expect(serve.ready.tokenFile).toBe(tokenFile);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const info = JSON.parse(readFileSync(path.join(dataDir, 'server.json'), 'utf8')) as {
      url: string;
    };
    expect(info.url).toBe(serve.ready.url);
    expect(serve.stderr()).toContain(`token in ${tokenFile} (new)`);
    expect(serve.stderr()).not.toContain(readFileSync(tokenFile, 'utf8').trim());
  });

  it('`botdesk status` on the same data folder finds the server and token by itself', async () => {
    const res = await runCli(['status', '--json', '--data-dir', dataDir]);
    expect(res.code, res.stderr).toBe(0);
    expect(BotStatus.parse(JSON.parse(res.stdout)).state).toBe('idle');
  });

  it('serves the UI over HTTP on the same port, with the CSP', async () => {
    expect(serve.ready.uiUrl).toBe(`${serve.ready.httpUrl}#token=<token>`);
    const res = await fetch(serve.ready.httpUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('served UI');
  });

  it('--auth-timeout closes a socket that sends nothing; a bad value is a usage error', async () => {
    const port = Number(new URL(serve.ready.url).port);
    const socket = netConnect(port, '127.0.0.1');
    socket.on('error', () => {});
    const closed = new Promise((resolve) => socket.once('close', () => resolve('closed')));
    const stillOpen = new Promise((resolve) => setTimeout(() => resolve('open'), 10_000).unref());
    expect(await Promise.race([closed, stillOpen])).toBe('closed');
    socket.destroy();
    const bad = await runCli(['serve', '--auth-timeout', 'soon', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--auth-timeout');
  });

  it('stops on SIGINT with exit code 0 and removes server.json', async () => {
    serve.child.kill('SIGINT');
    const { code } = await serve.exited;
    expect(code, serve.stderr()).toBe(0);
    expect(() => statSync(path.join(dataDir, 'server.json'))).toThrow();
  });
});
