/**
 * The bounded graceful stop run before the app quits: ask the bot to stop (its
 * own timeout, then force), close the core, and never let either hold the quit
 * hostage past a hard deadline.
 */
import type { ApiHandlers } from '../core/api/contract.ts';

export interface QuittableCore {
  handlers: Pick<ApiHandlers, 'bot:stop'>;
  close(): Promise<void>;
}

export interface ShutdownOptions {
  /** Graceful stop budget handed to bot:stop (then the manager forces). */
  stopTimeoutMs: number;
  /** Extra time each step may take beyond its own budget before we give up on it. */
  graceMs: number;
  log: (message: string) => void;
}

async function bounded(
  step: string,
  work: Promise<unknown>,
  ms: number,
  log: (m: string) => void,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'late'>(
    (resolve) => (timer = setTimeout(() => resolve('late'), ms)),
  );
  try {
    const outcome = await Promise.race([work.then(() => 'done' as const), deadline]);
    if (outcome === 'late') log(`${step} did not finish within ${ms} ms; quitting anyway`);
  } catch (err) {
    log(`${step} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function shutdownCore(core: QuittableCore, opts: ShutdownOptions): Promise<void> {
  await bounded(
    'stopping the bot',
    core.handlers['bot:stop']({ reason: 'app quit', timeoutMs: opts.stopTimeoutMs }),
    opts.stopTimeoutMs + opts.graceMs,
    opts.log,
  );
  await bounded('closing the core', core.close(), opts.graceMs, opts.log);
}
