/** `botdesk status`: ask a serving bot for its status over the WebSocket contract. */
import type { BotStatus } from '../../core/api/schemas.ts';
import { connectWs } from '../../core/api/ws-client.ts';
import { BotDeskError } from '../../core/api/errors.ts';
import { WS_PATH } from '../../core/api/ws-protocol.ts';
import { pinnedSocketFactory, probeCertificate } from '../../core/transport/pinned-socket.ts';
import { normalizeFingerprint } from '../../core/transport/tls-identity.ts';
import { stringOption, UsageError, type Command } from '../command.ts';
import {
  checkToken,
  DEFAULT_PORT,
  readServerInfo,
  readTokenFile,
  TOKEN_FILE,
  TOKEN_OPTIONS,
  tokenOption,
} from '../server-files.ts';

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

export function formatStatus(s: BotStatus): string {
  const lines = [
    `state     ${s.state}${s.entriesPaused ? ' (entries paused)' : ''}`,
    `mode      ${s.mode}, ${s.dataLabel} data`,
    `started   ${when(s.startedAt)}`,
    `ticks     ${s.ticks} (missed ${s.missedTicks}), last ${when(s.lastTickAt)}`,
    `activity  ${s.signals} signals, ${s.orders} orders, ${s.fills} fills`,
    `equity    ${s.equity === null ? '-' : s.equity.toFixed(2)}`,
  ];
  if (s.config) {
    lines.push(
      `strategy  ${s.config.strategy.id} on ${s.config.symbols.join(', ')} (${s.config.timeframe})`,
    );
  }
  for (const p of s.pairs) {
    lines.push(`pair      ${p.symbol} ${p.state}${p.lastError ? `: ${p.lastError}` : ''}`);
  }
  for (const w of s.warnings) lines.push(`warning   ${w}`);
  if (s.lastStop) {
    lines.push(
      `last stop ${when(s.lastStop.at)}: ${s.lastStop.reason}${s.lastStop.forced ? ' (forced)' : ''}`,
    );
  }
  if (s.error) lines.push(`error     ${s.error.code}: ${s.error.message}`);
  return lines.join('\n');
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the status of a bot served by `botdesk serve`.',
  usage: '[--url URL] [--token-file FILE] [--fingerprint SHA256]',
  details: [
    `Defaults: the URL of the server running on this data folder (server.json), else`,
    `ws://127.0.0.1:${DEFAULT_PORT}${WS_PATH}; the token from $BOTDESK_TOKEN, else <data-dir>/${TOKEN_FILE}.`,
    'A wss:// server must show the certificate recorded in server.json, or the one --fingerprint names.',
    'With --json, prints the BotStatus document.',
  ].join('\n'),
  options: {
    url: { type: 'string', valueName: 'URL', description: 'WebSocket URL of the server' },
    ...TOKEN_OPTIONS,
    fingerprint: {
      type: 'string',
      valueName: 'SHA256',
      description: "the TLS certificate's SHA-256 fingerprint, as `botdesk serve` prints it",
    },
  },
  async run(ctx) {
    const info = readServerInfo(ctx.dataDir);
    const url =
      stringOption(ctx.values, 'url') ?? info?.url ?? `ws://127.0.0.1:${DEFAULT_PORT}${WS_PATH}`;
    const flag = stringOption(ctx.values, 'fingerprint');
    const pin = flag === undefined ? null : normalizeFingerprint(flag);
    if (flag !== undefined && pin === null)
      throw new UsageError(
        '--fingerprint takes a SHA-256 fingerprint (64 hex digits, colons optional)',
      );
    const token =
      tokenOption(ctx.values) ??
      (ctx.io.env.BOTDESK_TOKEN
        ? checkToken(ctx.io.env.BOTDESK_TOKEN, '$BOTDESK_TOKEN')
        : undefined) ??
      readTokenFile(ctx.dataDir);
    if (token === null) {
      throw new BotDeskError(
        'UNAUTHORIZED',
        `no token: pass --token-file, set $BOTDESK_TOKEN, or run \`botdesk serve\` with this data folder (${ctx.dataDir})`,
      );
    }
    let createSocket;
    if (url.startsWith('wss:')) {
      const expected = pin ?? (info?.url === url ? (info.fingerprint ?? null) : null);
      if (expected === null) {
        throw new UsageError(
          `${url} uses TLS: pass --fingerprint (the SHA-256 \`botdesk serve\` prints) to check its certificate`,
        );
      }
      const cert = await probeCertificate(url, 5000);
      if (cert.fingerprint !== expected) {
        throw new BotDeskError(
          'UNAUTHORIZED',
          `the certificate of ${url} is SHA-256 ${cert.fingerprint}, not ${expected}: the token was not sent`,
        );
      }
      createSocket = pinnedSocketFactory(cert);
    }
    const conn = await connectWs({
      url,
      token,
      connectTimeoutMs: 5000,
      callTimeoutMs: 10_000,
      ...(createSocket ? { createSocket } : {}),
    });
    try {
      const status = await conn.api.bot.status();
      ctx.output(formatStatus(status), status);
      return 0;
    } finally {
      await conn.close();
    }
  },
};
