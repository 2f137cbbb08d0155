/**
 * The WebSocket transport of the contract, for the headless CLI (`botdesk serve`)
 * and remote clients (the desktop app, the browser UI): one HTTP(S) server on
 * 127.0.0.1 by default, the contract at `/ws` (token required, checked at the
 * upgrade; the token's role decides what the connection may call), optionally the
 * built UI at `/`. Per-connection frame handling is in ws-session.ts; events go
 * out through forwardEvents. Frames are described in src/core/api/ws-protocol.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BotDeskError, toErrorInfo } from '../api/errors.ts';
import { isLoopbackHost } from '../api/loopback.ts';
import {
  WS_CLOSE_TOKEN_REVOKED,
  WS_PATH,
  WS_SUBPROTOCOL,
  type ServerFrame,
} from '../api/ws-protocol.ts';
import { roleOfToken, type Role, type ServerTokens } from './access.ts';
import {
  hostAllowed,
  offeredProtocols,
  originAllowed,
  tokenFromProtocols,
  type HandshakePolicy,
} from './auth.ts';
import { forwardEvents } from './forward-events.ts';
import { DEFAULT_RATE_LIMIT } from './rate-limit.ts';
import { createRefusalLog } from './refusal-log.ts';
import { createStaticHandler, type StaticHandler } from './static-site.ts';
import { certificateFingerprint } from './tls-identity.ts';
import { createSession, type Session } from './ws-session.ts';
import type { TransportLog, WsServer, WsServerOptions } from './ws-server-types.ts';

export type { TransportLog, WsServer, WsServerOptions } from './ws-server-types.ts';

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
export const DEFAULT_HEARTBEAT_MS = 30_000;
export const DEFAULT_MAX_CONNECTIONS = 64;
export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;
/** The whole of one HTTP request (ours have no body); never below the auth deadline. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Open sockets of any kind (sessions, HTTP, handshakes in progress) for a session cap. */
export function socketCap(maxConnections: number): number {
  return maxConnections * 2 + 32;
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

export { isLoopbackHost };

function checkTokens(tokens: ServerTokens): void {
  if (tokens.token.length === 0)
    throw new BotDeskError('INVALID_INPUT', 'the WebSocket server needs a token');
  if (tokens.readToken !== undefined && tokens.readToken === tokens.token)
    throw new BotDeskError(
      'INVALID_INPUT',
      'the read-only token must differ from the control token',
    );
}

export async function startWsServer(opts: WsServerOptions): Promise<WsServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBufferedBytes = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const rateLimit = opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit;
  const authTimeoutMs = opts.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
  const log: TransportLog = opts.log ?? (() => {});
  const policy: HandshakePolicy = { bindHost: host, allowedOrigins: opts.allowedOrigins ?? [] };
  let tokens: ServerTokens = { token: opts.token, readToken: opts.readToken };
  checkTokens(tokens);
  if (!opts.tls && !opts.insecure && !isLoopbackHost(host)) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `binding ${host} without TLS would send tokens and trades over the network in clear: give a certificate (--tls-cert/--tls-key) or say --insecure`,
    );
  }
  const fingerprint = opts.tls ? certificateFingerprint(opts.tls.cert) : null;
  const serveStatic: StaticHandler | null = opts.staticRoot
    ? await createStaticHandler(opts.staticRoot)
    : null;

  const sessions = new Set<Session>();
  const overCap = createRefusalLog(log, `connection cap (${maxConnections}) reached`);
  let nextLabel = 1;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });

  const onConnection = (ws: WebSocket, token: string, role: Role): void => {
    const label = `#${nextLabel++} (${role})`;
    const session = createSession({
      ws,
      token,
      role,
      dispatch: opts.dispatch,
      maxBufferedBytes,
      rateLimit,
      label,
      log,
    });
    sessions.add(session);
    log('debug', `ws: client ${label} connected (${sessions.size} open)`);
    ws.on('message', (data, isBinary) => session.onMessage(data, isBinary));
    ws.on('pong', () => (session.alive = true));
    ws.on('error', (err) => log('warn', `ws: client ${label} error: ${err.message}`));
    ws.on('close', () => {
      session.onClose();
      sessions.delete(session);
      log('debug', `ws: client ${label} disconnected (${sessions.size} open)`);
    });
  };

  const stopForwarding = forwardEvents(
    opts.bus,
    (event, payload) => {
      let text: string | null = null;
      for (const session of sessions) {
        if (!session.subs.has(event)) continue;
        text ??= JSON.stringify({ t: 'event', event, payload } satisfies ServerFrame);
        session.sendEvent(text);
      }
    },
    opts.statusIntervalMs === undefined ? {} : { statusIntervalMs: opts.statusIntervalMs },
  );

  // Node holds a socket that never sends a request for 60 s (120 s without a TLS handshake):
  // each new socket gets authTimeoutMs to become a session or to ask for a page.
  const unclaimed = new Map<Duplex, ReturnType<typeof setTimeout>>();
  const claim = (socket: Duplex): void => {
    clearTimeout(unclaimed.get(socket));
    unclaimed.delete(socket);
  };
  const expectRequest = (socket: Duplex): void => {
    const timer = setTimeout(() => {
      // Not logged: browsers open spare sockets they may never use, and a flood would be a line each.
      unclaimed.delete(socket);
      socket.destroy();
    }, authTimeoutMs);
    timer.unref();
    unclaimed.set(socket, timer);
    socket.once('close', () => claim(socket));
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // From here headersTimeout, requestTimeout and keepAliveTimeout govern the socket.
    claim(req.socket);
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
    const role = token === null ? null : roleOfToken(token, tokens);
    if (token === null || role === null) {
      log('warn', `ws: refused a connection with ${token === null ? 'no' : 'a wrong'} token`);
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    if (!protocols.includes(WS_SUBPROTOCOL)) return refuseUpgrade(socket, 400, 'Bad Request');
    if (sessions.size >= maxConnections) {
      overCap.refused(`refused a connection (${sessions.size} open)`);
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    overCap.cleared();
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A session: kept as long as it answers pings (the heartbeat below).
      claim(socket);
      onConnection(ws, token, role);
    });
  };

  const httpTimeouts = {
    headersTimeout: authTimeoutMs,
    requestTimeout: Math.max(REQUEST_TIMEOUT_MS, authTimeoutMs),
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    // Node checks the two timeouts above only this often (default 30 s).
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(authTimeoutMs / 4))),
  };
  const server: Server = opts.tls
    ? createHttpsServer(
        {
          cert: opts.tls.cert,
          key: opts.tls.key,
          handshakeTimeout: authTimeoutMs,
          ...httpTimeouts,
        },
        onRequest,
      )
    : createServer(httpTimeouts, onRequest);
  // Over TLS the deadline starts once the handshake is done (handshakeTimeout bounds that part).
  server.on(opts.tls ? 'secureConnection' : 'connection', expectRequest);
  // Sockets that never become a session (no TLS handshake, no request) are not counted by the
  // cap above; bound all of them so no one can run the process out of file descriptors.
  server.maxConnections = socketCap(maxConnections);
  const overSocketCap = createRefusalLog(log, `socket cap (${server.maxConnections}) reached`, {
    quietMs: 1000,
  });
  server.on('drop', () => overSocketCap.refused('dropped a new socket'));
  server.on('connection', () => overSocketCap.cleared());
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => socket.destroy());
  // A failed TLS handshake (a client that does not trust the certificate) is the client's business.
  server.on('tlsClientError', (err) => log('debug', `tls: ${err.message}`));

  const heartbeat = setInterval(() => {
    for (const session of sessions) {
      if (!session.alive) {
        log('warn', 'ws: dropping a client that stopped answering pings');
        session.ws.terminate();
        continue;
      }
      session.alive = false;
      session.ws.ping();
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

  const setTokens = (next: ServerTokens): number => {
    checkTokens(next);
    tokens = { token: next.token, readToken: next.readToken };
    let closed = 0;
    for (const session of sessions) {
      if (roleOfToken(session.token, tokens) === session.role) continue;
      closed++;
      session.ws.close(WS_CLOSE_TOKEN_REVOKED, 'token rotated');
    }
    log('info', `ws: tokens replaced; ${closed} client(s) using an old token disconnected`);
    return closed;
  };

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    clearInterval(heartbeat);
    stopForwarding();
    const closed = [...sessions].map(
      (session) =>
        new Promise<void>((resolve) => {
          session.ws.once('close', () => resolve());
          session.ws.close(1001, 'server shutting down');
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
    for (const session of sessions) session.ws.terminate();
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  const scheme = opts.tls ? 'wss' : 'ws';
  return {
    host,
    port,
    url: `${scheme}://${urlHost}${WS_PATH}`,
    httpUrl: `${opts.tls ? 'https' : 'http'}://${urlHost}/`,
    fingerprint,
    clientCount: () => sessions.size,
    setTokens,
    close: () => (closing ??= close()),
  };
}
