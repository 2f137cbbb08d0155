/**
 * The engine through the Electron IPC transport: the real `registerIpc` (over a stand-in
 * for ipcMain, as the Electron binary is not available to vitest) in front of the real
 * core host. `bot:start` runs a paper bot on the simulated market with real compute
 * workers; ticks, orders and fills reach the window as events and the journal;
 * `bot:stop` ends it cleanly with no child process left. (WebSocket: ws-bot.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../src/core/api/errors.ts';
import type { BotStatus, Fill } from '../../src/core/api/schemas.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { childPids } from '../support/child-processes.ts';

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));
const { registerIpc } = await import('../../src/main/ipc.ts');
const { ipcEventChannel } = await import('../../src/main/ipc-protocol.ts');

const APP_URL = 'file:///app/out/renderer/index.html';
const sent: [string, unknown][] = [];
const win = {
  isDestroyed: () => false,
  webContents: {
    id: 1,
    mainFrame: { processId: 10, routingId: 20 },
    send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
  },
};
const fromWindow = {
  sender: { id: 1 },
  senderFrame: { processId: 10, routingId: 20, url: APP_URL },
};

async function invoke<T>(channel: string, payload?: unknown): Promise<T> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  const env = (await handler(fromWindow, payload)) as Envelope<T>;
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
  return env.data;
}

function eventsOf<T>(event: string): T[] {
  const channel = ipcEventChannel(event as never);
  return sent.filter(([c]) => c === channel).map(([, p]) => p as T);
}

let dataDir: string;
let host: CoreHost;
let dispose: () => void;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'botdesk-engine-ipc-'));
  host = await createCoreHost({
    dataDir,
    settings: createConfSettingsStore(dataDir),
    resume: false,
  });
  dispose = registerIpc({
    handlers: host.handlers,
    bus: host.bus,
    getWindow: () => win as never,
    appUrl: APP_URL,
  });
});
afterAll(async () => {
  dispose?.();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('engine over IPC', () => {
  it('bot:start trades on the simulated market; fills reach the window and the journal; bot:stop ends it cleanly', async () => {
    const before = childPids();
    const started = await invoke<BotStatus>('bot:start', {
      config: {
        market: { source: 'sim', speed: 6000, seed: 5 },
        symbols: ['BTC/USDT', 'ETH/USDT'],
        strategy: { id: 'sma-crossover', params: { fast: 2, slow: 3 } },
        warmupCandles: 20,
      },
    });
    expect(started).toMatchObject({ state: 'running', mode: 'paper', dataLabel: 'SIMULATED' });
    await expect
      .poll(() => eventsOf<Fill>('fill').length, { timeout: 45_000, interval: 50 })
      .toBeGreaterThan(0);
    expect(eventsOf('bot:tick').length).toBeGreaterThan(0);
    expect(eventsOf('order').length).toBeGreaterThan(0);
    expect(eventsOf<BotStatus>('bot:status').some((s) => s.state === 'running')).toBe(true);

    const journalIds = new Set(
      (await invoke<Fill[]>('journal:fills', { limit: 10_000 })).map((f) => f.id),
    );
    for (const f of eventsOf<Fill>('fill')) expect(journalIds.has(f.id)).toBe(true);

    const stopped = await invoke<BotStatus>('bot:stop', { reason: 'ipc test', timeoutMs: 5000 });
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastStop).toMatchObject({ reason: 'ipc test', forced: false });
    await expect
      .poll(() => childPids().filter((p) => !before.includes(p)), { timeout: 5000 })
      .toEqual([]);
    await expect
      .poll(() => eventsOf<BotStatus>('bot:status').at(-1)?.state, { timeout: 2000 })
      .toBe('stopped');
  });

  it('refuses a call from another frame, starting nothing', async () => {
    const env = (await handlers.get('bot:start')!(
      { ...fromWindow, senderFrame: { ...fromWindow.senderFrame, routingId: 99 } },
      {},
    )) as Envelope<BotStatus>;
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await invoke<BotStatus>('bot:status')).state).toBe('stopped');
  });
});
