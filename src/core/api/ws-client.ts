/**
 * The contract over WebSocket, for the browser renderer (when `window.botdesk` is
 * absent) and the CLI (`botdesk status`). Uses only the standard global WebSocket,
 * so it runs unchanged in browsers and in Node 24, and builds the same BotDeskApi
 * as the preload through createApiClient.
 */
import { type ChannelName, type EventName } from './channels.ts';
import { createApiClient, type BotDeskApi, type ClientTransport } from './client.ts';
import { BotDeskError, type Envelope, type ErrorCode } from './errors.ts';
import { WS_PATH, wsProtocols, type ClientFrame, type ServerFrame } from './ws-protocol.ts';

/**
 * Makes the socket; default the standard global WebSocket. Node clients that pin a
 * TLS certificate pass one built on the `ws` package (src/core/transport/pinned-socket.ts).
 */
export type SocketFactory = (url: string, protocols: string[]) => WebSocket;

export interface WsClientOptions {
  /** ws://host:port/ws */
  url: string;
  token: string;
  /** A call with no answer after this long fails with TIMEOUT. Default 130 s (above bot:stop's longest timeout). */
  callTimeoutMs?: number;
  /** Give up connecting after this long. Default 10 s. */
  connectTimeoutMs?: number;
  createSocket?: SocketFactory;
  /** Frames the server could not tie to a call (e.g. it could not parse one of ours). */
  onProtocolError?: (error: { code: string; message: string }) => void;
}

export interface WsConnection {
  readonly api: BotDeskApi;
  /** Settles when the socket closes, whoever closed it. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

/** Open a connection; rejects with a TRANSPORT_ERROR BotDeskError when the server refuses or is absent. */
export function connectWs(opts: WsClientOptions): Promise<WsConnection> {
  const callTimeoutMs = opts.callTimeoutMs ?? 130_000;
  let ws: WebSocket;
  try {
    ws = (opts.createSocket ?? ((url, protocols) => new WebSocket(url, protocols)))(
      opts.url,
      wsProtocols(opts.token),
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return Promise.reject(
      new BotDeskError('INVALID_INPUT', `cannot connect to '${opts.url}': ${reason}`),
    );
  }
  const pending = new Map<
    number,
    { resolve: (envelope: Envelope<unknown>) => void; timer: ReturnType<typeof setTimeout> }
  >();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;

  const sendFrame = (frame: ClientFrame): boolean => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };

  const transport: ClientTransport = {
    invoke(channel: ChannelName, payload: unknown) {
      const id = nextId++;
      let text: string;
      try {
        text = JSON.stringify({ t: 'call', id, channel, payload } satisfies ClientFrame);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return Promise.resolve(
          failure('INVALID_INPUT', `${channel}: the payload is not JSON (${reason})`),
        );
      }
      if (ws.readyState !== WebSocket.OPEN) {
        return Promise.resolve(
          failure('TRANSPORT_ERROR', `${channel}: not connected to ${opts.url}`),
        );
      }
      return new Promise<Envelope<unknown>>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(failure('TIMEOUT', `${channel}: no answer within ${callTimeoutMs} ms`));
        }, callTimeoutMs);
        pending.set(id, { resolve, timer });
        ws.send(text);
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        listeners.set(event, (set = new Set()));
        sendFrame({ t: 'sub', event });
      }
      set.add(listener);
      return () => {
        if (!set.delete(listener) || set.size > 0 || listeners.get(event) !== set) return;
        listeners.delete(event);
        sendFrame({ t: 'unsub', event });
      };
    },
  };

  const onServerFrame = (frame: ServerFrame): void => {
    if (frame.t === 'events' && Array.isArray(frame.items)) {
      for (const item of frame.items) onServerFrame(item);
      return;
    }
    if (frame.t === 'event') {
      for (const listener of listeners.get(frame.event) ?? []) {
        try {
          listener(frame.payload);
        } catch (err) {
          // One broken listener must not starve the others nor kill the connection.
          console.error(`botdesk: a '${frame.event}' listener threw`, err);
        }
      }
      return;
    }
    if (frame.t !== 'result' || typeof frame.envelope !== 'object' || frame.envelope === null) {
      opts.onProtocolError?.({
        code: 'TRANSPORT_ERROR',
        message: 'the server sent an unknown frame',
      });
      return;
    }
    const call = typeof frame.id === 'number' ? pending.get(frame.id) : undefined;
    if (call) {
      clearTimeout(call.timer);
      pending.delete(frame.id as number);
      call.resolve(frame.envelope);
    } else if (!frame.envelope.ok) {
      opts.onProtocolError?.(frame.envelope.error);
    }
  };

  // Node sockets (the `ws` package) say why a handshake failed, e.g. "Unexpected server response: 401".
  let lastError = '';
  ws.addEventListener('error', (ev) => {
    const message = (ev as { message?: unknown }).message;
    if (typeof message === 'string') lastError = message;
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.addEventListener('close', (ev) => {
      for (const [id, call] of pending) {
        clearTimeout(call.timer);
        pending.delete(id);
        call.resolve(failure('TRANSPORT_ERROR', `connection to ${opts.url} closed (${ev.code})`));
      }
      resolve({ code: ev.code, reason: ev.reason });
    });
  });

  ws.addEventListener('message', (ev) => {
    if (typeof ev.data !== 'string') return;
    let frame: ServerFrame | null;
    try {
      frame = JSON.parse(ev.data) as ServerFrame | null;
    } catch {
      frame = null;
    }
    if (typeof frame !== 'object' || frame === null) {
      opts.onProtocolError?.({
        code: 'TRANSPORT_ERROR',
        message: 'the server sent malformed JSON',
      });
      return;
    }
    onServerFrame(frame);
  });

  const close = async () => {
    if (ws.readyState !== WebSocket.CLOSED) ws.close(1000, 'client closing');
    await closed;
  };

  return new Promise<WsConnection>((resolve, reject) => {
    const connectTimer = setTimeout(() => {
      ws.close();
      reject(
        new BotDeskError(
          'TIMEOUT',
          `no connection to ${opts.url} within ${opts.connectTimeoutMs ?? 10_000} ms`,
        ),
      );
    }, opts.connectTimeoutMs ?? 10_000);
    ws.addEventListener('open', () => {
      clearTimeout(connectTimer);
      resolve({ api: createApiClient(transport), closed, close });
    });
    // A refused handshake (bad token or origin) and an absent server look the same to a WebSocket.
    void closed.then(({ code }) => {
      clearTimeout(connectTimer);
      reject(
        new BotDeskError(
          'TRANSPORT_ERROR',
          `cannot connect to ${opts.url} (code ${code}${lastError ? `: ${lastError}` : ''}): is the server running, and is the token right?`,
        ),
      );
    });
  });
}

/**
 * Where a UI page served by `botdesk serve --ui` finds its server: `ws` and
 * `token` in the URL fragment (preferred: never sent over the network) or query
 * string; the WebSocket URL defaults to the page's own origin + /ws.
 */
export function wsTargetFromLocation(href: string): { url: string; token: string } | null {
  const page = new URL(href);
  const fromHash = new URLSearchParams(page.hash.replace(/^#/, ''));
  const read = (key: string) => fromHash.get(key) ?? page.searchParams.get(key);
  const token = read('token');
  if (!token) return null;
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return { url: read('ws') ?? `${scheme}//${page.host}${WS_PATH}`, token };
}
