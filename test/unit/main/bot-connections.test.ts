/**
 * The main process's bot selection against in-process WebSocket servers (real
 * sockets on 127.0.0.1, a fake host behind them): switching between this
 * computer and a remote bot, reconnection after the remote server restarts (the
 * window is told to reload), a silent server detected by the keep-alive,
 * removal of the selected bot, the launch-time restore falling back to this
 * computer when the remote one is gone, and plain ws:// to another machine only
 * with an acknowledgement (marked insecure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotTarget } from '../../../src/core/api/contract.ts';
import { startWsServer, type WsServer } from '../../../src/core/transport/ws-server.ts';
import { createBotConnections, type BotConnections } from '../../../src/main/bot-connections.ts';
import { createBotListStore, type BotListStore } from '../../../src/main/bot-list-store.ts';
import type { TokenBox } from '../../../src/main/token-box.ts';
import { botStatus } from '../renderer/fixtures.ts';
import { createFakeHost, type FakeHost } from '../transport/fake-host.ts';

const TOKEN = 'unit-remote-token-0123456789';
const box: TokenBox = {
  unavailable: () => null,
  encrypt: (plain) => Buffer.from(plain).reverse(),
  decrypt: (cipher) => Buffer.from(cipher).reverse().toString(),
};

let dir: string;
let store: BotListStore;
let local: FakeHost;
let remote: FakeHost;
let server: WsServer | null;
let connections: BotConnections | null;
let states: BotTarget[];
let reloads: BotTarget[];
let logs: string[];

function connect(): BotConnections {
  connections = createBotConnections({
    local: { handlers: local.handlers, bus: local.bus },
    store,
    log: (_level, message) => logs.push(message),
    onState: (t) => states.push(t),
    onSelected: (t) => reloads.push(t),
    link: { retryMs: { min: 50, max: 200 }, connectTimeoutMs: 2000, keepAliveMs: 60_000 },
  });
  return connections;
}

async function serveRemote(port = 0, dispatch = remote.dispatch): Promise<WsServer> {
  server = await startWsServer({ dispatch, bus: remote.bus, token: TOKEN, port });
  return server;
}

/** This machine's address on a network (not loopback), if it has one. */
const networkAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'botdesk-connections-'));
  store = createBotListStore(dir, box);
  local = createFakeHost();
  remote = createFakeHost();
  server = null;
  connections = null;
  states = [];
  reloads = [];
  logs = [];
});

