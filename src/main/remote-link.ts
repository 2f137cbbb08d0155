/**
 * The main process's connection to one remote `botdesk serve`: TLS pinned by
 * fingerprint (trust on first use), the token presented in the handshake, every
 * contract event subscribed and handed on, and reconnection with backoff after a
 * dropped connection. Refusals that a retry cannot fix — a changed certificate,
 * a refused or rotated token — stop the retries and say what to do; so does a
 * certificate that cannot be used (expired, not yet valid, unverifiable: state
 * `error`), until the user selects the bot again.
 * Electron-free: src/main/bot-connections.ts owns the links.
 */
import { EVENTS, splitChannel, type ChannelName, type EventName } from '../core/api/channels.ts';
import type { BotDeskApi } from '../core/api/client.ts';
import { BotDeskError, toErrorInfo } from '../core/api/errors.ts';
import type { BotTargetState } from '../core/api/contract.ts';
import { connectWs, type SocketFactory, type WsConnection } from '../core/api/ws-client.ts';
import { WS_CLOSE_TOKEN_REVOKED } from '../core/api/ws-protocol.ts';
import {
  CERT_FINGERPRINT_MISMATCH,
  pinnedSocketFactory,
  plainSocketFactory,
  probeCertificate,
  tlsFailure,
  type PeerCertificateInfo,
} from '../core/transport/pinned-socket.ts';

export interface RemoteLinkOptions {
  name: string;
  url: string;
  token: string;
  /** The pinned fingerprint; null = pin the first certificate seen (trust on first use). */
  fingerprint: string | null;
  onPin(fingerprint: string): void;
  onState(state: BotTargetState, message: string | null): void;
  onEvent(event: EventName, payload: unknown): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** Reconnection backoff, doubling from min to max. */
  retryMs?: { min: number; max: number };
  /**
   * A silent peer (a machine gone from the network) leaves a TCP connection open for
   * minutes: every `keepAliveMs` a status call must answer within the same time, or
   * the connection is given up and re-made. Default 15 s.
   */
  keepAliveMs?: number;
}

export interface RemoteLink {
  /** The first connection: rejects with a clear error (and retries nothing) when it fails. */
  open(): Promise<void>;
  call(channel: ChannelName, input: unknown): Promise<unknown>;
  state(): { state: BotTargetState; message: string | null };
  close(): Promise<void>;
}

/** A refusal a retry cannot fix (state `refused`). */
class Refused extends BotDeskError {}
/** A certificate that cannot be used, whatever the retries (state `error`). */
class CertificateUnusable extends Refused {}

const stateOf = (err: Refused): BotTargetState =>
  err instanceof CertificateUnusable ? 'error' : 'refused';

/** A failed connection whose socket reported a permanent TLS failure: why, and what to do. */
function certificateProblem(
  name: string,
  socketError: Error | null,
  cert: PeerCertificateInfo,
): Refused | null {
  const failure = tlsFailure(socketError, cert);
  if (!failure) return null;
  if (failure.code === CERT_FINGERPRINT_MISMATCH)
    return new Refused('UNAUTHORIZED', `${name}: ${socketError?.message ?? failure.problem}`, {
      tlsCode: failure.code,
    });
  return new CertificateUnusable(
    'TRANSPORT_ERROR',
    `the TLS certificate of ${name} ${failure.problem} (${failure.code}), so BotDesk stopped trying to connect. ` +
      'Fix the certificate of `botdesk serve` (a new certificate has a new fingerprint: then remove the bot and add it again), ' +
      'then select the bot to try again.',
    { tlsCode: failure.code },
  );
}

function explain(err: unknown, name: string): BotDeskError {
  if (err instanceof BotDeskError && err instanceof Refused) return err;
  const info = toErrorInfo(err);
  if (/Unexpected server response: 401/.test(info.message))
    return new Refused(
      'UNAUTHORIZED',
      `${name} refused the token (it is wrong, or it was rotated with \`botdesk token rotate\`): remove the bot and add it with the current token`,
    );
  if (/Unexpected server response: 403/.test(info.message))
    return new Refused(
      'FORBIDDEN',
      `${name} refused the connection (403): a server bound to one address answers only to that address; use it in the bot's address, or serve with --host 0.0.0.0`,
    );
  if (/Unexpected server response: 503/.test(info.message))
    return new BotDeskError(
      'TRANSPORT_ERROR',
      `${name} has too many connections open; try again later`,
    );
  return new BotDeskError(info.code, info.message);
}

