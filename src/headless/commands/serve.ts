/**
 * `botdesk serve`: the core host (conf settings, journals, compute workers) behind
 * the WebSocket transport, optionally with the built UI, until SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '../../core/api/dispatcher.ts';
import { withTimeout } from '../../core/bot/abortable.ts';
import { readTlsFiles } from '../../core/transport/tls-identity.ts';
import {
  DEFAULT_AUTH_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  isLoopbackHost,
  startWsServer,
  type TransportLog,
} from '../../core/transport/ws-server.ts';
import {
  intOption,
  listOption,
  stringOption,
  UsageError,
  type Command,
  type CommandContext,
} from '../command.ts';
import { openHeadlessHost } from '../core-host-loader.ts';
import { watchTokenFiles } from '../token-watch.ts';
import {
  checkToken,
  DEFAULT_PORT,
  ensureDataDir,
  loadOrCreateToken,
  READ_TOKEN_FILE,
  removeServerInfo,
  TOKEN_OPTIONS,
  tokenOption,
  writeServerInfo,
} from '../server-files.ts';

const SHUTDOWN_MARGIN_MS = 5000;

/** out/renderer next to the built CLI (out/headless/cli.js), or from the source tree. */
function builtUiDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../renderer'),
    path.resolve(here, '../../../out/renderer'),
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? null;
}

interface ServeToken {
  token: string;
  /** Where the operator finds it, for the startup message. */
  where: string;
  file: string | null;
}

function serverToken(ctx: CommandContext): ServeToken {
  const flag = tokenOption(ctx.values);
  if (flag !== undefined) return { token: flag, where: 'from --token-file', file: null };
  const env = ctx.io.env.BOTDESK_TOKEN;
  if (env)
    return { token: checkToken(env, '$BOTDESK_TOKEN'), where: 'from $BOTDESK_TOKEN', file: null };
  const saved = loadOrCreateToken(ctx.dataDir);
  return {
    token: saved.token,
    where: `in ${saved.file}${saved.created ? ' (new)' : ''}`,
    file: saved.file,
  };
}

/** The read-only (watch) token: $BOTDESK_READ_TOKEN, else <data-dir>/server-token-read (made on first use). */
function serverReadToken(ctx: CommandContext): ServeToken {
  const env = ctx.io.env.BOTDESK_READ_TOKEN;
  if (env) {
    return {
      token: checkToken(env, '$BOTDESK_READ_TOKEN'),
      where: 'from $BOTDESK_READ_TOKEN',
      file: null,
    };
  }
  const saved = loadOrCreateToken(ctx.dataDir, READ_TOKEN_FILE);
  return {
    token: saved.token,
    where: `in ${saved.file}${saved.created ? ' (new)' : ''}`,
    file: saved.file,
  };
}

function tlsOptions(ctx: CommandContext) {
  const cert = stringOption(ctx.values, 'tls-cert');
  const key = stringOption(ctx.values, 'tls-key');
  if (cert === undefined && key === undefined) return null;
  if (cert === undefined || key === undefined)
    throw new UsageError('--tls-cert and --tls-key go together (a PEM certificate and its key)');
  return readTlsFiles(cert, key);
}

