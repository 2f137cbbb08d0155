/**
 * The WebSocket wire protocol, shared by the headless server (src/core/transport)
 * and the renderer/CLI client (ws-client.ts). Dependency-free so the browser
 * renderer can bundle it. docs/API.md documents it (scripts/gen-api-docs.ts).
 *
 * Every frame is one JSON text message:
 *   client → server  { t: 'call', id, channel, payload }   invoke a channel
 *                    { t: 'sub', event } / { t: 'unsub', event }
 *   server → client  { t: 'result', id, envelope }          the channel's envelope
 *                    { t: 'event', event, payload }         a subscribed event
 *                    { t: 'events', items: [event frames] } events of the same few ms, in order
 * A frame the server cannot read (malformed JSON, unknown `t`, missing fields)
 * is answered with a `result` whose envelope is an INVALID_INPUT error and whose
 * `id` is the frame's id when one could be read, else null.
 */
import type { ChannelName, EventName } from './channels.ts';
import type { Envelope } from './errors.ts';

/** The WebSocket endpoint path; the same port serves the UI over HTTP at `/`. */
export const WS_PATH = '/ws';
/** The subprotocol the server selects; clients offer it first. */
export const WS_SUBPROTOCOL = 'botdesk.v1';
/**
 * Browsers cannot set headers on a WebSocket handshake, so the token travels as a
 * second offered subprotocol, `botdesk.token.<token>`; the server never echoes it.
 * Tokens are therefore restricted to RFC 7230 token characters (base64url is fine).
 */
export const WS_TOKEN_PREFIX = 'botdesk.token.';
export const TOKEN_PATTERN = /^[A-Za-z0-9_\-.~]{16,256}$/;

/**
 * Close code when the server stops accepting the token a connection used
 * (`botdesk token rotate`): clients should not reconnect with the same token.
 */
export const WS_CLOSE_TOKEN_REVOKED = 4001;

export type RequestId = number | string;

export type ClientFrame =
  | { t: 'call'; id: RequestId; channel: ChannelName; payload?: unknown }
  | { t: 'sub'; event: EventName }
  | { t: 'unsub'; event: EventName };

export type ServerFrame =
  | { t: 'result'; id: RequestId | null; envelope: Envelope<unknown> }
  | EventFrame
  | { t: 'events'; items: EventFrame[] };

export type EventFrame = { t: 'event'; event: EventName; payload: unknown };

/** The subprotocol list a client offers for `token`. */
export function wsProtocols(token: string): string[] {
  return [WS_SUBPROTOCOL, `${WS_TOKEN_PREFIX}${token}`];
}
