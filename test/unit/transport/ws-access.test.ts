/**
 * What the server lets a connection do: the read-only (watch) token reads and
 * subscribes but cannot control; replacing the tokens closes connections that
 * used an old one (4001) and refuses the old token at the door; the connection
 * cap and the per-connection rate limit refuse with an answer, and each flood of
 * refusals is logged once, not once per refusal; a non-loopback bind needs TLS
 * or an explicit `insecure`.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsPackageClient } from 'ws';
import { connectWs, type WsConnection } from '../../../src/core/api/ws-client.ts';
import {
  WS_CLOSE_TOKEN_REVOKED,
  wsProtocols,
  type ServerFrame,
} from '../../../src/core/api/ws-protocol.ts';
import { createBucket } from '../../../src/core/transport/rate-limit.ts';
import {
  startWsServer,
  type WsServer,
  type WsServerOptions,
} from '../../../src/core/transport/ws-server.ts';
import { makeSelfSignedCert } from '../../support/tls-cert.ts';
import { createFakeHost, type FakeHost } from './fake-host.ts';

const TOKEN = 'control-token-0123456789abcdef';
const READ = 'watch-token-0123456789abcdef';

let server: WsServer | null = null;
const conns: WsConnection[] = [];
let host: FakeHost;
let logs: Array<[string, string]> = [];

async function start(extra: Partial<WsServerOptions> = {}): Promise<WsServer> {
  host = createFakeHost();
  logs = [];
  server = await startWsServer({
    dispatch: host.dispatch,
    bus: host.bus,
    token: TOKEN,
    readToken: READ,
    log: (level, message) => logs.push([level, message]),
    ...extra,
  });
  return server;
}

async function connect(s: WsServer, token: string): Promise<WsConnection> {
  const conn = await connectWs({ url: s.url, token });
  conns.push(conn);
  return conn;
}

afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await server?.close();
  server = null;
});

describe('read-only token', () => {
  it('reads and receives events but is refused every control channel with FORBIDDEN, changing nothing', async () => {
    const s = await start();
    const { api } = await connect(s, READ);
    expect((await api.bot.status()).state).toBe('idle');
    expect(await api.settings.get()).toEqual(host.settings());
    const seen: unknown[] = [];
    api.on('log', (line) => seen.push(line));
    await api.bot.status(); // the sub frame is in before this answer
    host.bus.emit('log', { ts: 1, level: 'info', scope: 't', message: 'hello' });
    await expect.poll(() => seen.length).toBe(1);

    const before = host.settings();
    await expect(api.bot.start({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.bot.stop({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.bot.pause()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.settings.set({ ui: { theme: 'light' } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('read-only'),
    });
    expect(host.calls.get('bot:start')).toBeUndefined();
    expect(host.calls.get('settings:set')).toBeUndefined();
    expect(host.settings()).toEqual(before);

    // the control token may
    const control = await connect(s, TOKEN);
    expect((await control.api.bot.start({})).state).toBe('running');
  });

  it('an unknown channel is still NOT_FOUND for a watcher', async () => {
    const s = await start();
    const ws = new WebSocket(s.url, wsProtocols(READ));
    const frame = new Promise<ServerFrame>((resolve) =>
      ws.addEventListener('message', (ev) => resolve(JSON.parse(String(ev.data)) as ServerFrame)),
    );
    await new Promise((resolve) => ws.addEventListener('open', resolve));
    ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'bot:explode' }));
    expect(await frame).toMatchObject({ id: 1, envelope: { error: { code: 'NOT_FOUND' } } });
    ws.close();
  });

  it('refuses a read token equal to the control token', async () => {
    await expect(start({ readToken: TOKEN })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('token rotation', () => {
  it('closes the connections whose token was replaced (4001), keeps the others, refuses the old token', async () => {
    const s = await start();
    const control = await connect(s, TOKEN);
    const watcher = await connect(s, READ);
    const NEW = 'rotated-control-token-0123456789';
    expect(s.setTokens({ token: NEW, readToken: READ })).toBe(1);
    expect((await control.closed).code).toBe(WS_CLOSE_TOKEN_REVOKED);
    await expect(control.api.bot.status()).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    expect((await watcher.api.bot.status()).state).toBe('idle');
    await expect(connect(s, TOKEN)).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    expect((await (await connect(s, NEW)).api.bot.status()).state).toBe('idle');
    expect(logs.some(([, m]) => m.includes('1 client(s) using an old token disconnected'))).toBe(
      true,
    );
  });
});

describe('connection cap', () => {
  it('refuses connections over the cap with 503, logs the flood once, and accepts again when one closes', async () => {
    const s = await start({ maxConnections: 2 });
    const first = await connect(s, TOKEN);
    await connect(s, TOKEN);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        await new Promise<number>((resolve) => {
          const ws = new WsPackageClient(s.url, wsProtocols(TOKEN));
          ws.on('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
          });
          ws.on('open', () => {
            resolve(101);
            ws.terminate();
          });
          ws.on('error', () => {});
        }),
      );
    }
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
    const capLines = logs.filter(([, m]) => m.includes('connection cap'));
    expect(capLines).toHaveLength(1);
    await first.close();
    await expect.poll(() => s.clientCount()).toBe(1);
    expect((await (await connect(s, TOKEN)).api.bot.status()).state).toBe('idle');
    expect(logs.some(([, m]) => m.includes('connection cap (2) reached: 5 refused in all'))).toBe(
      true,
    );
  });
});

describe('rate limit', () => {
  it('the bucket passes a burst, then refills at the rate', () => {
    const bucket = createBucket({ perSecond: 10, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(10_000)).toBe(true);
  });

  it('answers frames over the limit with an error (not run), logs once per episode, keeps the connection', async () => {
    const s = await start({ rateLimit: { perSecond: 1, burst: 5 } });
    const ws = new WsPackageClient(s.url, wsProtocols(TOKEN));
    const frames: ServerFrame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
    await new Promise((resolve) => ws.once('open', resolve));
    for (let id = 1; id <= 20; id++)
      ws.send(JSON.stringify({ t: 'call', id, channel: 'bot:start', payload: {} }));
    await expect.poll(() => frames.length).toBe(20);
    const ok = frames.filter((f) => f.t === 'result' && f.envelope.ok);
    const limited = frames.filter(
      (f) => f.t === 'result' && !f.envelope.ok && f.envelope.error.message.includes('rate limit'),
    );
    expect(ok).toHaveLength(5);
    expect(limited).toHaveLength(15);
    expect(limited.map((f) => (f as { id: number }).id)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 6),
    );
    expect(host.calls.get('bot:start')).toBe(5);
    expect(logs.filter(([, m]) => m.includes('over the rate limit'))).toHaveLength(1);
    expect(s.clientCount()).toBe(1);
    ws.terminate();
  });
});

describe('binding and TLS', () => {
  const cert = makeSelfSignedCert();
  afterAll(() => rmSync(cert.dir, { recursive: true, force: true }));

  it('refuses a non-loopback bind without TLS unless insecure is said', async () => {
    await expect(start({ host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('--insecure'),
    });
    const s = await start({ host: '0.0.0.0', insecure: true });
    expect(s.url.startsWith('ws://')).toBe(true);
  });

  it('serves wss:// with the certificate and reports its fingerprint', async () => {
    const s = await start({ host: '0.0.0.0', tls: { cert: cert.cert, key: cert.key } });
    expect(s.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(s.fingerprint).toBe(cert.fingerprint);
    // the standard WebSocket does not trust a self-signed certificate: it cannot connect
    await expect(
      connectWs({ url: s.url, token: TOKEN, connectTimeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
    });
  });
});
