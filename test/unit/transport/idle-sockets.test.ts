/**
 * Sockets that never authenticate (never finish TLS, never send a request) are
 * not WebSocket sessions, so the connection cap did not count them: anyone who
 * can reach the port could hold thousands for minutes and run the process out of
 * file descriptors (and the bot's journals with it). The server keeps at most a
 * bounded number of sockets of any kind, and still lets a real client in once the
 * idle ones are gone.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWs } from '../../../src/core/api/ws-client.ts';
import { startWsServer, type WsServer } from '../../../src/core/transport/ws-server.ts';
import { createFakeHost } from './fake-host.ts';

const TOKEN = 'control-token-0123456789abcdef';
let server: WsServer | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = null;
});

describe('idle sockets', () => {
  it('are capped: sockets beyond the bound are closed at once, and a client gets in once they go', async () => {
    const host = createFakeHost();
    const logs: Array<[string, string]> = [];
    server = await startWsServer({
      dispatch: host.dispatch,
      bus: host.bus,
      token: TOKEN,
      maxConnections: 2,
      log: (level, message) => logs.push([level, message]),
    });
    const port = server.port;
    const closedByServer = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const s = netConnect(port, '127.0.0.1');
      s.on('error', () => {});
      s.on('close', () => closedByServer.add(i));
      sockets.push(s);
    }
    await Promise.all(
      sockets.map(
        (s) => new Promise((resolve) => s.once('connect', resolve).once('close', resolve)),
      ),
    );
    // Nothing was sent on any of them; still most are refused at once.
    await expect.poll(() => closedByServer.size, { timeout: 5000 }).toBeGreaterThanOrEqual(100);
    // The flood is logged once, not once per dropped socket.
    expect(logs.filter(([level, m]) => level === 'warn' && m.includes('socket cap'))).toHaveLength(
      1,
    );
    for (const s of sockets.splice(0)) s.destroy();
    await expect
      .poll(async () => {
        const conn = await connectWs({ url: server!.url, token: TOKEN }).catch(() => null);
        if (!conn) return 'refused';
        const state = (await conn.api.bot.status()).state;
        await conn.close();
        return state;
      })
      .toBe('idle');
  });
});
