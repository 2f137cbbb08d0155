/**
 * `botdesk serve`: the core host (conf settings, journals, compute workers) behind
 * the WebSocket transport, optionally with the built UI, until SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '../../core/api/dispatcher.ts';
import { withTimeout } from '../../core/bot/abortable.ts';
import { startWsServer, type TransportLog } from '../../core/transport/ws-server.ts';
import {
  intOption,
  listOption,
  stringOption,
  UsageError,
  type Command,
  type CommandContext,
} from '../command.ts';
import { openHeadlessHost } from '../core-host-loader.ts';
import {
  checkToken,
  DEFAULT_PORT,
  ensureDataDir,
  loadOrCreateToken,
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
  usage: '[--host HOST] [--port PORT] [--token-file FILE] [--ui] [--allow-origin ORIGIN]...',
  details: [
    'The token comes from --token-file, else $BOTDESK_TOKEN, else <data-dir>/server-token (generated on',
    'first use, mode 0600); clients offer it as the subprotocol botdesk.token.<token> (see docs/API.md).',
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

    ensureDataDir(ctx.dataDir);
    const { token, where, file: tokenFile } = serverToken(ctx);
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
        host: bindHost,
        port,
        allowedOrigins,
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
    });
    const uiUrl = staticRoot ? `${server.httpUrl}#token=<token>` : null;
    ctx.log(`botdesk: serving ${server.url} (data ${ctx.dataDir})`);
    ctx.log(`botdesk: token ${where}`);
    if (uiUrl) ctx.log(`botdesk: UI at ${uiUrl} (put the token after #token=)`);
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ url: server.url, httpUrl: server.httpUrl, uiUrl, tokenFile, pid: process.pid })}\n`,
      );
    }

    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });

    ctx.log(`botdesk: stopping (waiting up to ${stopTimeoutMs} ms for the bot)`);
    removeServerInfo(ctx.dataDir, process.pid);
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
