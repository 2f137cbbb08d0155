/**
 * One WebSocket connection's side of the protocol: parse a frame, check the
 * connection's role and rate limit, run calls through the dispatcher, keep its
 * event subscriptions. Frames are described in src/core/api/ws-protocol.ts.
 */
import type { RawData, WebSocket } from 'ws';
import { EVENTS, type EventName } from '../api/channels.ts';
import { isChannel, type Dispatch } from '../api/dispatcher.ts';
import { toErrorInfo, type Envelope, type ErrorInfo } from '../api/errors.ts';
import type { RequestId, ServerFrame } from '../api/ws-protocol.ts';
import { roleMayCall, type Role } from './access.ts';
import { createBucket, type Bucket, type RateLimit } from './rate-limit.ts';
import { createRefusalLog, type RefusalLog } from './refusal-log.ts';
import type { TransportLog } from './ws-server-types.ts';

const MAX_ID_LENGTH = 128;
/** A rate-limit flood ends (and its count is logged) after this long without a refused frame. */
const RATE_EPISODE_QUIET_MS = 1000;
/**
 * Events are sent together at most this often: at a fast clock (20 pairs at 6000× is
 * ~2,400 events a second) a browser spends more on receiving one WebSocket message per
 * event than on the events themselves.
 */
export const EVENT_BATCH_MS = 16;

export interface Session {
  readonly ws: WebSocket;
  readonly subs: Set<EventName>;
  /** The token it authenticated with (re-checked when tokens rotate). */
  readonly token: string;
  readonly role: Role;
  alive: boolean;
  send(frame: ServerFrame | string): void;
  /**
   * An event frame (serialized), sent with the other events of the next `EVENT_BATCH_MS`
   * in one `events` frame; anything else sent meanwhile goes after them (order is kept).
   */
  sendEvent(text: string): void;
  onMessage(data: RawData, isBinary: boolean): void;
  /** The connection closed: ends a rate-limit episode still open (logs its count). */
  onClose(): void;
}

export interface SessionOptions {
  ws: WebSocket;
  token: string;
  role: Role;
  dispatch: Dispatch;
  maxBufferedBytes: number;
  rateLimit: RateLimit | null;
  /** A label for log lines (e.g. `#3 (watch)`). */
  label: string;
  log: TransportLog;
  now?: () => number;
}

function readId(frame: Record<string, unknown>): RequestId | null {
  const { id } = frame;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  if (typeof id === 'string' && id.length <= MAX_ID_LENGTH) return id;
  return null;
}

function isEvent(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENTS as readonly string[]).includes(value);
}

function invalid(message: string): ErrorInfo {
  return { code: 'INVALID_INPUT', message };
}

export function createSession(opts: SessionOptions): Session {
  const { ws, log } = opts;
  const now = opts.now ?? Date.now;
  const bucket: Bucket | null = opts.rateLimit ? createBucket(opts.rateLimit, now()) : null;
  const limited: RefusalLog = createRefusalLog(log, `client ${opts.label} over the rate limit`, {
    quietMs: RATE_EPISODE_QUIET_MS,
    now,
  });

  let queued: string[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flushEvents = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const items = queued;
    queued = [];
    if (items.length === 1) write(items[0]!);
    else if (items.length > 1) write(`{"t":"events","items":[${items.join(',')}]}`);
  };
  const sendEvent = (text: string): void => {
    queued.push(text);
    timer ??= setTimeout(flushEvents, EVENT_BATCH_MS);
  };
  const send = (frame: ServerFrame | string): void => {
    flushEvents();
    write(frame);
  };
  const write = (frame: ServerFrame | string): void => {
    if (ws.readyState !== ws.OPEN) return;
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (ws.bufferedAmount + Buffer.byteLength(text) > opts.maxBufferedBytes) {
      log(
        'warn',
        `ws: dropping a slow client ${opts.label} (${ws.bufferedAmount} bytes unsent, limit ${opts.maxBufferedBytes})`,
      );
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  /** A result that cannot be serialized (a handler bug) becomes an INTERNAL error, not a crash. */
  const sendResult = (id: RequestId, envelope: Envelope<unknown>): void => {
    let text: string;
    try {
      text = JSON.stringify({ t: 'result', id, envelope } satisfies ServerFrame);
    } catch (err) {
      const message = `the result could not be serialized: ${toErrorInfo(err).message}`;
      log('error', `ws: ${message}`);
      text = JSON.stringify({
        t: 'result',
        id,
        envelope: { ok: false, error: { code: 'INTERNAL', message } },
      } satisfies ServerFrame);
    }
    send(text);
  };
  const reply = (id: RequestId | null, error: ErrorInfo) =>
    send({ t: 'result', id, envelope: { ok: false, error } });

  const session: Session = {
    ws,
    subs: new Set(),
    token: opts.token,
    role: opts.role,
    alive: true,
    send,
    sendEvent,
    onClose: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      queued = [];
      limited.flush();
    },
    onMessage(data, isBinary) {
      if (bucket && !bucket.take(now())) {
        limited.refused(`more than ${opts.rateLimit?.perSecond} frames/s`);
        if (isBinary) return;
        // Answer the call it was (when it can be read cheaply), so the caller is not left waiting.
        let id: RequestId | null = null;
        try {
          const frame = JSON.parse(data.toString()) as unknown;
          if (typeof frame === 'object' && frame !== null)
            id = readId(frame as Record<string, unknown>);
        } catch {
          // the refusal below still goes out, with id null
        }
        reply(id, {
          code: 'TRANSPORT_ERROR',
          message: `rate limit: at most ${opts.rateLimit?.perSecond} frames per second (burst ${opts.rateLimit?.burst}); this frame was not run`,
        });
        return;
      }
      limited.cleared();
      if (isBinary) {
        reply(null, invalid('binary frames are not supported; send JSON text'));
        return;
      }
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch (err) {
        reply(null, invalid(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`));
        return;
      }
      onFrame(frame);
    },
  };

  const onFrame = (frame: unknown): void => {
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      reply(null, invalid('a frame must be a JSON object'));
      return;
    }
    const record = frame as Record<string, unknown>;
    const id = readId(record);
    switch (record.t) {
      case 'call': {
        if (id === null) {
          reply(
            null,
            invalid(`a call needs an id (number or string of at most ${MAX_ID_LENGTH} characters)`),
          );
          return;
        }
        const channel = String(record.channel);
        // An unknown channel stays NOT_FOUND (from the dispatcher) whatever the role.
        if (isChannel(channel) && !roleMayCall(session.role, channel)) {
          reply(id, {
            code: 'FORBIDDEN',
            message: `${channel} needs the control token; this connection uses the read-only (watch) token`,
          });
          return;
        }
        opts
          .dispatch(channel, record.payload)
          .catch((err: unknown) => ({ ok: false as const, error: toErrorInfo(err) }))
          .then((envelope) => sendResult(id, envelope));
        return;
      }
      case 'sub':
      case 'unsub': {
        if (!isEvent(record.event)) {
          reply(id, { code: 'NOT_FOUND', message: `unknown event '${String(record.event)}'` });
          return;
        }
        if (record.t === 'sub') session.subs.add(record.event);
        else session.subs.delete(record.event);
        return;
      }
      default:
        reply(
          id,
          invalid(`unknown frame type '${String(record.t)}' (expected call, sub or unsub)`),
        );
    }
  };

  return session;
}
