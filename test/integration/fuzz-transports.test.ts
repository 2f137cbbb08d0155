/**
 * Transport fuzz: more than 10,000 malformed messages over each transport — the Electron
 * IPC handlers (Electron mocked as in test/unit/main/ipc.test.ts) and the WebSocket
 * server — to every channel and to unknown ones, against a real core host (conf
 * settings, sqlite journal, bot manager). Every message is answered with an error
 * envelope; afterwards the server still answers, and settings, journal and bot state
 * are exactly what they were.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CHANNELS } from '../../src/core/api/channels.ts';
import { createDispatcher, type Dispatch } from '../../src/core/api/dispatcher.ts';
import { ERROR_CODES, type Envelope } from '../../src/core/api/errors.ts';
import { wsProtocols, type ServerFrame } from '../../src/core/api/ws-protocol.ts';
import { createCoreHost, type CoreHost } from '../../src/core/host/core-host.ts';
import { journalFile } from '../../src/core/journal/journal.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { startWsServer, type WsServer } from '../../src/core/transport/ws-server.ts';
import { malformedCalls, type MalformedCall } from '../support/malformed-messages.ts';

type Handler = (event: unknown, payload: unknown) => Promise<unknown> | unknown;
const ipcHandlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
}));

const { registerIpc } = await import('../../src/main/ipc.ts');

const MESSAGES = 10_500;
const SEED = 20261130;
const TOKEN = 'fuzz-token-0123456789abcdef';
const APP_URL = 'file:///app/out/renderer/index.html';

let dir: string;
let host: CoreHost;
let dispatch: Dispatch;
let server: WsServer;
let disposeIpc: () => void;
let before: Snapshot;

interface Snapshot {
  settings: unknown;
  settingsFile: string;
  journal: unknown;
  journalFile: string;
  status: unknown;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Every row of every table of a SQLite file, hashed. Not the file's bytes: the journal's
 * background checkpoint copies committed pages from the WAL into the file at any time,
 * which changes the bytes and none of the content.
 */
function contentSha(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const hash = createHash('sha256');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as { name: string }[];
    for (const { name } of tables) {
      hash.update(name);
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()) {
        hash.update(JSON.stringify(row));
      }
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

async function data<T>(channel: string, payload?: unknown): Promise<T> {
  const res = await dispatch(channel, payload);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.data as T;
}

async function snapshot(): Promise<Snapshot> {
  const status = await data<Record<string, unknown>>('bot:status');
  return {
    settings: await data('settings:get'),
    settingsFile: sha(join(dir, 'settings.json')),
    journal: {
      orders: await data('journal:orders', { limit: 1000 }),
      fills: await data('journal:fills', { limit: 1000 }),
      equity: await data('journal:equity', { limit: 1000 }),
      positions: await data('journal:positions'),
    },
    journalFile: contentSha(journalFile(dir, 'paper')),
    status,
  };
}

function expectErrorEnvelope(envelope: unknown, call: MalformedCall, index: number): void {
  const e = envelope as Envelope<unknown>;
  const where = `message ${index} (seed ${SEED}): ${call.channel.slice(0, 40)} ${call.kind}`;
  expect(e?.ok, where).toBe(false);
  if (e.ok) return;
  expect(ERROR_CODES, where).toContain(e.error.code);
  expect(typeof e.error.message, where).toBe('string');
  expect(e.error.code, where).not.toBe('INTERNAL');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-fuzz-'));
  host = await createCoreHost({
    dataDir: dir,
    settings: createConfSettingsStore(dir),
    resume: false,
  });
  dispatch = createDispatcher(host.handlers);
  // Something in the journal and the settings to protect: a short paper run.
  await data('settings:set', { ui: { theme: 'light' } });
  await data('bot:start', {
    config: { mode: 'paper', market: { source: 'sim', speed: 3600, seed: 3 } },
  });
  await new Promise((r) => setTimeout(r, 1500));
  await data('bot:stop', { reason: 'fuzz setup', timeoutMs: 5000 });
  // No per-connection rate limit: every fuzzed frame must reach validation, not the limiter
  // (test/unit/transport/ws-access.test.ts covers the limit).
  server = await startWsServer({ dispatch, bus: host.bus, token: TOKEN, rateLimit: null });
  disposeIpc = registerIpc({
    handlers: host.handlers,
    bus: host.bus,
    getWindow: () =>
      ({
        isDestroyed: () => false,
        webContents: { id: 1, mainFrame: { processId: 10, routingId: 20 }, send: () => {} },
      }) as never,
    appUrl: APP_URL,
  });
  before = await snapshot();
}, 60_000);

