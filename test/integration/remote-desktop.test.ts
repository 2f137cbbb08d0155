/**
 * The desktop app driving a remote bot: the main process's bot list and proxy
 * (bot-connections + the IPC transport, with Electron's ipcMain and safeStorage
 * mocked) against a real `botdesk serve` child process over TLS with a
 * self-signed certificate made for the test. The renderer's side is the IPC
 * channels: it adds the bot, selects it (the certificate is pinned on first use),
 * starts the bot, sees its events, stops it — and never sees a token. A
 * read-only token is refused control; a rotated token is refused; a different
 * certificate is refused before the token is sent.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BotTarget } from '../../src/core/api/contract.ts';
import type { Envelope } from '../../src/core/api/errors.ts';
import { makeSelfSignedCert, type TestCertificate } from '../support/tls-cert.ts';
import { createFakeHost, type FakeHost } from '../unit/transport/fake-host.ts';
import { runCli } from '../unit/headless/run-cli.ts';
import { FAST_SIM } from '../support/fast-sim.ts';
import { startServe, type ServeProcess } from './ws-serve-process.ts';

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;
const ipcHandlers = new Map<string, Handler>();
/** A stand-in keychain: reversible, and never the token's bytes in clear. */
const scramble = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (plain: string) =>
      Buffer.concat([Buffer.from('k1:'), scramble(Buffer.from(plain))]),
    decryptString: (cipher: Buffer) => scramble(cipher.subarray(3)).toString(),
  },
}));

const { registerIpc } = await import('../../src/main/ipc.ts');
const { ipcDesktopEventChannel, ipcEventChannel } = await import('../../src/main/ipc-protocol.ts');
const { createBotConnections } = await import('../../src/main/bot-connections.ts');
const { createBotListStore, BOT_LIST_FILE } = await import('../../src/main/bot-list-store.ts');
const { createSafeStorageTokenBox } = await import('../../src/main/token-box.ts');

const APP_URL = 'file:///app/out/renderer/index.html';
let cert: TestCertificate;
let impostorCert: TestCertificate;
let dataDir: string;
let userData: string;
let serve: ServeProcess;
let local: FakeHost;
let controlToken: string;
let readToken: string;
let connections: ReturnType<typeof createBotConnections>;
let dispose: () => void;
/** Everything the window received: [channel, payload]. */
const sent: Array<[string, unknown]> = [];
/** Every IPC answer the renderer got. */
const answers: unknown[] = [];

const win = {
  isDestroyed: () => false,
  webContents: {
    id: 1,
    mainFrame: { processId: 10, routingId: 20 },
    send: (channel: string, payload: unknown) => sent.push([channel, payload]),
  },
};
const fromOurWindow = {
  sender: { id: 1 },
  senderFrame: { processId: 10, routingId: 20, url: APP_URL },
};

/** What the renderer does: ipcRenderer.invoke(channel, payload). */
async function invoke<T = unknown>(channel: string, payload?: unknown): Promise<Envelope<T>> {
  const handler = ipcHandlers.get(channel);
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  const envelope = (await handler(fromOurWindow, payload)) as Envelope<T>;
  answers.push(envelope);
  return envelope;
}

async function ok<T>(channel: string, payload?: unknown): Promise<T> {
  const envelope = await invoke<T>(channel, payload);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.data;
}

const sentOn = (channel: string) => sent.filter(([c]) => c === channel).map(([, p]) => p);
const remoteStates = () => sentOn(ipcDesktopEventChannel('remote:state')) as BotTarget[];

beforeAll(async () => {
  cert = makeSelfSignedCert('botdesk-remote');
  impostorCert = makeSelfSignedCert('someone-else');
  dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-remote-serve-'));
  userData = mkdtempSync(path.join(tmpdir(), 'botdesk-remote-desktop-'));
  serve = await startServe([
    '--data-dir',
    dataDir,
    '--tls-cert',
    cert.certFile,
    '--tls-key',
    cert.keyFile,
  ]);
  controlToken = readFileSync(path.join(dataDir, 'server-token'), 'utf8').trim();
  readToken = readFileSync(path.join(dataDir, 'server-token-read'), 'utf8').trim();

  local = createFakeHost();
  connections = createBotConnections({
    local: { handlers: local.handlers, bus: local.bus },
    store: createBotListStore(userData, createSafeStorageTokenBox('linux')),
    log: () => {},
    onState: (target) => ipc.sendDesktopEvent('remote:state', target),
    link: { retryMs: { min: 200, max: 1000 }, connectTimeoutMs: 5000 },
  });
  const ipc = registerIpc({
    handlers: connections.handlers,
    bus: connections.bus,
    desktop: connections.desktopHandlers,
    getWindow: () => win as never,
    appUrl: APP_URL,
  });
  dispose = ipc;
}, 60_000);

