/** Small abort-aware waiting primitives that leave no timer or listener behind. */
import { BotDeskError } from '../api/errors.ts';
import { sleepReal } from '../market/clock.ts';

export function abortReason(signal: AbortSignal): BotDeskError {
  const r: unknown = signal.reason;
  if (r instanceof BotDeskError) return r;
  return new BotDeskError('CANCELLED', r instanceof Error ? r.message : String(r ?? 'aborted'));
}

/**
 * Settles with `promise`, or rejects with CANCELLED as soon as `signal` aborts. The
 * losing promise is still observed, so it can never become an unhandled rejection.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Settles with `promise` or resolves `onTimeout` after `ms`; the timer never outlives the race. */
export async function withTimeout<T, U>(
  promise: Promise<T>,
  ms: number,
  onTimeout: U,
): Promise<T | U> {
  const ctl = new AbortController();
  try {
    return await Promise.race([promise, sleepReal(ms, ctl.signal).then(() => onTimeout)]);
  } finally {
    ctl.abort();
  }
}