afterEach(async () => {
  await connections?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bot connections', () => {
  it('routes calls and events to the selected bot, and back to this computer', async () => {
    const s = await serveRemote();
    const bots = connect();
    const events: string[] = [];
    bots.bus.on('log', (line) => events.push(line.scope));
    const vps = await bots.desktopHandlers['remote:add']({ name: 'vps', url: s.url, token: TOKEN });

    await bots.handlers['bot:start']({});
    expect(local.calls.get('bot:start')).toBe(1);
    local.bus.emit('log', { ts: 1, level: 'info', scope: 'local', message: '' });

    expect(await bots.desktopHandlers['remote:select']({ id: vps.id })).toMatchObject({
      state: 'connected',
      selected: true,
    });
    expect(reloads.map((t) => t.id)).toEqual([vps.id]);
    await bots.handlers['bot:start']({});
    expect(remote.calls.get('bot:start')).toBe(1);
    expect(local.calls.get('bot:start')).toBe(1);
    local.bus.emit('log', { ts: 2, level: 'info', scope: 'local', message: '' });
    remote.bus.emit('log', { ts: 3, level: 'info', scope: 'remote', message: '' });
    await expect.poll(() => events).toEqual(['local', 'remote']);

    await bots.desktopHandlers['remote:select']({ id: 'local' });
    expect(bots.selected().id).toBe('local');
    expect(s.clientCount()).toBe(0);
    remote.bus.emit('log', { ts: 4, level: 'info', scope: 'remote', message: '' });
    local.bus.emit('log', { ts: 5, level: 'info', scope: 'local', message: '' });
    expect(events).toEqual(['local', 'remote', 'local']);
  });

  it('reconnects after the remote server restarts, and asks the window to reload', async () => {
    const s = await serveRemote();
    const bots = connect();
    const vps = await bots.desktopHandlers['remote:add']({ name: 'vps', url: s.url, token: TOKEN });
    await bots.desktopHandlers['remote:select']({ id: vps.id });
    const port = s.port;
    await s.close();
    await expect.poll(() => states.at(-1)?.state).toBe('connecting');
    await expect(bots.handlers['bot:status']({})).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
      message: expect.stringContaining('vps is not connected'),
    });
    remote.bus.emit('bot:status', botStatus({ rev: 9 }));
    await serveRemote(port);
    await expect.poll(() => states.at(-1)?.state, { timeout: 5000 }).toBe('connected');
    expect(reloads.length).toBe(2); // the selection, then the reconnection
    expect((await bots.handlers['bot:status']({})).state).toBe('idle');
  });

  it('gives up a connection whose server stops answering (keep-alive) and re-makes it', async () => {
    let answering = true;
    const s = await serveRemote(0, (channel, payload) =>
      answering ? remote.dispatch(channel, payload) : new Promise(() => {}),
    );
    connections = createBotConnections({
      local: { handlers: local.handlers, bus: local.bus },
      store,
      log: (_level, message) => logs.push(message),
      onState: (t) => states.push(t),
      link: { retryMs: { min: 50, max: 200 }, connectTimeoutMs: 2000, keepAliveMs: 100 },
    });
    const vps = await connections.desktopHandlers['remote:add']({
      name: 'vps',
      url: s.url,
      token: TOKEN,
    });
    await connections.desktopHandlers['remote:select']({ id: vps.id });
    answering = false;
    await expect.poll(() => logs.some((m) => m.includes('no answer within 100 ms'))).toBe(true);
    expect(states.some((t) => t.state === 'connecting')).toBe(true);
    answering = true;
    await expect.poll(() => states.at(-1)?.state, { timeout: 5000 }).toBe('connected');
  });

  it('removing the selected bot selects this computer; this computer cannot be removed', async () => {
    const s = await serveRemote();
    const bots = connect();
    const vps = await bots.desktopHandlers['remote:add']({ name: 'vps', url: s.url, token: TOKEN });
    await bots.desktopHandlers['remote:select']({ id: vps.id });
    const left = await bots.desktopHandlers['remote:remove']({ id: vps.id });
    expect(left.map((b) => [b.id, b.selected])).toEqual([['local', true]]);
    expect(s.clientCount()).toBe(0);
    await expect(bots.desktopHandlers['remote:remove']({ id: 'local' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(bots.desktopHandlers['remote:select']({ id: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a wrong fingerprint or a fingerprint on ws:// is refused at add, saving nothing', async () => {
    const bots = connect();
    await expect(
      bots.desktopHandlers['remote:add']({
        name: 'x',
        url: 'wss://vps:8745/ws',
        token: TOKEN,
        fingerprint: 'abc',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      bots.desktopHandlers['remote:add']({
        name: 'x',
        url: 'ws://vps:8745/ws',
        token: TOKEN,
        fingerprint: 'AB'.repeat(32),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('wss://') });
    expect(store.bots()).toHaveLength(0);
  });

  it('at launch reconnects to the bot selected last time, or falls back to this computer', async () => {
    const s = await serveRemote();
    const first = connect();
    const vps = await first.desktopHandlers['remote:add']({
      name: 'vps',
      url: s.url,
      token: TOKEN,
    });
    await first.desktopHandlers['remote:select']({ id: vps.id });
    await first.close();

    const again = connect();
    await again.restore();
    expect(again.selected()).toMatchObject({ id: vps.id, state: 'connected' });
    await again.close();

    await s.close();
    server = null;
    const third = connect();
    await third.restore();
    expect(third.selected().id).toBe('local');
    expect(store.selected()).toBe('local');
    expect(
      logs.some((m) => m.includes('could not reconnect to the bot selected last time (vps)')),
    ).toBe(true);
  });
});

describe('bot connections: plain ws:// to another machine', () => {
  const remoteUrl = 'ws://192.0.2.10:8745/ws';

  it('is refused at add without an acknowledgement, saving nothing; loopback ws:// needs none', async () => {
    const bots = connect();
    await expect(
      bots.desktopHandlers['remote:add']({ name: 'x', url: remoteUrl, token: TOKEN }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('the token and all traffic travel unencrypted'),
      details: { reason: 'insecure-not-acknowledged' },
    });
    await expect(
      bots.desktopHandlers['remote:add']({
        name: 'x',
        url: remoteUrl,
        token: TOKEN,
        insecure: false,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(store.bots()).toHaveLength(0);

    const s = await serveRemote();
    const loop = await bots.desktopHandlers['remote:add']({
      name: 'loop',
      url: s.url,
      token: TOKEN,
    });
    expect(loop.insecure).toBe(false);
    expect(await bots.desktopHandlers['remote:select']({ id: loop.id })).toMatchObject({
      state: 'connected',
      insecure: false,
    });
    expect(logs.some((m) => m.includes('unencrypted'))).toBe(false);
  });

  it('a saved bot never acknowledged (an older list) is refused at select before connecting', async () => {
    const legacy = store.add({ name: 'old', url: remoteUrl, token: TOKEN, fingerprint: null });
    const bots = connect();
    expect(
      (await bots.desktopHandlers['remote:list']({})).find((b) => b.id === legacy.id),
    ).toMatchObject({ insecure: true, state: 'disconnected' });
    await expect(bots.desktopHandlers['remote:select']({ id: legacy.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('never acknowledged as insecure'),
      details: { reason: 'insecure-not-acknowledged' },
    });
    expect(bots.selected().id).toBe('local');
  });

  it.skipIf(networkAddress === undefined)(
    'acknowledged: it connects, is marked insecure, and the log warns',
    async () => {
      server = await startWsServer({
        dispatch: remote.dispatch,
        bus: remote.bus,
        token: TOKEN,
        host: networkAddress,
        insecure: true,
      });
      const bots = connect();
      const lan = await bots.desktopHandlers['remote:add']({
        name: 'lan',
        url: server.url,
        token: TOKEN,
        insecure: true,
      });
      expect(lan).toMatchObject({ insecure: true, url: server.url });
      expect(await bots.desktopHandlers['remote:select']({ id: lan.id })).toMatchObject({
        state: 'connected',
        insecure: true,
      });
      expect(states.at(-1)).toMatchObject({ id: lan.id, insecure: true });
      expect(
        logs.some((m) => m.includes('lan over plain ws://') && m.includes('unencrypted')),
      ).toBe(true);
      expect((await bots.handlers['bot:status']({})).state).toBe('idle');
    },
  );
});
