/**
 * The contract across Electron's contextBridge, with a stand-in that copies values
 * the way the bridge does (plain data cloned whole; an Error rebuilt from its
 * message only): failures still reach the renderer as BotDeskError with their code
 * and details, and events still flow.
 */
import { describe, expect, it } from 'vitest';
import { errorInfoFromBridge, fromBridge, toBridge } from '../../../src/core/api/bridge.ts';
import { DESKTOP_CHANNELS, type DesktopChannelName } from '../../../src/core/api/channels.ts';
import { desktopContract, type BotTarget } from '../../../src/core/api/contract.ts';
import {
  createDesktopClient,
  desktopFromBridge,
  desktopToBridge,
  type DesktopApi,
} from '../../../src/core/api/desktop-client.ts';
import { createDispatcherFor } from '../../../src/core/api/dispatcher.ts';
import { createApiClient, type BotDeskApi } from '../../../src/core/api/client.ts';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import type { LogLine } from '../../../src/core/api/schemas.ts';
import { createFakeHost, type FakeHost } from './fake-host.ts';

/** Electron's copy of a value passed between worlds. */
function copyAcross(value: unknown): unknown {
  if (value instanceof Error) return new Error(value.message);
  return value === undefined ? undefined : structuredClone(value);
}

/** What the main world sees of an object exposed with contextBridge.exposeInMainWorld. */
function acrossBridge(api: unknown): BotDeskApi {
  const wrap = (v: unknown): unknown => {
    if (typeof v === 'function')
      return (...args: unknown[]) => {
        const out = (v as (...a: unknown[]) => unknown)(...args);
        return out instanceof Promise
          ? out.then(copyAcross, (reason: unknown) => Promise.reject(copyAcross(reason)))
          : out;
      };
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)]));
    return v;
  };
  return wrap(api) as BotDeskApi;
}

function preloadApi(host: FakeHost): BotDeskApi {
  return createApiClient({
    invoke: (channel, payload) => host.dispatch(channel, payload),
    subscribe: (event, listener) => host.bus.on(event, listener as (p: unknown) => void),
  });
}

describe('contract across the contextBridge', () => {
  it('a bad payload reaches the renderer as BotDeskError INVALID_INPUT with its field details', async () => {
    const host = createFakeHost();
    const api = fromBridge(acrossBridge(toBridge(preloadApi(host))));
    const call = api.settings.set({ bot: { symbols: ['BTC-USDT'] } } as never);
    await expect(call).rejects.toBeInstanceOf(BotDeskError);
    await expect(call).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: [expect.objectContaining({ path: ['bot', 'symbols', '0'] })],
    });
    expect(host.calls.get('settings:set')).toBeUndefined();
    expect((await api.settings.set({ ui: { theme: 'light' } })).ui.theme).toBe('light');
  });

  it('without toBridge the bridge would strip the code (why the preload uses it)', async () => {
    const api = fromBridge(acrossBridge(preloadApi(createFakeHost())));
    await expect(api.bot.stop({ timeoutMs: -1 } as never)).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });

  it('events still flow and unsubscribe', async () => {
    const host = createFakeHost();
    const api = fromBridge(acrossBridge(toBridge(preloadApi(host))));
    const got: string[] = [];
    const off = api.on('log', (line) => got.push(line.message));
    const line = (message: string): LogLine => ({ ts: 1, level: 'info', scope: 't', message });
    host.bus.emit('log', line('one'));
    off();
    host.bus.emit('log', line('two'));
    expect(got).toEqual(['one']);
  });

  it('reads any rejection: ErrorInfo objects, copied Errors, other values', () => {
    expect(errorInfoFromBridge({ code: 'TIMEOUT', message: 'slow' })).toEqual({
      code: 'TIMEOUT',
      message: 'slow',
    });
    expect(errorInfoFromBridge(new Error('flat'))).toEqual({ code: 'INTERNAL', message: 'flat' });
    expect(errorInfoFromBridge({ code: 'NOPE', message: 'x' })).toEqual({
      code: 'INTERNAL',
      message: 'x',
    });
    expect(errorInfoFromBridge('text')).toEqual({ code: 'INTERNAL', message: 'text' });
  });
});

describe('desktop-only API across the contextBridge', () => {
  const target: BotTarget = {
    id: 'local',
    name: 'This computer',
    kind: 'local',
    url: null,
    fingerprint: null,
    selected: true,
    state: 'local',
    message: null,
    insecure: false,
  };
  const isDesktop = (n: unknown): n is DesktopChannelName =>
    (DESKTOP_CHANNELS as readonly unknown[]).includes(n);

  it('validates in main, and a refusal reaches the renderer as BotDeskError with its code', async () => {
    const added: unknown[] = [];
    const dispatch = createDispatcherFor(
      desktopContract,
      {
        'remote:list': async () => [target],
        'remote:add': async (input: unknown) => {
          added.push(input);
          return target;
        },
        'remote:remove': async () => [target],
        'remote:select': async () => {
          throw new BotDeskError('UNAUTHORIZED', 'the certificate changed');
        },
      },
      isDesktop,
    );
    const listeners = new Set<(payload: unknown) => void>();
    const preload = createDesktopClient({
      invoke: (channel, payload) => dispatch(channel, payload),
      subscribe: (_event, listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const api = desktopFromBridge(acrossBridge(desktopToBridge(preload)) as unknown as DesktopApi);

    expect(await api.remote.list()).toEqual([target]);
    const bad = api.remote.add({ name: '', url: 'http://x', token: 'short' });
    await expect(bad).rejects.toBeInstanceOf(BotDeskError);
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(added).toEqual([]);
    await expect(api.remote.select({ id: 'vps' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'the certificate changed',
    });
    const states: BotTarget[] = [];
    const off = api.onRemoteState((t) => states.push(t));
    for (const l of listeners) l(target);
    off();
    for (const l of listeners) l(target);
    expect(states).toEqual([target]);
  });
});
