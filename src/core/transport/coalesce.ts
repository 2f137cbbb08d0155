/**
 * Latest-wins rate limiter for high-rate snapshots (bot:status): the first value
 * after a quiet period goes out at once (leading edge), values arriving inside the
 * interval overwrite each other and the latest goes out when it ends (trailing
 * edge), so at most one value per interval and the last value is never lost.
 */
export interface Coalescer<T> {
  push(value: T): void;
  /** Stop: the pending value is dropped and the timer cleared (no handle left open). */
  close(): void;
}

export interface CoalescerOptions {
  /** Minimum gap between two emissions; 100 ms = at most 10 Hz. */
  intervalMs?: number;
  now?: () => number;
}

export const STATUS_INTERVAL_MS = 100;

export function createCoalescer<T>(
  emit: (value: T) => void,
  opts: CoalescerOptions = {},
): Coalescer<T> {
  const intervalMs = opts.intervalMs ?? STATUS_INTERVAL_MS;
  const now = opts.now ?? Date.now;
  let lastEmit = -Infinity;
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const fire = (value: T) => {
    lastEmit = now();
    emit(value);
  };
  const onTimer = () => {
    timer = null;
    const next = pending;
    pending = null;
    if (next && !closed) fire(next.value);
  };

  return {
    push(value) {
      if (closed) return;
      const wait = lastEmit + intervalMs - now();
      if (wait <= 0 && timer === null) {
        fire(value);
        return;
      }
      pending = { value };
      timer ??= setTimeout(onTimer, Math.max(0, wait));
    },
    close() {
      closed = true;
      pending = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
