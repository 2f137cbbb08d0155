/**
 * Requests a user makes of the running bot (close a position, force an entry): checked
 * here against the run, then queued on its engine for the next tick. BotManager only
 * runs them under its lock; the checks and their messages live in this one place.
 */
import { BotDeskError } from '../api/errors.ts';
import type { BotStateName } from '../api/schemas.ts';
import type { Run } from './run.ts';

/** The run a request applies to; INVALID_STATE unless the bot is running. */
export function runningOrThrow(run: Run | null, state: BotStateName, what: string): Run {
  if (!run || state !== 'running') {
    throw new BotDeskError('INVALID_STATE', `start the bot to ${what}: it is ${state}`);
  }
  return run;
}

/** Queues closing the position in `symbol`; returns the line to log. */
export function requestClose(run: Run, symbol: string): string {
  if (!run.engine.holds(symbol))
    throw new BotDeskError('NOT_FOUND', `there is no open ${symbol} position to close`);
  run.engine.request({ symbol, action: 'close' });
  return `${symbol}: close requested by the user; it fills at the next tick`;
}

/**
 * Queues an entry on one of the run's symbols (risk rules still apply); returns the line to log.
 * Paused entries refuse it here, at once: queued, it would be dropped at the next tick with
 * nothing but a log line to say so.
 */
export function requestEntry(run: Run, symbol: string, entriesPaused = false): string {
  if (entriesPaused) {
    throw new BotDeskError('INVALID_STATE', 'entries are paused: resume entries to force one');
  }
  if (!run.config.symbols.includes(symbol)) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `${symbol} is not traded by this run (${run.config.symbols.join(', ')})`,
    );
  }
  run.engine.request({ symbol, action: 'enter' });
  return `${symbol}: entry forced by the user; it fills at the next tick`;
}