afterAll(async () => {
  disposeIpc?.();
  await server?.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fuzz: malformed messages over both transports', () => {
  it(`Electron IPC: ${MESSAGES} malformed calls, each answered with an error envelope`, async () => {
    // What the renderer sends crosses as a structured clone, which also carries types JSON has not.
    const calls = malformedCalls(SEED, MESSAGES, (payload) => structuredClone(payload));
    const extra = [new Date(0), new Map([['a', 1]]), new Set([1]), new Uint8Array(8), 10n, /x/];
    for (const channel of CHANNELS)
      for (const value of extra)
        calls.push({ channel, payload: structuredClone(value), kind: 'structured-clone type' });
    const event = {
      sender: { id: 1 },
      senderFrame: { processId: 10, routingId: 20, url: APP_URL },
    };
    let answered = 0;
    let unknownRefused = 0;
    for (const [i, call] of calls.entries()) {
      const handler = ipcHandlers.get(call.channel);
      if (handler === undefined) {
        // No handler: Electron itself rejects the invoke; nothing in the main process runs.
        expect(CHANNELS as readonly string[]).not.toContain(call.channel);
        unknownRefused++;
        continue;
      }
      expectErrorEnvelope(await handler(event, call.payload), call, i);
      answered++;
    }
    expect(answered + unknownRefused).toBeGreaterThanOrEqual(10_000);
    expect(new Set(calls.map((c) => c.channel))).toEqual(
      expect.objectContaining({ size: expect.any(Number) }),
    );
    for (const channel of CHANNELS) expect(calls.some((c) => c.channel === channel)).toBe(true);
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it(`WebSocket: ${MESSAGES} malformed frames, each answered with an error envelope`, async () => {
    const calls = malformedCalls(SEED + 1, MESSAGES, (payload) =>
      JSON.parse(JSON.stringify(payload)),
    );
    // Frames that are malformed before any channel is read.
    const raw: string[] = [
      'not json',
      '',
      '{',
      '[]',
      '42',
      'null',
      '"call"',
      '{"t":"call"}',
      '{"t":"call","id":{},"channel":"bot:status"}',
      `{"t":"call","id":"${'i'.repeat(500)}","channel":"bot:status"}`,
      '{"t":"call","id":1,"channel":42}',
      '{"t":"call","id":1}',
      '{"t":"sub","event":"nope"}',
      '{"t":"unsub","event":{"__proto__":{"x":1}}}',
      '{"t":"__proto__","id":2}',
      '{"__proto__":{"t":"call"},"id":3,"channel":"bot:status"}',
      '{"t":123}',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"t":"call","id":4,"channel":"settings:set","payload":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
    ];
    const ws = new WebSocket(server.url, wsProtocols(TOKEN));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const answers: ServerFrame[] = [];
    let wake: (() => void) | null = null;
    ws.on('message', (data) => {
      answers.push(JSON.parse(String(data)) as ServerFrame);
      wake?.();
    });
    const until = async (n: number) => {
      while (answers.length < n) {
        await new Promise<void>((resolve, reject) => {
          wake = resolve;
          setTimeout(() => reject(new Error(`${answers.length} of ${n} answers`)), 30_000).unref();
        });
      }
    };
    // In batches, so the server is busy with many at once but no client buffer grows unbounded.
    const BATCH = 100;
    let sent = 0;
    for (let start = 0; start < calls.length; start += BATCH) {
      for (const [j, call] of calls.slice(start, start + BATCH).entries())
        ws.send(
          JSON.stringify({
            t: 'call',
            id: start + j,
            channel: call.channel,
            payload: call.payload,
          }),
        );
      sent += Math.min(BATCH, calls.length - start);
      await until(sent);
    }
    for (const frame of raw) ws.send(frame);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    sent += raw.length + 1;
    await until(sent);
    expect(answers).toHaveLength(sent);

    const byId = new Map<unknown, ServerFrame>();
    for (const a of answers) {
      expect(a.t).toBe('result');
      if (a.t === 'result' && typeof a.id === 'number' && a.id < calls.length) byId.set(a.id, a);
    }
    for (const [i, call] of calls.entries()) {
      const answer = byId.get(i);
      expect(answer, `no answer to message ${i}`).toBeDefined();
      if (answer?.t === 'result') expectErrorEnvelope(answer.envelope, call, i);
    }
    for (const a of answers.slice(calls.length))
      if (a.t === 'result') expect(a.envelope.ok).toBe(false);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();

    // The server is up: a fresh client gets a real answer.
    const again = new WebSocket(server.url, wsProtocols(TOKEN));
    const status = await new Promise<ServerFrame>((resolve, reject) => {
      again.once('open', () =>
        again.send(JSON.stringify({ t: 'call', id: 'after', channel: 'bot:status' })),
      );
      again.once('message', (d) => resolve(JSON.parse(String(d)) as ServerFrame));
      again.once('error', reject);
    });
    again.close();
    expect(status).toMatchObject({ t: 'result', id: 'after', envelope: { ok: true } });
    expect(await snapshot()).toEqual(before);
  }, 300_000);
});
