/**
 * Generates docs/API.md from the contract (channels, events, schemas, error
 * codes) and the WebSocket protocol constants, so the documentation cannot
 * drift: test/unit/transport/api-docs.test.ts regenerates it in memory and fails
 * when the checked-in file differs. `npm run docs:api` rewrites it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CHANNELS, DESKTOP_CHANNELS, DESKTOP_EVENTS, EVENTS } from '../src/core/api/channels.ts';
import * as contractModule from '../src/core/api/contract.ts';
import { ERROR_CODES } from '../src/core/api/errors.ts';
import * as schemas from '../src/core/api/schemas.ts';
import {
  TOKEN_PATTERN,
  WS_CLOSE_TOKEN_REVOKED,
  WS_PATH,
  WS_SUBPROTOCOL,
  WS_TOKEN_PREFIX,
} from '../src/core/api/ws-protocol.ts';
import { WATCH_CHANNELS } from '../src/core/transport/access.ts';
import { STATUS_INTERVAL_MS } from '../src/core/transport/coalesce.ts';
import { DEFAULT_RATE_LIMIT } from '../src/core/transport/rate-limit.ts';
import { UI_CSP } from '../src/core/transport/static-site.ts';
import {
  DEFAULT_AUTH_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_MESSAGE_BYTES,
} from '../src/core/transport/ws-server.ts';
import { defaultText, schemaText, type JsonSchema } from '../src/headless/json-schema-text.ts';
import { DEFAULT_PORT, READ_TOKEN_FILE, TOKEN_FILE } from '../src/headless/server-files.ts';

export const API_DOCS_PATH = path.resolve(import.meta.dirname, '../docs/API.md');

/** Every exported schema gets its name, so shared shapes are written once under "Types". */
function namedSchemas(): z.core.$ZodRegistry<{ id: string }> {
  const registry = z.registry<{ id: string }>();
  const seen = new Set<unknown>();
  for (const [name, value] of [...Object.entries(schemas), ...Object.entries(contractModule)]) {
    if (value instanceof z.ZodType && !seen.has(value)) {
      seen.add(value);
      registry.add(value, { id: name });
    }
  }
  return registry;
}

interface Converted {
  root: JsonSchema;
  defs: Record<string, JsonSchema>;
}

function convert(schema: z.ZodType, registry: z.core.$ZodRegistry<{ id: string }>): Converted {
  // io 'input' keeps defaulted fields optional (`name?: T = default`), which reads right for
  // both directions: callers may omit them, results always carry them.
  const json = z.toJSONSchema(schema, {
    io: 'input',
    metadata: registry,
    unrepresentable: 'any',
  }) as JsonSchema;
  const { $defs, $schema: _ignored, ...root } = json;
  return { root, defs: ($defs ?? {}) as Record<string, JsonSchema> };
}

function codeBlock(text: string): string {
  return ['```ts', text, '```'].join('\n');
}

function shapeLine(label: string, conv: Converted): string {
  const text = schemaText(conv.root);
  const optional =
    'default' in conv.root
      ? ` — optional, defaults to \`${JSON.stringify(conv.root.default)}\``
      : '';
  if (!text.includes('\n')) return `${label}: \`${text}\`${optional}`;
  return `${label}${optional}:\n\n${codeBlock(text)}`;
}

