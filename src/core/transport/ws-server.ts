/**
 * The WebSocket transport of the contract, for the headless CLI (`botdesk serve`)
 * and remote UIs: one HTTP server on 127.0.0.1 by default, the contract at `/ws`
 * (token required, checked at the upgrade), optionally the built UI at `/`.
 * Calls go through the shared dispatcher; events through forwardEvents. Frames are
 * described in src/core/api/ws-protocol.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { EVENTS, type EventName } from '../api/channels.ts';
import type { Dispatch } from '../api/dispatcher.ts';
import { BotDeskError, toErrorInfo, type Envelope, type ErrorInfo } from '../api/errors.ts';
import { WS_PATH, WS_SUBPROTOCOL, type RequestId, type ServerFrame } from '../api/ws-protocol.ts';
import type { EventBus } from '../bot/event-bus.ts';
import {
  hostAllowed,
  offeredProtocols,
  originAllowed,
  tokenFromProtocols,
  tokensEqual,
  type HandshakePolicy,
} from './auth.ts';
import { forwardEvents } from './forward-events.ts';
import { createStaticHandler, type StaticHandler } from './static-site.ts';

export type TransportLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface WsServerOptions {
  dispatch: Dispatch;
  bus: EventBus;
  token: string;
  /** Bind address; default 127.0.0.1 (loopback only). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Browser origins allowed besides same-origin, e.g. 'http://localhost:5173'. */
  allowedOrigins?: readonly string[];
  /** Largest accepted frame; a bigger one closes the connection (1009). Default 1 MiB. */
  maxMessageBytes?: number;
  /** A client whose unsent data exceeds this is disconnected instead of buffered. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Minimum gap between two bot:status events. Default 100 ms (10 Hz). */
  statusIntervalMs?: number;
  /** Serve this folder (the built renderer) over HTTP at `/`. */
  staticRoot?: string;
  /** Ping interval; a client that misses a pong for one interval is dropped. Default 30 s. */
  heartbeatMs?: number;
  log?: TransportLog;
}

export interface WsServer {
  readonly host: string;
  readonly port: number;
  /** ws://host:port/ws */
  readonly url: string;
  /** http://host:port/ (the UI when staticRoot is set) */
  readonly httpUrl: string;
  clientCount(): number;
  /** Close every client, stop forwarding and release the port. */
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  subs: Set<EventName>;
  alive: boolean;
}

