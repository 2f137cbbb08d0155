import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsPackageClient } from 'ws';
import { connectWs, type WsConnection } from '../../../src/core/api/ws-client.ts';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { WS_PATH, wsProtocols, type ServerFrame } from '../../../src/core/api/ws-protocol.ts';
import type { BotStatus, LogLine } from '../../../src/core/api/schemas.ts';
import {
  startWsServer,
  type WsServer,
  type WsServerOptions,
} from '../../../src/core/transport/ws-server.ts';
import { botStatus } from '../renderer/fixtures.ts';
import { createFakeHost, type FakeHost } from './fake-host.ts';

const TOKEN = 'test-token-0123456789abcdef';

let server: WsServer | null = null;
let conn: WsConnection | null = null;
let host: FakeHost;

async function start(extra: Partial<WsServerOptions> = {}): Promise<WsServer> {
  host = createFakeHost();
  server = await startWsServer({ dispatch: host.dispatch, bus: host.bus, token: TOKEN, ...extra });
  return server;
}

async function connect(s: WsServer, token = TOKEN): Promise<WsConnection> {
  conn = await connectWs({ url: s.url, token });
  return conn;
}

afterEach(async () => {
  await conn?.close();
  conn = null;
  await server?.close();
  server = null;
});

/** A raw upgrade request, to see the HTTP status a refused handshake gets. */
function upgradeStatus(
  s: WsServer,
  headers: Record<string, string>,
  path = WS_PATH,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: s.port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw client (the standard WebSocket) to send frames the typed client never would. */
async function rawClient(
  s: WsServer,
): Promise<{ ws: WebSocket; next: () => Promise<ServerFrame> }> {
  const ws = new WebSocket(s.url, wsProtocols(TOKEN));
  const queue: ServerFrame[] = [];
  const waiters: ((f: ServerFrame) => void)[] = [];
  ws.addEventListener('message', (ev) => {
    const frame = JSON.parse(String(ev.data)) as ServerFrame;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  const next = () => {
    const queued = queue.shift();
    return queued
      ? Promise.resolve(queued)
      : new Promise<ServerFrame>((resolve) => waiters.push(resolve));
  };
  return { ws, next };
}

function closeRaw(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.addEventListener('close', () => resolve());
    ws.close();
  });
}

describe('WebSocket server: handshake', () => {
  it('binds 127.0.0.1 by default and serves the contract to a client with the token', async () => {
    const s = await start();
    expect(s.host).toBe('127.0.0.1');
    expect(s.url).toBe(`ws://127.0.0.1:${s.port}/ws`);
    const { api } = await connect(s);
    const status = await api.bot.status();
    expect(status.state).toBe('idle');
  });

  it('refuses a missing or wrong token at the upgrade with 401', async () => {
    const s = await start();
    expect(await upgradeStatus(s, { 'Sec-WebSocket-Protocol': 'botdesk.v1' })).toBe(401);
    expect(
      await upgradeStatus(s, {
        'Sec-WebSocket-Protocol': 'botdesk.v1, botdesk.token.wrong-token-0123456789',
      }),
    ).toBe(401);
    expect(
      await upgradeStatus(s, { 'Sec-WebSocket-Protocol': `botdesk.v1, botdesk.token.${TOKEN}` }),
    ).toBe(101);
    await expect(connect(s, 'wrong-token-0123456789')).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
    });
    expect(s.clientCount()).toBe(0);
  });

  it('refuses foreign origins and rebinding hosts, allows same-origin and configured origins', async () => {
    const s = await start({ allowedOrigins: ['http://localhost:5173'] });
    const auth = { 'Sec-WebSocket-Protocol': `botdesk.v1, botdesk.token.${TOKEN}` };
    expect(await upgradeStatus(s, { ...auth, Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(s, { ...auth, Origin: `http://127.0.0.1:${s.port}` })).toBe(101);
    expect(await upgradeStatus(s, { ...auth, Origin: 'http://localhost:5173' })).toBe(101);
    expect(
      await upgradeStatus(s, {
        ...auth,
        Host: `evil.example:${s.port}`,
        Origin: `http://evil.example:${s.port}`,
      }),
    ).toBe(403);
    expect(await upgradeStatus(s, auth, '/elsewhere')).toBe(404);
  });
});

describe('WebSocket server: calls', () => {
  it('answers a bad payload with INVALID_INPUT and changes nothing', async () => {
    const s = await start();
    const { api } = await connect(s);
    const before = await api.settings.get();
    const bad = api.settings.set({ ui: { theme: 'purple' } } as never);
    await expect(bad).rejects.toBeInstanceOf(BotDeskError);
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(host.calls.get('settings:set')).toBeUndefined();
    expect(await api.settings.get()).toEqual(before);
    const changed = await api.settings.set({ ui: { theme: 'light' } });
    expect(changed.ui.theme).toBe('light');
  });

  it('answers an unknown channel with NOT_FOUND and malformed frames with INVALID_INPUT, and keeps serving', async () => {
    const s = await start();
    const { ws, next } = await rawClient(s);
    ws.send(JSON.stringify({ t: 'call', id: 7, channel: 'bot:explode', payload: {} }));
    expect(await next()).toMatchObject({
      t: 'result',
      id: 7,
      envelope: { ok: false, error: { code: 'NOT_FOUND' } },
    });
    ws.send('{ not json');
    expect(await next()).toMatchObject({
      t: 'result',
      id: null,
      envelope: { ok: false, error: { code: 'INVALID_INPUT' } },
    });
    ws.send(JSON.stringify([1, 2]));
    expect(await next()).toMatchObject({
      id: null,
      envelope: { error: { code: 'INVALID_INPUT' } },
    });
    ws.send(JSON.stringify({ t: 'call', channel: 'bot:status' }));
    expect(await next()).toMatchObject({
      id: null,
      envelope: { error: { code: 'INVALID_INPUT' } },
    });
    ws.send(JSON.stringify({ t: 'teleport', id: 'x' }));
    expect(await next()).toMatchObject({ id: 'x', envelope: { error: { code: 'INVALID_INPUT' } } });
    ws.send(JSON.stringify({ t: 'sub', event: 'nonsense' }));
    expect(await next()).toMatchObject({ id: null, envelope: { error: { code: 'NOT_FOUND' } } });
    ws.send(JSON.stringify({ t: 'call', id: 8, channel: 'bot:status' }));
    expect(await next()).toMatchObject({
      t: 'result',
      id: 8,
      envelope: { ok: true, data: { state: 'idle' } },
    });
    await closeRaw(ws);
  });

  it('answers a result it cannot serialize with INTERNAL and keeps serving', async () => {
    host = createFakeHost();
    server = await startWsServer({
      dispatch: async (channel, payload) =>
        channel === 'market:sources' ? { ok: true, data: [1n] } : host.dispatch(channel, payload),
      bus: host.bus,
      token: TOKEN,
    });
    const { api } = await connect(server);
    await expect(api.market.sources()).rejects.toMatchObject({ code: 'INTERNAL' });
    expect((await api.bot.status()).state).toBe('idle');
  });

  it('closes a connection that sends a frame above the size limit (1009)', async () => {
    const s = await start({ maxMessageBytes: 1024 });
    const { ws } = await rawClient(s);
    const closed = new Promise<number>((resolve) =>
      ws.addEventListener('close', (ev) => resolve(ev.code)),
    );
    ws.send(
      JSON.stringify({
        t: 'call',
        id: 1,
        channel: 'bot:status',
        payload: { pad: 'x'.repeat(4096) },
      }),
    );
    expect(await closed).toBe(1009);
    const { api } = await connect(s);
    expect((await api.bot.status()).state).toBe('idle');
  });
});

describe('WebSocket server: events', () => {
  it('delivers subscribed events in order, and stops after unsubscribe', async () => {
    const s = await start();
    const { api } = await connect(s);
    const a: LogLine[] = [];
    const b: LogLine[] = [];
    const offA = api.on('log', (line) => a.push(line));
    const offB = api.on('log', (line) => b.push(line));
    await api.bot.status(); // round trip: the server has read our 'sub'
    const line = (i: number): LogLine => ({
      ts: i,
      level: 'info',
      scope: 'test',
      message: `line ${i}`,
    });
    for (let i = 0; i < 200; i++) host.bus.emit('log', line(i));
    await api.bot.status(); // round trip: every event sent before the answer has arrived
    expect(a.map((l) => l.ts)).toEqual([...Array(200).keys()]);
    expect(b).toHaveLength(200);

    offA();
    host.bus.emit('log', line(200));
    await api.bot.status();
    expect(a).toHaveLength(200);
    expect(b).toHaveLength(201);

    offB(); // last listener: the client unsubscribes on the server
    await api.bot.status();
    host.bus.emit('log', line(201));
    await api.bot.status();
    expect(b).toHaveLength(201);
  });

  it('coalesces a burst of status events to at most 10 Hz, latest wins', async () => {
    const s = await start();
    const { api } = await connect(s);
    const seen: BotStatus[] = [];
    api.on('bot:status', (st) => seen.push(st));
    await api.bot.status();

    for (let rev = 1; rev <= 1000; rev++) host.bus.emit('bot:status', botStatus({ rev }));
    await expect.poll(() => seen.at(-1)?.rev, { interval: 20 }).toBe(1000);
    expect(seen.map((st) => st.rev)).toEqual([1, 1000]); // leading edge + trailing edge

    seen.length = 0;
    const started = performance.now();
    for (let rev = 1001; rev <= 1060; rev++) {
      host.bus.emit('bot:status', botStatus({ rev }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const elapsedMs = performance.now() - started;
    await expect.poll(() => seen.at(-1)?.rev, { interval: 20 }).toBe(1060);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 100) + 2);
  });

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const logs: string[] = [];
    const s = await start({
      maxBufferedBytes: 256 * 1024,
      log: (_level, message) => logs.push(message),
    });
    const slow = new WsPackageClient(s.url, wsProtocols(TOKEN));
    await new Promise((resolve) => slow.once('open', resolve));
    slow.send(JSON.stringify({ t: 'sub', event: 'log' }));
    slow.send(JSON.stringify({ t: 'call', id: 1, channel: 'bot:status' }));
    await new Promise((resolve) => slow.once('message', resolve));
    slow.pause();
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 2000 && s.clientCount() > 0; i++) {
      host.bus.emit('log', { ts: i, level: 'info', scope: 'test', message: big });
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(() => s.clientCount()).toBe(0);
    expect(logs.some((m) => m.includes('dropping a slow client'))).toBe(true);
    slow.terminate();
  });
});

