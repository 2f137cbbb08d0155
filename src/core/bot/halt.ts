/**
 * The stop sequence of a run, apart from BotManager's bookkeeping: ask the loop to stop,
 * wait up to `timeoutMs`, then force (in-flight compute and orders are abandoned); close
 * the pool and the market so no worker process or request outlives the run; apply the
 * stop behaviour once the loop has unwound; close the executor. Every step is bounded by
 * `forceGraceMs`, so a stop always ends, whatever part of the run hangs.
 */
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import type { BotConfig, LogLine, StopReport } from '../api/schemas.ts';
import { withTimeout } from './abortable.ts';
import type { Run } from './run.ts';

export interface HaltResult {
  /** The loop did not end within `timeoutMs` and was forced. */
  forced: boolean;
  /** What the stop behaviour did (or why it was skipped). */
  settled: string;
}

export async function haltRun(
  run: Run,
  reason: string,
  timeoutMs: number,
  forceGraceMs: number,
  log: (level: LogLine['level'], message: string) => void,
): Promise<HaltResult> {
  run.controller.abort(new BotDeskError('CANCELLED', reason));
  const graceful = await withTimeout(
    run.done.then(() => true),
    timeoutMs,
    false,
  );
  if (!graceful) {
    log(
      'warn',
      `the bot did not stop within ${timeoutMs} ms: forcing (killing compute, cancelling requests)`,
    );
    run.kill.abort(new BotDeskError('CANCELLED', `forced stop: ${reason}`));
  }
  // Closing the pool kills its worker processes; closing the market cancels requests in flight.
  const closed = await withTimeout(
    Promise.allSettled([run.pool.close(), run.market.close()]).then(() => true),
    forceGraceMs,
    false,
  );
  if (!closed) log('error', `compute pool or market did not close within ${forceGraceMs} ms`);
  const unwound =
    graceful ||
    (await withTimeout(
      run.done.then(() => true),
      forceGraceMs,
      false,
    ));
  const behavior = run.config.stopBehavior;
  let settled: string;
  if (!unwound) {
    settled = `stop behaviour '${behavior}' skipped: the tick loop did not unwind`;
  } else {
    const ctl = new AbortController();
    const result = await withTimeout(
      run.engine
        .settle(behavior, ctl.signal)
        .catch(
          (err: unknown) => `stop behaviour '${behavior}' failed: ${toErrorInfo(err).message}`,
        ),
      forceGraceMs,
      `stop behaviour '${behavior}' timed out`,
    );
    ctl.abort();
    settled = result;
  }
  // The live executor's order polling and exchange connection end with the run.
  await withTimeout(
    Promise.resolve(run.executor?.close?.()).catch((err: unknown) =>
      log('warn', `closing the executor failed: ${toErrorInfo(err).message}`),
    ),
    forceGraceMs,
    null,
  );
  return { forced: !graceful, settled };
}

/** The stop report of a start cancelled during its warm-up (nothing traded, nothing to settle). */
export function cancelledStart(
  reason: string,
  durationMs: number,
  at: number,
  config: BotConfig,
): StopReport {
  return {
    reason,
    forced: false,
    durationMs,
    at,
    stopBehavior: config.stopBehavior,
    outcome: 'start cancelled before any trading: nothing to settle',
  };
}
