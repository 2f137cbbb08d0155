import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside, UI_CSP } from '../../../src/core/transport/static-site.ts';
import { startWsServer, type WsServer } from '../../../src/core/transport/ws-server.ts';
import { createFakeHost } from './fake-host.ts';

let dir: string;
let server: WsServer;

function get(
  pathname: string,
  opts: { method?: string; host?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: pathname,
        method: opts.method ?? 'GET',
        headers: opts.host ? { Host: opts.host } : {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'botdesk-static-'));
  const root = path.join(dir, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>BotDesk</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(path.join(dir, 'server-token'), 'secret');
  symlinkSync(path.join(dir, 'server-token'), path.join(root, 'leak.txt'));
  const host = createFakeHost();
  server = await startWsServer({
    dispatch: host.dispatch,
    bus: host.bus,
    token: 'static-test-token-0123',
    staticRoot: root,
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('static UI serving', () => {
  it('serves index.html at / with a strict CSP and no referrer', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(UI_CSP);
    expect(UI_CSP).not.toMatch(/unsafe-(eval|inline)/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('<title>BotDesk</title>');
  });

  it('gives assets their content types', async () => {
    expect((await get('/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await get('/assets/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('never serves files outside the root', async () => {
    for (const p of [
      '/../server-token',
      '/%2e%2e/server-token',
      '/assets/..%2f..%2fserver-token',
      '/leak.txt',
      '/assets/%00x',
      '/..%5cserver-token',
    ]) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.body).not.toContain('secret');
    }
    expect(resolveInside('/srv/ui', '/a/../../etc/passwd')).toBeNull();
    expect(resolveInside('/srv/ui', '/assets/app.js')).toBe('/srv/ui/assets/app.js');
  });

  it('answers other methods with 405 and foreign Host headers with 403', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { host: 'rebound.example' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses to start without a built UI', async () => {
    const host = createFakeHost();
    await expect(
      startWsServer({
        dispatch: host.dispatch,
        bus: host.bus,
        token: 'static-test-token-0123',
        staticRoot: path.join(dir, 'missing'),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