describe('WebSocket server: lifecycle', () => {
  it('close() disconnects clients, fails their pending calls and leaves no open handles', async () => {
    const counted = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];
    const handles = () =>
      process.getActiveResourcesInfo().filter((r) => counted.includes(r)).length;
    const baseline = handles();
    const s = await start({ heartbeatMs: 50 });
    const c = await connect(s);
    c.api.on('bot:status', () => {});
    host.bus.emit('bot:status', botStatus({ rev: 1 }));
    host.bus.emit('bot:status', botStatus({ rev: 2 })); // leaves a trailing-edge timer pending
    expect(handles()).toBeGreaterThan(baseline);
    await s.close();
    expect((await c.closed).code).toBe(1001);
    await expect(c.api.bot.status()).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    // At most the baseline: timers an earlier test left behind may expire meanwhile (fewer is fine).
    await expect.poll(handles).toBeLessThanOrEqual(baseline);
    server = null;
  });
});

describe('WebSocket client', () => {
  it('rejects a malformed URL or token with INVALID_INPUT instead of throwing', async () => {
    await expect(connectWs({ url: 'not a url', token: TOKEN })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      connectWs({ url: 'ws://127.0.0.1:1/ws', token: 'has space' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('a payload that is not JSON fails with INVALID_INPUT before it is sent', async () => {
    const s = await start();
    const { api } = await connect(s);
    await expect(api.journal.fills({ limit: 10n } as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect((await api.bot.status()).state).toBe('idle');
  });

  it('rejects with TRANSPORT_ERROR when nothing listens', async () => {
    const s = await start();
    const url = s.url;
    await s.close();
    server = null;
    await expect(connectWs({ url, token: TOKEN })).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
    });
  });
});
