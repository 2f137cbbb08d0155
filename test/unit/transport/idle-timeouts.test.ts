/**
 * Timeouts of `botdesk serve`'s server, with real sockets on 127.0.0.1 and the
 * deadlines shortened through options: a socket that does not authenticate (no
 * TLS handshake, no request, headers trickled in) is closed after the auth
 * deadline instead of Node's 60–120 s; an idle HTTP keep-alive socket is closed
 * after keepAliveTimeoutMs; an authenticated WebSocket that answers pings stays
 * open however long it is idle, and one that stops answering is dropped.
 * Bounds are generous (seconds): the deadlines are a few hundred milliseconds.
 */
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsPackageClient } from 'ws';
import { connectWs } from '../../../src/core/api/ws-client.ts';
import { wsProtocols } from '../../../src/core/api/ws-protocol.ts';
import {
  startWsServer,
  type WsServer,
  type WsServerOptions,
} from '../../../src/core/transport/ws-server.ts';
import { makeSelfSignedCert } from '../../support/tls-cert.ts';
import { createFakeHost } from './fake-host.ts';

const TOKEN = 'timeout-token-0123456789abcdef';
const AUTH_MS = 300;
/** Far below Node's defaults (60 s headers, 120 s TLS handshake), far above AUTH_MS. */
const CLOSED_WITHIN_MS = 5000;
const cert = makeSelfSignedCert('timeouts');
let server: WsServer | null = null;
const sockets: Array<{ destroy(): void }> = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = null;
});
afterAll(() => rmSync(cert.dir, { recursive: true, force: true }));

async function start(extra: Partial<WsServerOptions> = {}): Promise<WsServer> {
  const host = createFakeHost();
  server = await startWsServer({
    dispatch: host.dispatch,
    bus: host.bus,
    token: TOKEN,
    authTimeoutMs: AUTH_MS,
    ...extra,
  });
  return server;
}

/** Resolves when the server closes the socket; the test fails if it stays open. */
function closedByServer(socket: Socket): Promise<void> {
  sockets.push(socket);
  socket.on('error', () => {});
  socket.resume();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

const within = <T>(promise: Promise<T>, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: still open`)), CLOSED_WITHIN_MS).unref(),
    ),
  ]);

describe('serve timeouts: sockets that never authenticate', () => {
  it('a socket that sends nothing is closed after the auth deadline', async () => {
    const s = await start();
    const socket = netConnect(s.port, '127.0.0.1');
    await within(closedByServer(socket), 'silent socket');
  });

  it('headers trickled in without end are cut off too', async () => {
    const s = await start();
    const socket = netConnect(s.port, '127.0.0.1');
    const closed = closedByServer(socket);
    socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n`);
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 50);
    try {
      await within(closed, 'slow headers');
    } finally {
      clearInterval(drip);
    }
  });

  it('over TLS: no handshake, or a handshake and then silence, is closed', async () => {
    const s = await start({ tls: { cert: cert.cert, key: cert.key } });
    const raw = netConnect(s.port, '127.0.0.1');
    const handshaken = tlsConnect({ host: '127.0.0.1', port: s.port, rejectUnauthorized: false });
    sockets.push(handshaken);
    await new Promise((resolve) => handshaken.once('secureConnect', resolve));
    await within(
      Promise.all([closedByServer(raw), closedByServer(handshaken as unknown as Socket)]),
      'TLS sockets',
    );
  });

  it('an idle HTTP keep-alive socket is closed after keepAliveTimeoutMs', async () => {
    const s = await start({ keepAliveTimeoutMs: 200, authTimeoutMs: 60_000 });
    const socket = netConnect(s.port, '127.0.0.1');
    const closed = closedByServer(socket);
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: keep-alive\r\n\r\n`);
    await within(closed, 'keep-alive socket');
  });

  it('a refused socket still leaves room for a real client, which works', async () => {
    const s = await start();
    const status = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: s.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(404);
    const conn = await connectWs({ url: s.url, token: TOKEN });
    expect((await conn.api.bot.status()).state).toBe('idle');
    await conn.close();
  });
});

describe('serve timeouts: authenticated sockets', () => {
  it('an idle session that answers pings outlives the auth deadline', async () => {
    const s = await start({ heartbeatMs: 100 });
    const conn = await connectWs({ url: s.url, token: TOKEN });
    let closed = false;
    void conn.closed.then(() => (closed = true));
    // Several auth deadlines and heartbeats pass without a frame from the client.
    await new Promise((resolve) => setTimeout(resolve, AUTH_MS * 4));
    expect(closed).toBe(false);
    expect(s.clientCount()).toBe(1);
    expect((await conn.api.bot.status()).state).toBe('idle');
    await conn.close();
  });

  it('a peer that stops answering pings is dropped', async () => {
    const logs: string[] = [];
    const s = await start({ heartbeatMs: 100, log: (_level, message) => logs.push(message) });
    const mute = new WsPackageClient(s.url, wsProtocols(TOKEN), { autoPong: false });
    sockets.push({ destroy: () => mute.terminate() });
    await new Promise((resolve) => mute.once('open', resolve));
    expect(s.clientCount()).toBe(1);
    await within(
      new Promise((resolve) => mute.once('close', resolve)),
      'a peer that does not answer pings',
    );
    await expect.poll(() => s.clientCount()).toBe(0);
    expect(logs.some((m) => m.includes('stopped answering pings'))).toBe(true);
  });
});
