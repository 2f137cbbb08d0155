/**
 * Market time. Live sources run on the wall clock; the simulated market and file replay
 * run on a clock that can be accelerated (`speed` = market ms per real ms). Sources only
 * wait through `sleepUntil`, so one clock object decides how fast a whole source runs.
 */
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Current market time, ms since the epoch. */
  now(): number;
  /** Market ms per real ms (1 = real time). */
  readonly speed: number;
  /** Resolves true once market time reaches `time`, or false as soon as `signal` aborts. */
  sleepUntil(time: number, signal?: AbortSignal): Promise<boolean>;
  /** The real `performance.now()` at which market time reaches `time` (for latency figures). */
  realTimeOf(time: number): number;
}

export interface ClockOptions {
  /** Market ms per real ms. Default 1. */
  speed?: number;
  /** Market time at creation. Default: `wallNow()`. */
  start?: number;
  /** The wall clock the start defaults to (tests inject a fixed one). Default Date.now. */
  wallNow?: () => number;
}

export function createClock(opts: ClockOptions = {}): Clock {
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`clock speed must be a positive number, got ${speed}`);
  const start = opts.start ?? (opts.wallNow ?? Date.now)();
  const realStart = performance.now();
  const now = () => start + (performance.now() - realStart) * speed;
  return {
    speed,
    now,
    realTimeOf: (time) => realStart + (time - start) / speed,
    sleepUntil: async (time, signal) => {
      // Timers may fire a little early or late; loop until the market time really is there.
      for (;;) {
        if (signal?.aborted) return false;
        const wait = (time - now()) / speed;
        if (wait <= 0) return true;
        if (!(await sleepReal(wait, signal))) return false;
      }
    },
  };
}

/** Waits `ms` real milliseconds; false if `signal` aborted first. Never rejects. */
export function sleepReal(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Open time of the candle that contains `time`. */
export function alignDown(time: number, tfMs: number): number {
  return Math.floor(time / tfMs) * tfMs;
}
