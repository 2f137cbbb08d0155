import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotStatus } from '../../../src/core/api/schemas.ts';
import { shutdownCore, type QuittableCore } from '../../../src/main/shutdown.ts';
import { botStatus } from '../renderer/fixtures.ts';

afterEach(() => vi.useRealTimers());

function core(stop: () => Promise<BotStatus>, close: () => Promise<void>) {
  const calls: string[] = [];
  const c: QuittableCore = {
    handlers: {
      'bot:stop': async (input) => {
        calls.push(`stop:${input.reason}:${input.timeoutMs}`);
        return stop();
      },
    },
    close: async () => {
      calls.push('close');
      return close();
    },
  };
  return { c, calls };
}

describe('shutdown before quit', () => {
  it('stops the bot with its timeout, then closes the core', async () => {
    const { c, calls } = core(
      async () => botStatus({ state: 'stopped' }),
      async () => {},
    );
    const log: string[] = [];
    await shutdownCore(c, { stopTimeoutMs: 5000, graceMs: 1000, log: (m) => log.push(m) });
    expect(calls).toEqual(['stop:app quit:5000', 'close']);
    expect(log).toEqual([]);
  });

  it('gives up on a stop that never settles after its budget plus grace, and still closes', async () => {
    vi.useFakeTimers();
    const { c, calls } = core(
      () => new Promise(() => {}),
      async () => {},
    );
    const log: string[] = [];
    let done = false;
    const p = shutdownCore(c, { stopTimeoutMs: 5000, graceMs: 1000, log: (m) => log.push(m) }).then(
      () => (done = true),
    );
    await vi.advanceTimersByTimeAsync(5999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(calls).toEqual(['stop:app quit:5000', 'close']);
    expect(log).toEqual(['stopping the bot did not finish within 6000 ms; quitting anyway']);
  });

  it('reports a failing stop and a hanging close without throwing', async () => {
    vi.useFakeTimers();
    const { c } = core(
      () => Promise.reject(new Error('journal locked')),
      () => new Promise(() => {}),
    );
    const log: string[] = [];
    const p = shutdownCore(c, { stopTimeoutMs: 100, graceMs: 200, log: (m) => log.push(m) });
    await vi.advanceTimersByTimeAsync(200);
    await p;
    expect(log).toEqual([
      'stopping the bot failed: journal locked',
      'closing the core did not finish within 200 ms; quitting anyway',
    ]);
  });
});
