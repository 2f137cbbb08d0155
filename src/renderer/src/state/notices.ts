/**
 * Error notices from main, kept readable: the same error again is counted on the one
 * notice instead of piling up; codes are shown in words; a notice goes away once its
 * cause has (a new run, the pair healthy again, the risk block lifted).
 */
import type { EventPayload } from '../../../core/api/contract.ts';
import type { BotStatus } from '../../../core/api/schemas.ts';

export const MAX_NOTICES = 5;
/** A pair's notice stays at least this long after the pair is healthy again. */
export const RECOVERED_GRACE_MS = 5000;

export type Notice = EventPayload<'error'> & {
  /** When it first came; also its key. */
  ts: number;
  /** When it last came. */
  lastTs: number;
  /** How many times it came. */
  count: number;
};

/** Digits vary between repeats of one error ("3 ticks failed in a row"): they do not make it another. */
const sameKind = (a: EventPayload<'error'>, b: EventPayload<'error'>) =>
  a.code === b.code &&
  a.symbol === b.symbol &&
  a.message.replace(/\d+(\.\d+)?/g, '#') === b.message.replace(/\d+(\.\d+)?/g, '#');

export function addNotice(notices: Notice[], error: EventPayload<'error'>, now: number): Notice[] {
  const same = notices.find((n) => sameKind(n, error));
  if (same) {
    const updated = { ...same, message: error.message, lastTs: now, count: same.count + 1 };
    return [updated, ...notices.filter((n) => n !== same)];
  }
  // keys must stay unique even for two errors in the same millisecond
  const ts = Math.max(now, (notices[0]?.ts ?? 0) + 1e-3);
  return [{ ...error, ts, lastTs: now, count: 1 }, ...notices].slice(0, MAX_NOTICES);
}

/** Drop the notices whose cause is gone in `status`. */
export function pruneNotices(
  notices: Notice[],
  prev: BotStatus | null,
  status: BotStatus,
  now: number,
): Notice[] {
  const newRun =
    prev !== null &&
    ((status.runId ?? null) !== (prev.runId ?? null) ||
      (status.state === 'starting' && prev.state !== 'starting'));
  if (newRun) return [];
  const kept = notices.filter((n) => {
    if (n.code === 'RISK_REJECTED' && !status.riskBlock) return false;
    if (n.symbol && now - n.lastTs >= RECOVERED_GRACE_MS) {
      const pair = status.pairs.find((p) => p.symbol === n.symbol);
      if (pair?.state === 'ok') return false;
    }
    return true;
  });
  return kept.length === notices.length ? notices : kept;
}