function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function wireSection(): string[] {
  const size = (n: number) =>
    n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${n / 1024} KiB`;
  return [
    '## WebSocket transport',
    '',
    '`botdesk serve` serves this contract over one WebSocket (the Electron app uses IPC with the same',
    'envelopes). The renderer and the CLI use `connectWs()` from `src/core/api/ws-client.ts`, which needs',
    'only the standard `WebSocket` (browsers, Node 24).',
    '',
    `- **Endpoint:** \`ws://127.0.0.1:${DEFAULT_PORT}${WS_PATH}\` by default (\`--host\`, \`--port\`). It binds the loopback`,
    '  address unless told otherwise; the same port serves the built UI over HTTP at `/` with `--ui`.',
    `- **Token:** browsers cannot set handshake headers, so the client offers two subprotocols:`,
    `  \`${WS_SUBPROTOCOL}\` and \`${WS_TOKEN_PREFIX}<token>\`. The server selects \`${WS_SUBPROTOCOL}\` (the token is`,
    '  never echoed) and compares the token in constant time. A missing or wrong token is refused at the',
    '  HTTP upgrade with `401`. Tokens match `' +
      String(TOKEN_PATTERN) +
      '`; the server takes `--token-file`,',
    `  else \`$BOTDESK_TOKEN\`, else \`<data-dir>/${TOKEN_FILE}\` (generated on first use, mode 0600).`,
    `- **Read-only token:** a second token (\`$BOTDESK_READ_TOKEN\`, else \`<data-dir>/${READ_TOKEN_FILE}\`) may`,
    `  subscribe to every event and call only ${[...WATCH_CHANNELS].map((c) => `\`${c}\``).join(', ')};`,
    '  any other channel answers `FORBIDDEN`. `botdesk token rotate` replaces the token files; the running server',
    `  takes the new tokens and closes connections that used an old one with code ${WS_CLOSE_TOKEN_REVOKED} (do not retry with it).`,
    "- **TLS:** `--tls-cert FILE --tls-key FILE` serve `wss://` and `https://`; the server prints the certificate's",
    '  SHA-256 fingerprint, which the desktop app pins on first use (a changed certificate is refused before the',
    '  token is sent). Binding a non-loopback address without TLS needs `--insecure`.',
    `- **Limits:** at most ${DEFAULT_MAX_CONNECTIONS} open connections (\`--max-connections\`; more are refused at the upgrade`,
    `  with \`503\`); each connection may send ${DEFAULT_RATE_LIMIT.perSecond} frames/s (bursts of ${DEFAULT_RATE_LIMIT.burst}); a frame over the`,
    '  limit is not run and is answered with a `TRANSPORT_ERROR` result. Each kind of refusal is logged once when',
    '  it starts and summed up when it ends, not once per frame.',
    `- **Timeouts:** a socket that has not finished its TLS handshake and sent a request (the upgrade, or a`,
    `  page of the UI) within ${DEFAULT_AUTH_TIMEOUT_MS / 1000} s is closed (\`--auth-timeout MS\`; also the HTTP headers timeout); an idle`,
    `  HTTP keep-alive socket after ${DEFAULT_KEEP_ALIVE_TIMEOUT_MS / 1000} s. An open WebSocket has no idle limit: it must answer pings.`,
    '- **Origin and Host:** requests without `Origin` (non-browser clients) and same-origin pages are',
    '  accepted; other origins get `403` unless allowed with `--allow-origin`. A server bound to one address',
    '  also refuses `Host` names that do not name it (`403`), so a DNS-rebinding page cannot reach it.',
    '- **UI page:** `http://<host>:<port>/#token=<token>`; the page reads `token` (and optionally `ws`, the',
    '  WebSocket URL) from the fragment or the query string (`wsTargetFromLocation()`); the fragment is never',
    '  sent to the server. Static files are served only from inside `out/renderer`, with fixed content',
    '  types, `Referrer-Policy: no-referrer`, `X-Content-Type-Options: nosniff` and this CSP:',
    `  \`${UI_CSP}\`.`,
    '',
    '### Frames',
    '',
    'Every frame is one JSON text message:',
    '',
    codeBlock(
      [
        '// client → server',
        "{ t: 'call', id: number | string, channel: string, payload?: unknown }",
        "{ t: 'sub', event: string }      // start receiving an event",
        "{ t: 'unsub', event: string }    // stop",
        '// server → client',
        "{ t: 'result', id: number | string | null, envelope: Envelope }",
        "{ t: 'event', event: string, payload: unknown }",
        "{ t: 'events', items: Array<{ t: 'event', event, payload }> }  // events of the same few ms, in order",
      ].join('\n'),
    ),
    '',
    "- A call is answered by one `result` with the same `id` and the channel's envelope: an unknown",
    '  channel gives `NOT_FOUND`, a payload that fails validation gives `INVALID_INPUT` and changes nothing.',
    '- A frame the server cannot read (malformed JSON, binary, not an object, unknown `t`, a call without',
    "  `id`) is answered with a `result` carrying an `INVALID_INPUT` envelope and the frame's `id` when",
    '  one could be read, else `null`; the connection stays open. `sub` to an unknown event gives `NOT_FOUND`.',
    `- Frames larger than ${size(DEFAULT_MAX_MESSAGE_BYTES)} close the connection (code 1009).`,
    `- \`bot:status\` events are coalesced to one per ${STATUS_INTERVAL_MS} ms at most (latest wins, first and last`,
    '  always delivered); other events pass through in order.',
    `- A client that stops reading is disconnected once ${size(DEFAULT_MAX_BUFFERED_BYTES)} are waiting for it, and`,
    `  one that misses a ping for ${DEFAULT_HEARTBEAT_MS / 1000} s is dropped; both are logged.`,
    '- When the server stops, clients are closed with code 1001 and pending calls fail with `TRANSPORT_ERROR`.',
    '',
  ];
}

