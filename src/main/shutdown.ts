/**
 * The bounded graceful stop run before the app quits. It closes the core, which
 * stops the bot within `stopTimeoutMs` (then forces) but keeps the desired state
 * "running", so a paper bot running at quit resumes at the next launch — unlike
 * `bot:stop`, which records that the user wants the bot stopped. A hard deadline
 * keeps a hung core from holding the quit hostage.
 */
import { withTimeout } from '../core/bot/abortable.ts';

export interface QuittableCore {
  close(opts: { timeoutMs: number }): Promise<void>;
}

export interface ShutdownOptions {
  /** Graceful stop budget of the bot (then the manager forces). */
  stopTimeoutMs: number;
  /** Extra time the close may take beyond that budget before we give up on it. */
  graceMs: number;
  log: (message: string) => void;
}

export async function shutdownCore(core: QuittableCore, opts: ShutdownOptions): Promise<void> {
  const ms = opts.stopTimeoutMs + opts.graceMs;
  try {
    const closing = core.close({ timeoutMs: opts.stopTimeoutMs }).then(() => 'done' as const);
    if ((await withTimeout(closing, ms, 'late' as const)) === 'late') {
      opts.log(`closing the core did not finish within ${ms} ms; quitting anyway`);
    }
  } catch (err) {
    opts.log(`closing the core failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