const MAX_ID_LENGTH = 128;
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
export const DEFAULT_HEARTBEAT_MS = 30_000;

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

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startWsServer(opts: WsServerOptions): Promise<WsServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBufferedBytes = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const log: TransportLog = opts.log ?? (() => {});
  const policy: HandshakePolicy = { bindHost: host, allowedOrigins: opts.allowedOrigins ?? [] };
  if (opts.token.length === 0)
    throw new BotDeskError('INVALID_INPUT', 'the WebSocket server needs a token');
  const serveStatic: StaticHandler | null = opts.staticRoot
    ? await createStaticHandler(opts.staticRoot)
    : null;

  const clients = new Set<Client>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });

  const send = (client: Client, frame: ServerFrame | string): void => {
    const { ws } = client;
    if (ws.readyState !== ws.OPEN) return;
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (ws.bufferedAmount + Buffer.byteLength(text) > maxBufferedBytes) {
      log(
        'warn',
        `ws: dropping a slow client (${ws.bufferedAmount} bytes unsent, limit ${maxBufferedBytes})`,
      );
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  /** A result that cannot be serialized (a handler bug) becomes an INTERNAL error, not a crash. */
  const sendResult = (client: Client, id: RequestId, envelope: Envelope<unknown>): void => {
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
    send(client, text);
  };
  const reply = (client: Client, id: RequestId | null, error: ErrorInfo) =>
    send(client, { t: 'result', id, envelope: { ok: false, error } });

  const onFrame = (client: Client, frame: unknown): void => {
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      reply(client, null, invalid('a frame must be a JSON object'));
      return;
    }
    const record = frame as Record<string, unknown>;
    const id = readId(record);
    switch (record.t) {
      case 'call': {
        if (id === null) {
          reply(
            client,
            null,
            invalid(`a call needs an id (number or string of at most ${MAX_ID_LENGTH} characters)`),
          );
          return;
        }
        opts
          .dispatch(String(record.channel), record.payload)
          .catch((err: unknown) => ({ ok: false as const, error: toErrorInfo(err) }))
          .then((envelope) => sendResult(client, id, envelope));
        return;
      }
      case 'sub':
      case 'unsub': {
        if (!isEvent(record.event)) {
          reply(client, id, {
            code: 'NOT_FOUND',
            message: `unknown event '${String(record.event)}'`,
          });
          return;
        }
        if (record.t === 'sub') client.subs.add(record.event);
        else client.subs.delete(record.event);
        return;
      }
      default:
        reply(
          client,
          id,
          invalid(`unknown frame type '${String(record.t)}' (expected call, sub or unsub)`),
        );
    }
  };

  const onMessage = (client: Client, data: RawData, isBinary: boolean): void => {
    if (isBinary) {
      reply(client, null, invalid('binary frames are not supported; send JSON text'));
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch (err) {
      reply(
        client,
        null,
        invalid(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`),
      );
      return;
    }
    onFrame(client, frame);
  };

  wss.on('connection', (ws: WebSocket) => {
    const client: Client = { ws, subs: new Set(), alive: true };
    clients.add(client);
    log('debug', `ws: client connected (${clients.size} open)`);
    ws.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    ws.on('pong', () => (client.alive = true));
    ws.on('error', (err) => log('warn', `ws: client error: ${err.message}`));
    ws.on('close', () => {
      clients.delete(client);
      log('debug', `ws: client disconnected (${clients.size} open)`);
    });
  });

  const stopForwarding = forwardEvents(
    opts.bus,
    (event, payload) => {
      let text: string | null = null;
      for (const client of clients) {
        if (!client.subs.has(event)) continue;
        text ??= JSON.stringify({ t: 'event', event, payload } satisfies ServerFrame);
        send(client, text);
      }
    },
    opts.statusIntervalMs === undefined ? {} : { statusIntervalMs: opts.statusIntervalMs },
  );

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (!hostAllowed(req.headers.host, policy)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('host not allowed\n');
      return;
    }
    if (serveStatic) {
      serveStatic(req, res).catch((err: unknown) => {
        log('error', `http: ${toErrorInfo(err).message}`);
        res.destroy();
      });
      return;
    }
    res
      .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(`BotDesk: the API is a WebSocket at ${WS_PATH}; start with --ui to serve the UI here\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!hostAllowed(req.headers.host, policy)) {
      log('warn', `ws: refused a connection for host '${req.headers.host ?? ''}'`);
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (!originAllowed(req.headers.origin, req.headers.host, policy)) {
      log('warn', `ws: refused a connection from origin '${req.headers.origin ?? ''}'`);
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    const protocols = offeredProtocols(req.headers['sec-websocket-protocol']);
    const token = tokenFromProtocols(protocols);
    if (token === null || !tokensEqual(token, opts.token)) {
      log('warn', `ws: refused a connection with ${token === null ? 'no' : 'a wrong'} token`);
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    if (!protocols.includes(WS_SUBPROTOCOL)) return refuseUpgrade(socket, 400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

  const server: Server = createServer(onRequest);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => socket.destroy());

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        log('warn', 'ws: dropping a client that stopped answering pings');
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(heartbeat);
    stopForwarding();
    wss.close();
    throw new BotDeskError(
      'TRANSPORT_ERROR',
      `cannot listen on ${host}:${opts.port ?? 0}: ${toErrorInfo(err).message}`,
    );
  }
  server.on('error', (err) => log('error', `http: ${err.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 0);
  const urlHost = `${hostForUrl(host)}:${port}`;

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    clearInterval(heartbeat);
    stopForwarding();
    const closed = [...clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          client.ws.once('close', () => resolve());
          client.ws.close(1001, 'server shutting down');
        }),
    );
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, 1000);
      }),
    ]);
    clearTimeout(graceTimer);
    for (const client of clients) client.ws.terminate();
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return {
    host,
    port,
    url: `ws://${urlHost}${WS_PATH}`,
    httpUrl: `http://${urlHost}/`,
    clientCount: () => clients.size,
    close: () => (closing ??= close()),
  };
}