export function renderApiDocs(): string {
  const registry = namedSchemas();
  const defs: Record<string, JsonSchema> = {};
  const take = (schema: z.ZodType): Converted => {
    const conv = convert(schema, registry);
    Object.assign(defs, conv.defs);
    return conv;
  };

  const channelSections = CHANNELS.flatMap((name) => {
    const def = contractModule.contract[name];
    const [area, verb] = name.split(':');
    return [
      `### \`${name}\``,
      '',
      def.summary,
      '',
      `Call: \`api.${area}.${verb}(payload)\``,
      '',
      shapeLine('Payload', take(def.input)),
      '',
      shapeLine('Result', take(def.output)),
      '',
    ];
  });

  const eventRows = EVENTS.map((name) => {
    const def = contractModule.eventContract[name];
    const text = schemaText(take(def.payload).root);
    const shape = text.includes('\n') ? `see below` : `\`${text}\``;
    return { name, summary: def.summary, shape, text };
  });

  const desktopSections = DESKTOP_CHANNELS.flatMap((name) => {
    const def = contractModule.desktopContract[name];
    return [
      `### \`${name}\``,
      '',
      def.summary,
      '',
      shapeLine('Payload', take(def.input)),
      '',
      shapeLine('Result', take(def.output)),
      '',
    ];
  });
  const desktopEventRows = DESKTOP_EVENTS.map((name) => {
    const def = contractModule.desktopEventContract[name];
    return `| \`${name}\` | \`${schemaText(take(def.payload).root)}\` | ${def.summary} |`;
  });

  const typeSections = Object.keys(defs)
    .sort()
    .flatMap((name) => {
      const def = defs[name] as JsonSchema;
      return [`### ${name}`, '', codeBlock(`${schemaText(def)}${defaultText(def)}`), ''];
    });

  return [
    '# BotDesk API',
    '',
    '<!-- Generated from src/core/api by scripts/gen-api-docs.ts (`npm run docs:api`). Do not edit by hand:',
    '     a test fails when this file is stale. -->',
    '',
    'One typed contract (`src/core/api/contract.ts`) is served over Electron IPC (the preload exposes it as',
    '`window.botdesk`) and over WebSocket (`botdesk serve`). Channel `area:verb` is called as',
    '`api.area.verb(payload)`; events are subscribed with `api.on(event, listener)`, which returns the',
    'unsubscribe function. Payloads are validated with zod before any handler runs.',
    '',
    'Notation: `name?: T = d` is an optional field defaulting to `d` (results always carry it);',
    '`integer (1..10)` gives inclusive bounds; names in `Types` below are shared shapes.',
    '',
    '## Errors',
    '',
    'Every call answers with an envelope; clients re-throw failures as `BotDeskError(code, message)`.',
    '',
    codeBlock(
      '{ ok: true, data: Result } | { ok: false, error: { code: ErrorCode, message: string, details?: unknown } }',
    ),
    '',
    `\`ErrorCode\`: ${ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`,
    '',
    '`INVALID_INPUT` carries the validation issues in `details` (`[{ path: string[], message: string }]`).',
    '',
    '## Channels',
    '',
    '| Channel | Summary |',
    '|---|---|',
    ...CHANNELS.map(
      (name) => `| [\`${name}\`](#${anchor(name)}) | ${contractModule.contract[name].summary} |`,
    ),
    '',
    ...channelSections,
    '## Events',
    '',
    '| Event | Payload | Summary |',
    '|---|---|---|',
    ...eventRows.map((e) => `| \`${e.name}\` | ${e.shape} | ${e.summary} |`),
    '',
    ...eventRows
      .filter((e) => e.shape === 'see below')
      .flatMap((e) => [`### Event \`${e.name}\``, '', codeBlock(e.text), '']),
    '## Desktop-only channels',
    '',
    'Served by the Electron main process over IPC only (the preload exposes them as',
    '`window.botdeskDesktop`), never over WebSocket: they choose which bot the app controls and hold',
    "remote bots' tokens, which a remote client must never reach. While a remote bot is selected, every",
    'channel above is proxied by the main process to that bot; the token never reaches the renderer.',
    '',
    ...desktopSections,
    '| Desktop event | Payload | Summary |',
    '|---|---|---|',
    ...desktopEventRows,
    '',
    '## Types',
    '',
    ...typeSections,
    ...wireSection(),
  ].join('\n');
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(API_DOCS_PATH, renderApiDocs());
  process.stderr.write(`wrote ${path.relative(process.cwd(), API_DOCS_PATH)}\n`);
}
