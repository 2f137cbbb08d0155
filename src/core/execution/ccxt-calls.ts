/**
 * How the live executor talks to ccxt: which errors mean "the exchange did not take the
 * request" (rate limits: back off and retry), which mean "we do not know" (a lost or
 * timed-out answer: look the order up, never send it again), which are final (refused:
 * insufficient balance, invalid order, bad keys). Every message that leaves here is
 * passed through `redact`, so no key can ride along in an error.
 */
import type * as Ccxt from 'ccxt';
import { BotDeskError } from '../api/errors.ts';
import { sleepReal } from '../market/clock.ts';

export type CcxtModule = typeof Ccxt;

export type Outcome =
  /** Refused before processing (429, 418, bad timestamp): safe to retry after a pause. */
  | 'not-taken'
  /** The answer was lost or garbled: the request may or may not have been processed. */
  | 'unknown'
  /** The exchange said the order does not exist. */
  | 'not-found'
  /** The exchange refused the keys or their permissions. */
  | 'auth'
  /** A final refusal (insufficient funds, invalid order, unknown symbol…). */
  | 'refused';

export function outcomeOf(ccxt: CcxtModule, err: unknown): Outcome {
  if (err instanceof ccxt.RateLimitExceeded || err instanceof ccxt.DDoSProtection)
    return 'not-taken';
  if (err instanceof ccxt.InvalidNonce) return 'not-taken';
  if (err instanceof ccxt.OrderNotFound) return 'not-found';
  if (err instanceof ccxt.AuthenticationError) return 'auth';
  if (err instanceof ccxt.NetworkError || err instanceof ccxt.BadResponse) return 'unknown';
  if (err instanceof ccxt.ExchangeError) return 'refused';
  if (err instanceof ccxt.OperationFailed) return 'unknown';
  // Anything else (a bug in a parser, a socket error ccxt did not wrap): assume the worst.
  return 'unknown';
}

export interface Backoff {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { attempts: 6, baseMs: 250, maxMs: 8000 };

export function backoffMs(policy: Backoff, attempt: number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return exp / 2 + Math.random() * (exp / 2);
}

/** A message safe to log: known secrets and request signatures removed. */
export type Redact = (text: string) => string;

export function messageOf(err: unknown, redact: Redact): string {
  const raw = err instanceof Error ? err.message : String(err);
  return redact(raw.replace(/signature=[0-9a-fA-F%]+/g, 'signature=…'));
}

export function cancelled(what: string): BotDeskError {
  return new BotDeskError('CANCELLED', `${what} was cancelled`);
}

export interface CallContext {
  ccxt: CcxtModule;
  exchangeId: string;
  backoff: Backoff;
  redact: Redact;
  /** Called on every pause for a rate limit or a network error (counted in health). */
  onRetry?: (what: string, message: string) => void;
}

/**
 * A read (or an idempotent write such as a cancel): retried on rate limits and network
 * trouble with exponential backoff, then turned into a clear BotDeskError.
 */
export async function callWithRetry<T>(
  ctx: CallContext,
  what: string,
  fn: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      const outcome = outcomeOf(ctx.ccxt, err);
      const retryable = outcome === 'not-taken' || outcome === 'unknown';
      if (!retryable || attempt >= ctx.backoff.attempts)
        throw toBotDeskError(ctx, what, err, attempt);
      ctx.onRetry?.(what, messageOf(err, ctx.redact));
      if (!(await sleepReal(backoffMs(ctx.backoff, attempt), signal)))
        throw cancelled(`${ctx.exchangeId} ${what}`);
    }
  }
}

export function toBotDeskError(
  ctx: CallContext,
  what: string,
  err: unknown,
  attempt = 1,
): BotDeskError {
  if (err instanceof BotDeskError) return new BotDeskError(err.code, ctx.redact(err.message));
  const message = messageOf(err, ctx.redact);
  const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
  const outcome = outcomeOf(ctx.ccxt, err);
  if (outcome === 'auth')
    return new BotDeskError('EXCHANGE_AUTH', `${ctx.exchangeId} refused ${what}: ${message}`);
  if (err instanceof ctx.ccxt.BadSymbol)
    return new BotDeskError('INVALID_INPUT', `${ctx.exchangeId} ${what}: ${message}`);
  return new BotDeskError('MARKET_ERROR', `${ctx.exchangeId} ${what} failed${tries}: ${message}`);
}