afterAll(async () => {
  dispose?.();
  await connections?.close();
  await serve?.stop();
  for (const dir of [dataDir, userData, cert?.dir, impostorCert?.dir])
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('desktop app → remote bot over TLS', () => {
  let vps: BotTarget;

  it('serves TLS and prints the certificate fingerprint', () => {
    expect(serve.ready.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(serve.ready.fingerprint).toBe(cert.fingerprint);
    expect(serve.stderr()).toContain(`TLS certificate SHA-256 ${cert.fingerprint}`);
  });

  it('adds a remote bot: the token is stored encrypted and never returned', async () => {
    vps = await ok<BotTarget>('remote:add', {
      name: 'vps',
      url: serve.ready.url,
      token: controlToken,
    });
    expect(vps).toMatchObject({ name: 'vps', kind: 'remote', selected: false, fingerprint: null });
    const list = await ok<BotTarget[]>('remote:list');
    expect(list.map((b) => [b.id, b.selected])).toEqual([
      ['local', true],
      [vps.id, false],
    ]);
    const file = path.join(userData, BOT_LIST_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(controlToken);
    // bad input is refused and changes nothing
    const bad = await invoke('remote:add', { name: 'x', url: 'http://nope', token: controlToken });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await ok<BotTarget[]>('remote:list')).toHaveLength(2);
  });

  it('selecting it pins the certificate on first use; calls and events then come from the remote bot', async () => {
    const selected = await ok<BotTarget>('remote:select', { id: vps.id });
    expect(selected).toMatchObject({ id: vps.id, selected: true, state: 'connected' });
    expect(selected.fingerprint).toBe(cert.fingerprint);
    expect(remoteStates().at(-1)).toMatchObject({ id: vps.id, state: 'connected' });
    expect(connections.selected().id).toBe(vps.id);

    // the local bot's events no longer reach the window
    const before = sent.length;
    local.bus.emit('log', { ts: 1, level: 'info', scope: 'local', message: 'local only' });
    expect(sent.length).toBe(before);

    const started = await ok<{ state: string; dataLabel: string }>('bot:start', {
      config: FAST_SIM,
    });
    expect(['starting', 'running']).toContain(started.state);
    expect(started.dataLabel).toBe('SIMULATED');
    expect(local.calls.get('bot:start')).toBeUndefined(); // it went to the remote bot

    await expect
      .poll(() => sentOn(ipcEventChannel('fill')).length, { timeout: 45_000, interval: 100 })
      .toBeGreaterThan(0);
    expect(sentOn(ipcEventChannel('bot:tick')).length).toBeGreaterThan(0);
    const fills = await ok<Array<{ id: string }>>('journal:fills', { limit: 10_000 });
    const ids = new Set(fills.map((f) => f.id));
    for (const fill of sentOn(ipcEventChannel('fill')).slice(0, 10) as Array<{ id: string }>)
      expect(ids.has(fill.id)).toBe(true);

    const running = await ok<{ state: string }>('bot:status');
    expect(running.state).toBe('running');
    const stopped = await ok<{ state: string }>('bot:stop', {
      reason: 'from the desktop',
      timeoutMs: 10_000,
    });
    expect(stopped.state).toBe('stopped');
  }, 90_000);

  it('a read-only token watches but is refused control', async () => {
    const watch = await ok<BotTarget>('remote:add', {
      name: 'vps (watch)',
      url: serve.ready.url,
      token: readToken,
    });
    await ok('remote:select', { id: watch.id });
    expect((await ok<{ state: string }>('bot:status')).state).toBe('stopped');
    expect((await ok<unknown[]>('journal:fills', { limit: 5 })).length).toBeGreaterThan(0);
    for (const [channel, payload] of [
      ['bot:start', { config: FAST_SIM }],
      ['bot:pause', {}],
      ['settings:set', { ui: { theme: 'light' } }],
    ] as const) {
      expect(await invoke(channel, payload)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect((await ok<{ state: string }>('bot:status')).state).toBe('stopped');
  });

  it('a certificate other than the pinned one is refused with a clear message, and the selection stays', async () => {
    const wrongPin = await ok<BotTarget>('remote:add', {
      name: 'vps (other cert)',
      url: serve.ready.url,
      token: controlToken,
      fingerprint: impostorCert.fingerprint,
    });
    const selectedBefore = connections.selected().id;
    const refused = await invoke('remote:select', { id: wrongPin.id });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('certificate of vps (other cert) changed'),
      },
    });
    expect(connections.selected().id).toBe(selectedBefore);
    await ok('remote:remove', { id: wrongPin.id });
  });

  it('after `botdesk token rotate` the old token is disconnected and refused', async () => {
    await ok('remote:select', { id: vps.id });
    const res = await runCli(['token', 'rotate', '--data-dir', dataDir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('switches to the new tokens at once');
    expect(res.stdout).not.toContain(
      readFileSync(path.join(dataDir, 'server-token'), 'utf8').trim(),
    );

    await expect
      .poll(() => remoteStates().at(-1), { timeout: 10_000 })
      .toMatchObject({ id: vps.id, state: 'refused', message: expect.stringContaining('rotated') });
    expect(await invoke('bot:status')).toMatchObject({
      ok: false,
      error: { code: 'TRANSPORT_ERROR' },
    });
    expect(await invoke('remote:select', { id: vps.id })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: expect.stringContaining('refused the token') },
    });

    // with the new token it works again
    const fresh = readFileSync(path.join(dataDir, 'server-token'), 'utf8').trim();
    expect(fresh).not.toBe(controlToken);
    const again = await ok<BotTarget>('remote:add', {
      name: 'vps (new token)',
      url: serve.ready.url,
      token: fresh,
    });
    await ok('remote:select', { id: again.id });
    expect((await ok<{ state: string }>('bot:status')).state).toBe('stopped');

    // back to this computer: calls reach the local bot again
    await ok('remote:select', { id: 'local' });
    await ok('bot:start', {});
    expect(local.calls.get('bot:start')).toBe(1);
  }, 60_000);

  it('`botdesk status` checks the TLS certificate too (server.json, or --fingerprint)', async () => {
    const res = await runCli(['status', '--json', '--data-dir', dataDir]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ state: 'stopped' });
    const wrong = await runCli([
      'status',
      '--url',
      serve.ready.url,
      '--fingerprint',
      impostorCert.fingerprint,
      '--data-dir',
      dataDir,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('the token was not sent');
  });

  it('no token ever reached the renderer', () => {
    const everything = JSON.stringify([sent, answers]);
    const fresh = readFileSync(path.join(dataDir, 'server-token'), 'utf8').trim();
    for (const token of [controlToken, readToken, fresh]) expect(everything).not.toContain(token);
  });
});