function origins(ctx: CommandContext): string[] {
  return listOption(ctx.values, 'allow-origin').map((origin) => {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new UsageError(
        `--allow-origin takes an origin like http://localhost:5173 (got '${origin}')`,
      );
    }
    return origin;
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the bot over WebSocket (and the UI with --ui) until SIGINT/SIGTERM.',
  usage:
    '[--host HOST] [--port PORT] [--token-file FILE] [--tls-cert FILE --tls-key FILE] [--insecure] [--ui] [--allow-origin ORIGIN]...',
  details: [
    'The token comes from --token-file, else $BOTDESK_TOKEN, else <data-dir>/server-token (generated on',
    'first use, mode 0600); clients offer it as the subprotocol botdesk.token.<token> (see docs/API.md).',
    'A read-only token (status, journals, events; no control) comes from $BOTDESK_READ_TOKEN, else',
    `<data-dir>/${READ_TOKEN_FILE}. \`botdesk token rotate\` replaces the token files; a running server`,
    'takes the new ones at once and disconnects clients using an old one.',
    'With --tls-cert/--tls-key it serves wss:// and https:// and prints the certificate fingerprint, which',
    'the desktop app pins on first use. A non-loopback --host without TLS needs --insecure.',
    'A socket that has not authenticated (TLS handshake, token) within --auth-timeout is closed.',
    'The URL is written to <data-dir>/server.json for `botdesk status`. With --json, one JSON document',
    '({ url, httpUrl, uiUrl, tokenFile, pid }) is printed on stdout once the server listens.',
    'On SIGINT/SIGTERM the bot is stopped (bounded by --stop-timeout) and the server closes.',
  ].join('\n'),
  longRunning: true,
  options: {
    host: {
      type: 'string',
      valueName: 'HOST',
      description: 'bind address (default 127.0.0.1, loopback only)',
    },
    port: {
      type: 'string',
      valueName: 'PORT',
      description: `port (default ${DEFAULT_PORT}; 0 picks a free one)`,
    },
    ...TOKEN_OPTIONS,
    'tls-cert': {
      type: 'string',
      valueName: 'FILE',
      description: 'serve TLS (wss://) with this PEM certificate',
    },
    'tls-key': {
      type: 'string',
      valueName: 'FILE',
      description: 'the PEM private key of --tls-cert',
    },
    insecure: {
      type: 'boolean',
      description: 'allow a non-loopback --host without TLS (tokens travel in clear)',
    },
    'max-connections': {
      type: 'string',
      valueName: 'N',
      description: `refuse WebSocket connections beyond N open ones (default ${DEFAULT_MAX_CONNECTIONS})`,
    },
    'auth-timeout': {
      type: 'string',
      valueName: 'MS',
      description: `close a socket that has not authenticated (TLS handshake and token) within MS (default ${DEFAULT_AUTH_TIMEOUT_MS})`,
    },
    ui: { type: 'boolean', description: 'also serve the built UI (out/renderer) over HTTP' },
    'ui-dir': {
      type: 'string',
      valueName: 'DIR',
      description: 'serve the UI from DIR (implies --ui)',
    },
    'allow-origin': {
      type: 'string',
      multiple: true,
      valueName: 'ORIGIN',
      description: 'accept browser pages from ORIGIN besides same-origin',
    },
    'stop-timeout': {
      type: 'string',
      valueName: 'MS',
      description: 'how long to wait for the bot to stop on SIGINT/SIGTERM (default 10000)',
    },
    verbose: { type: 'boolean', description: 'also print debug log lines' },
  },
  async run(ctx) {
    const bindHost = stringOption(ctx.values, 'host') ?? '127.0.0.1';
    const port = intOption(ctx.values, 'port', { min: 0, max: 65_535, fallback: DEFAULT_PORT });
    const stopTimeoutMs = intOption(ctx.values, 'stop-timeout', {
      min: 0,
      max: 120_000,
      fallback: 10_000,
    });
    const allowedOrigins = origins(ctx);
    const uiDirFlag = stringOption(ctx.values, 'ui-dir');
    const wantUi = ctx.values.ui === true || uiDirFlag !== undefined;
    const staticRoot = wantUi
      ? (uiDirFlag ?? builtUiDir() ?? path.resolve('out/renderer'))
      : undefined;
    const verbose = ctx.values.verbose === true;
    const tls = tlsOptions(ctx);
    const insecure = ctx.values.insecure === true;
    const maxConnections = intOption(ctx.values, 'max-connections', {
      min: 1,
      max: 10_000,
      fallback: DEFAULT_MAX_CONNECTIONS,
    });
    const authTimeoutMs = intOption(ctx.values, 'auth-timeout', {
      min: 100,
      max: 600_000,
      fallback: DEFAULT_AUTH_TIMEOUT_MS,
    });
    if (!tls && !insecure && !isLoopbackHost(bindHost)) {
      throw new UsageError(
        `--host ${bindHost} is reachable from other machines: serve TLS with --tls-cert/--tls-key, or accept tokens in clear with --insecure`,
      );
    }

    ensureDataDir(ctx.dataDir);
    const { token, where, file: tokenFile } = serverToken(ctx);
    const read = serverReadToken(ctx);
    const core = await openHeadlessHost({ dataDir: ctx.dataDir, log: ctx.log, verbose });
    // The host prints every log line on the bus (stderr): emitting is enough.
    const transportLog: TransportLog = (level, message) =>
      core.bus.emit('log', { ts: Date.now(), level, scope: 'transport', message });
    let server;
    try {
      server = await startWsServer({
        dispatch: createDispatcher(core.handlers),
        bus: core.bus,
        token,
        readToken: read.token,
        host: bindHost,
        port,
        allowedOrigins,
        maxConnections,
        authTimeoutMs,
        ...(tls ? { tls } : {}),
        insecure,
        ...(staticRoot ? { staticRoot } : {}),
        log: transportLog,
      });
    } catch (err) {
      await core.close({ timeoutMs: stopTimeoutMs });
      throw err;
    }

    writeServerInfo(ctx.dataDir, {
      url: server.url,
      httpUrl: server.httpUrl,
      pid: process.pid,
      startedAt: Date.now(),
      tokens: tokenFile !== null && read.file !== null ? 'files' : 'environment',
      fingerprint: server.fingerprint,
    });
    const wsServer = server;
    const stopWatching =
      tokenFile !== null && read.file !== null
        ? watchTokenFiles({
            dataDir: ctx.dataDir,
            current: { token, readToken: read.token },
            // The server logs how many clients it disconnected.
            onChange: (next) => void wsServer.setTokens(next),
            log: (level, message) => transportLog(level, message),
          })
        : () => {};
    const uiUrl = staticRoot ? `${server.httpUrl}#token=<token>` : null;
    ctx.log(`botdesk: serving ${server.url} (data ${ctx.dataDir})`);
    ctx.log(`botdesk: token ${where}; read-only token ${read.where}`);
    if (server.fingerprint) ctx.log(`botdesk: TLS certificate SHA-256 ${server.fingerprint}`);
    else if (!isLoopbackHost(bindHost))
      ctx.log('botdesk: WARNING: serving without TLS beyond loopback (--insecure)');
    if (uiUrl) ctx.log(`botdesk: UI at ${uiUrl} (put the token after #token=)`);
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ url: server.url, httpUrl: server.httpUrl, uiUrl, tokenFile, readTokenFile: read.file, fingerprint: server.fingerprint, pid: process.pid })}\n`,
      );
    }

    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });

    ctx.log(`botdesk: stopping (waiting up to ${stopTimeoutMs} ms for the bot)`);
    removeServerInfo(ctx.dataDir, process.pid);
    stopWatching();
    await server.close();
    // The engine forces its stop after stopTimeoutMs; this is the backstop should that hang.
    const hardLimitMs = stopTimeoutMs + SHUTDOWN_MARGIN_MS;
    if (
      !(await withTimeout(
        core.close({ timeoutMs: stopTimeoutMs }).then(() => true),
        hardLimitMs,
        false,
      ))
    ) {
      ctx.log(`botdesk: the bot did not stop within ${hardLimitMs} ms; exiting anyway`);
      process.exit(1);
    }
    ctx.log('botdesk: stopped');
    return 0;
  },
};
