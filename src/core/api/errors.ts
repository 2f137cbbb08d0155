/**
 * The error envelope that crosses every transport. Electron flattens thrown errors
 * into strings, so handlers never throw across the boundary: they answer with an
 * envelope and the client re-throws a typed BotDeskError on the other side.
 * This file has no runtime dependency so the sandboxed preload can bundle it.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_STATE',
  'NOT_FOUND',
  'NOT_IMPLEMENTED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'TIMEOUT',
  'CANCELLED',
  'MARKET_ERROR',
  'EXCHANGE_AUTH',
  'COMPUTE_ERROR',
  'STRATEGY_ERROR',
  'RISK_REJECTED',
  'JOURNAL_ERROR',
  'SETTINGS_ERROR',
  'TRANSPORT_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Optional machine-readable detail (e.g. the zod issues for INVALID_INPUT). */
  details?: unknown;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

export class BotDeskError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'BotDeskError';
    this.code = code;
    this.details = details;
  }
  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Any thrown value → ErrorInfo; unknown errors become INTERNAL with their message. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof BotDeskError) return err.toInfo();
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.data;
  const code = isErrorCode(envelope.error?.code) ? envelope.error.code : 'INTERNAL';
  throw new BotDeskError(code, envelope.error?.message ?? 'unknown error', envelope.error?.details);
}
