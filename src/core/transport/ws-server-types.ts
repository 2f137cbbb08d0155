/** The WebSocket server's options and handle (startWsServer in ws-server.ts). */
import type { Dispatch } from '../api/dispatcher.ts';
import type { EventBus } from '../bot/event-bus.ts';
import type { RateLimit } from './rate-limit.ts';

export type TransportLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface TlsFiles {
  /** PEM certificate (chain). */
  cert: string | Buffer;
  /** PEM private key. */
  key: string | Buffer;
}

export interface WsServerOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** The control token (every channel). */
  token: string;
  /** The read-only token (reading channels and events only); none by default. */
  readToken?: string;
  /** Bind address; default 127.0.0.1 (loopback only). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Serve over TLS (https/wss). */
  tls?: TlsFiles;
  /** Allow a non-loopback bind without TLS (tokens would cross the network in clear). */
  insecure?: boolean;
  /** Browser origins allowed besides same-origin, e.g. 'http://localhost:5173'. */
  allowedOrigins?: readonly string[];
  /** Largest accepted frame; a bigger one closes the connection (1009). Default 1 MiB. */
  maxMessageBytes?: number;
  /** A client whose unsent data exceeds this is disconnected instead of buffered. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Open connections at most; more are refused at the upgrade with 503. Default 64. */
  maxConnections?: number;
  /** Frames a connection may send; over it a frame is answered with an error and not run. null = no limit. */
  rateLimit?: RateLimit | null;
  /** Minimum gap between two bot:status events. Default 100 ms (10 Hz). */
  statusIntervalMs?: number;
  /** Serve this folder (the built renderer) over HTTP at `/`. */
  staticRoot?: string;
  /** Ping interval; a client that misses a pong for one interval is dropped. Default 30 s. */
  heartbeatMs?: number;
  /**
   * A socket must finish its TLS handshake and send a request (an authenticated upgrade, or a
   * page of the UI) within this long, or it is closed; also the HTTP headers timeout. Default 10 s.
   */
  authTimeoutMs?: number;
  /** An HTTP keep-alive socket with no request for this long is closed. Default 5 s. */
  keepAliveTimeoutMs?: number;
  log?: TransportLog;
}

export interface WsServer {
  readonly host: string;
  readonly port: number;
  /** ws://host:port/ws, or wss:// with TLS */
  readonly url: string;
  /** http(s)://host:port/ (the UI when staticRoot is set) */
  readonly httpUrl: string;
  /** SHA-256 fingerprint of the TLS certificate (AA:BB:…), null without TLS. */
  readonly fingerprint: string | null;
  clientCount(): number;
  /**
   * Replace the tokens: clients whose token no longer grants the role they had are
   * closed (code WS_CLOSE_TOKEN_REVOKED). Returns how many were closed.
   */
  setTokens(tokens: { token: string; readToken?: string | undefined }): number;
  /** Close every client, stop forwarding and release the port. */
  close(): Promise<void>;
}