function callOf(api: BotDeskApi, channel: ChannelName): (input: unknown) => Promise<unknown> {
  const [area, verb] = splitChannel(channel);
  return (api as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[
    area
  ]![verb]!;
}

export function createRemoteLink(opts: RemoteLinkOptions): RemoteLink {
  const retry = opts.retryMs ?? { min: 1000, max: 30_000 };
  let pinned = opts.fingerprint;
  let conn: WsConnection | null = null;
  let current: { state: BotTargetState; message: string | null } = {
    state: 'connecting',
    message: null,
  };
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const keepAliveMs = opts.keepAliveMs ?? 15_000;
  let keepAlive: ReturnType<typeof setInterval> | null = null;

  const setState = (state: BotTargetState, message: string | null) => {
    current = { state, message };
    opts.onState(state, message);
  };

  const connectOnce = async (): Promise<WsConnection> => {
    let createSocket: SocketFactory = plainSocketFactory;
    let seen: PeerCertificateInfo | null = null;
    let socketError: Error | null = null;
    if (new URL(opts.url).protocol === 'wss:') {
      const cert = await probeCertificate(opts.url, opts.connectTimeoutMs);
      if (pinned !== null && cert.fingerprint !== pinned) {
        throw new Refused(
          'UNAUTHORIZED',
          `the TLS certificate of ${opts.name} changed: pinned SHA-256 ${pinned}, now ${cert.fingerprint}. ` +
            'Someone may be intercepting the connection, so BotDesk did not send the token. If the server got a new ' +
            'certificate on purpose, compare the fingerprint `botdesk serve` prints, then remove the bot and add it again.',
        );
      }
      seen = cert;
      createSocket = pinnedSocketFactory(cert, (err) => (socketError = err));
    }
    let next: WsConnection;
    try {
      next = await connectWs({
        url: opts.url,
        token: opts.token,
        createSocket,
        connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
        ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
      });
    } catch (err) {
      throw (seen && certificateProblem(opts.name, socketError, seen)) ?? err;
    }
    if (pinned === null && seen !== null) {
      // Trust on first use: only a certificate that completed an authenticated connection is pinned.
      pinned = seen.fingerprint;
      opts.onPin(seen.fingerprint);
      opts.log('info', `${opts.name}: pinned its TLS certificate SHA-256 ${seen.fingerprint}`);
    }
    return next;
  };

  /** The connection is gone (closed, or silent): stop using it and decide what next. */
  const lost = (next: WsConnection, code: number, reason: string) => {
    if (conn !== next) return;
    conn = null;
    if (keepAlive !== null) clearInterval(keepAlive);
    keepAlive = null;
    if (closed) return;
    if (code === WS_CLOSE_TOKEN_REVOKED) {
      setState(
        'refused',
        `${opts.name} rotated its tokens and closed this connection: remove the bot and add it with the new token`,
      );
      return;
    }
    setState(
      'connecting',
      `connection lost (code ${code}${reason ? `: ${reason}` : ''}); reconnecting…`,
    );
    schedule(retry.min);
  };

  const attach = (next: WsConnection) => {
    conn = next;
    for (const event of EVENTS) next.api.on(event, (payload) => opts.onEvent(event, payload));
    setState('connected', null);
    let probing = false;
    keepAlive = setInterval(() => {
      if (probing || conn !== next) return;
      probing = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const silent = new Promise<'silent'>((resolve) => {
        timer = setTimeout(() => resolve('silent'), keepAliveMs);
      });
      void Promise.race([
        next.api.bot.status().then(
          () => 'ok' as const,
          () => 'ok' as const,
        ),
        silent,
      ]).then((outcome) => {
        clearTimeout(timer);
        probing = false;
        if (outcome !== 'silent') return;
        opts.log('warn', `${opts.name}: no answer within ${keepAliveMs} ms; reconnecting`);
        lost(next, 1006, 'no answer');
        void next.close();
      });
    }, keepAliveMs);
    keepAlive.unref?.();
    void next.closed.then(({ code, reason }) => lost(next, code, reason));
  };

  const schedule = (delayMs: number) => {
    if (closed) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connectOnce().then(
        (next) => {
          if (closed) return void next.close();
          opts.log('info', `${opts.name}: reconnected`);
          attach(next);
        },
        (err: unknown) => {
          const error = explain(err, opts.name);
          if (error instanceof Refused) {
            setState(stateOf(error), error.message);
            opts.log('error', error.message);
            return;
          }
          setState('connecting', `${error.message}; retrying…`);
          schedule(Math.min(retry.max, delayMs * 2));
        },
      );
    }, delayMs);
  };

  return {
    async open() {
      setState('connecting', null);
      try {
        attach(await connectOnce());
      } catch (err) {
        const error = explain(err, opts.name);
        setState(error instanceof Refused ? stateOf(error) : 'disconnected', error.message);
        throw new BotDeskError(error.code, error.message, error.details);
      }
    },
    call(channel, input) {
      if (!conn) {
        return Promise.reject(
          new BotDeskError(
            'TRANSPORT_ERROR',
            `${opts.name} is not connected${current.message ? `: ${current.message}` : ''}`,
          ),
        );
      }
      return callOf(conn.api, channel)(input);
    },
    state: () => current,
    async close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      if (keepAlive !== null) clearInterval(keepAlive);
      const open = conn;
      conn = null;
      await open?.close();
    },
  };
}
