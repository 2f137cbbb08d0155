/**
 * The IPC transport against a stand-in for Electron's ipcMain and window (the
 * Electron binary is not available to unit tests); the dispatcher, contract and
 * event bus are the real ones.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../../src/core/api/channels.ts';
import type { ApiHandlers } from '../../../src/core/api/contract.ts';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { botStatus } from '../renderer/fixtures.ts';
import { createFakeHost } from '../transport/fake-host.ts';

type Handler = (event: unknown, payload: unknown) => Promise<unknown> | unknown;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc } = await import('../../../src/main/ipc.ts');
const { ipcEventChannel } = await import('../../../src/main/ipc-protocol.ts');

const APP_URL = 'file:///app/out/renderer/index.html';

function fakeWindow() {
  const sent: Array<[string, unknown]> = [];
  const win = {
    isDestroyed: () => false,
    webContents: {
      id: 1,
      mainFrame: { processId: 10, routingId: 20 },
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    },
  };
  return { win, sent };
}

function invokeEvent(overrides: { senderId?: number; routingId?: number; url?: string } = {}) {
  return {
    sender: { id: overrides.senderId ?? 1 },
    senderFrame: {
      processId: 10,
      routingId: overrides.routingId ?? 20,
      url: overrides.url ?? APP_URL,
    },
  };
}

const status = botStatus({ state: 'running', rev: 3 });
const apiHandlers = {
  'bot:status': async () => status,
  'bot:stop': async (input: { reason: string; timeoutMs: number }) => ({
    ...status,
    state: 'stopped',
    lastStop: null,
    rev: input.timeoutMs,
  }),
} as unknown as ApiHandlers;

let dispose: (() => void) | null = null;

/** Register over a fresh fake window; returns what was sent to it. */
function register(opts: { handlers?: ApiHandlers; bus?: EventBus } = {}) {
  const { win, sent } = fakeWindow();
  dispose = registerIpc({
    handlers: opts.handlers ?? apiHandlers,
    bus: opts.bus ?? new EventBus(),
    getWindow: () => win as never,
    appUrl: APP_URL,
  });
  return sent;
}

afterEach(() => {
  dispose?.();
  dispose = null;
  vi.useRealTimers();
});

describe('IPC transport', () => {
  it('registers exactly one handler per contract channel and removes them all', () => {
    register();
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    dispose?.();
    dispose = null;
    expect(handlers.size).toBe(0);
  });

  it('answers our window with envelopes from the dispatcher (validation included)', async () => {
    register();
    expect(await handlers.get('bot:status')!(invokeEvent(), undefined)).toEqual({
      ok: true,
      data: status,
    });
    expect(await handlers.get('bot:stop')!(invokeEvent(), { timeoutMs: 7 })).toMatchObject({
      ok: true,
      data: { rev: 7 },
    });
    expect(await handlers.get('bot:stop')!(invokeEvent(), { timeoutMs: -1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('answers a bad payload with INVALID_INPUT and changes nothing; a foreign frame cannot change anything either', async () => {
    const host = createFakeHost();
    register({ handlers: host.handlers, bus: host.bus });
    const set = handlers.get('settings:set')!;
    const before = host.settings();
    for (const bad of [
      { ui: { theme: 'purple' } },
      { bot: { symbols: ['BTC-USDT'] } },
      'x',
      null,
    ]) {
      expect(await set(invokeEvent(), bad)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect(await set(invokeEvent({ routingId: 21 }), { ui: { theme: 'light' } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(host.calls.get('settings:set')).toBeUndefined();
    expect(host.settings()).toEqual(before);
    expect(await set(invokeEvent(), { ui: { theme: 'light' } })).toMatchObject({
      ok: true,
      data: { ui: { theme: 'light' } },
    });
    expect(host.calls.get('settings:set')).toBe(1);
  });

  it('refuses other webContents, subframes and foreign pages with FORBIDDEN, without running the handler', async () => {
    const spy = vi.fn(async () => status);
    register({ handlers: { ...apiHandlers, 'bot:status': spy } as ApiHandlers });
    for (const event of [
      invokeEvent({ senderId: 2 }),
      invokeEvent({ routingId: 21 }),
      invokeEvent({ url: 'https://evil.example/' }),
      { sender: { id: 1 }, senderFrame: null },
    ]) {
      expect(await handlers.get('bot:status')!(event, undefined)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('forwards bus events to the window, bot:status at most once per 100 ms with the latest value', async () => {
    vi.useFakeTimers();
    const bus = new EventBus();
    const sent = register({ bus });
    bus.emit('log', { ts: 1, level: 'info', scope: 'bot', message: 'hi' });
    for (let rev = 1; rev <= 5; rev++) bus.emit('bot:status', botStatus({ rev }));
    expect(sent.map(([channel]) => channel)).toEqual([
      ipcEventChannel('log'),
      ipcEventChannel('bot:status'),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    const statuses = sent
      .filter(([c]) => c === ipcEventChannel('bot:status'))
      .map(([, p]) => (p as { rev: number }).rev);
    expect(statuses).toEqual([1, 5]);
    dispose?.();
    dispose = null;
    bus.emit('log', { ts: 2, level: 'info', scope: 'bot', message: 'after' });
    expect(sent).toHaveLength(3);
  });
});

describe('IPC transport: remote:add over plain ws://', () => {
  it('refuses a ws:// address of another machine without the acknowledgement, before main runs anything', async () => {
    const added: unknown[] = [];
    const { win } = fakeWindow();
    dispose = registerIpc({
      handlers: apiHandlers,
      bus: new EventBus(),
      getWindow: () => win as never,
      appUrl: APP_URL,
      desktop: {
        'remote:add': async (input: { insecure?: boolean }) => {
          added.push(input);
          return { id: 'x', insecure: input.insecure === true } as never;
        },
      } as never,
    });
    const add = (payload: unknown) => handlers.get('remote:add')!(invokeEvent(), payload);
    const base = { name: 'lan', token: 'a-token-0123456789abcdef' };
    expect(await add({ ...base, url: 'ws://192.0.2.10:8745/ws' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('the token and all traffic travel unencrypted'),
        details: [{ path: ['insecure'] }],
      },
    });
    expect(
      await add({ ...base, url: 'ws://vps.example.org:8745/ws', insecure: false }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(added).toEqual([]);
    for (const url of ['ws://127.0.0.1:8745/ws', 'ws://localhost:8745/ws', 'ws://[::1]:8745/ws'])
      expect(await add({ ...base, url })).toMatchObject({ ok: true });
    expect(await add({ ...base, url: 'wss://192.0.2.10:8745/ws' })).toMatchObject({ ok: true });
    expect(await add({ ...base, url: 'ws://192.0.2.10:8745/ws', insecure: true })).toMatchObject({
      ok: true,
      data: { insecure: true },
    });
    expect(added).toHaveLength(5);
  });
});
