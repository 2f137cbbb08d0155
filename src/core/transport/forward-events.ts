/**
 * Bus → transport forwarding shared by every transport (WebSocket here, Electron
 * IPC in main): every contract event is forwarded, bot:status coalesced to at most
 * 10 Hz. Generated from the EVENTS list, so a new event needs no transport change.
 */
import { EVENTS, type EventName } from '../api/channels.ts';
import type { EventBus } from '../bot/event-bus.ts';
import { createCoalescer, STATUS_INTERVAL_MS } from './coalesce.ts';

export type EventSink = (event: EventName, payload: unknown) => void;

export interface ForwardOptions {
  /** Minimum gap between two bot:status events (default 100 ms = 10 Hz). */
  statusIntervalMs?: number;
}

/** Subscribe `send` to every bus event; returns the function that stops forwarding. */
export function forwardEvents(
  bus: EventBus,
  send: EventSink,
  opts: ForwardOptions = {},
): () => void {
  const status = createCoalescer<unknown>((payload) => send('bot:status', payload), {
    intervalMs: opts.statusIntervalMs ?? STATUS_INTERVAL_MS,
  });
  const offs = EVENTS.map((event) =>
    event === 'bot:status'
      ? bus.on(event, (payload) => status.push(payload))
      : bus.on(event, (payload) => send(event, payload)),
  );
  return () => {
    for (const off of offs) off();
    status.close();
  };
}
