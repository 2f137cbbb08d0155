import { afterEach, describe, expect, it, vi } from 'vitest';
import { shutdownCore, type QuittableCore } from '../../../src/main/shutdown.ts';

afterEach(() => vi.useRealTimers());

function core(close: (opts: { timeoutMs: number }) => Promise<void>) {
  const calls: string[] = [];
  const c: QuittableCore = {
    close: async (opts) => {
      calls.push(`close:${opts.timeoutMs}`);
      return close(opts);
    },
  };
  return { c, calls };
}

describe('shutdown before quit', () => {
  it('closes the core with the stop budget (a close keeps the bot resumable)', async () => {
    const { c, calls } = core(async () => {});
    const log: string[] = [];
    await shutdownCore(c, { stopTimeoutMs: 5000, graceMs: 1000, log: (m) => log.push(m) });
    expect(calls).toEqual(['close:5000']);
    expect(log).toEqual([]);
  });

  it('gives up on a close that never settles after its budget plus grace', async () => {
    vi.useFakeTimers();
    const { c } = core(() => new Promise(() => {}));
    const log: string[] = [];
    let done = false;
    const p = shutdownCore(c, { stopTimeoutMs: 5000, graceMs: 1000, log: (m) => log.push(m) }).then(
      () => (done = true),
    );
    await vi.advanceTimersByTimeAsync(5999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(log).toEqual(['closing the core did not finish within 6000 ms; quitting anyway']);
  });

  it('reports a failing close without throwing', async () => {
    const { c } = core(() => Promise.reject(new Error('journal locked')));
    const log: string[] = [];
    await shutdownCore(c, { stopTimeoutMs: 100, graceMs: 200, log: (m) => log.push(m) });
    expect(log).toEqual(['closing the core failed: journal locked']);
  });
});
