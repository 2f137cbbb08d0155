/**
 * The desktop app's remote link against real TLS servers on 127.0.0.1 whose
 * certificates cannot be used: expired at the first connection, expired while
 * pinned (the server restarts with it), not yet valid. Each stops the link in
 * state `error` with a message naming Node's TLS code (no endless retries), and
 * the user retries by selecting the bot again. A certificate a private authority
 * issued is pinned like a self-signed one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BotTarget, BotTargetState } from '../../src/core/api/contract.ts';
import { startWsServer, type WsServer } from '../../src/core/transport/ws-server.ts';
import { createBotConnections, type BotConnections } from '../../src/main/bot-connections.ts';
import { createBotListStore } from '../../src/main/bot-list-store.ts';
import { createRemoteLink, type RemoteLink } from '../../src/main/remote-link.ts';
import type { TokenBox } from '../../src/main/token-box.ts';
import { makeCertificate, type TestCertificate } from '../support/tls-cert.ts';
import { createFakeHost } from '../unit/transport/fake-host.ts';

const TOKEN = 'remote-tls-token-0123456789abcdef';
const RETRY = { min: 50, max: 200 };
const DAY = 24 * 3600 * 1000;
const certs: TestCertificate[] = [];
let servers: WsServer[] = [];
const links: RemoteLink[] = [];
let connections: BotConnections | null = null;

afterEach(async () => {
  for (const link of links.splice(0)) await link.close();
  await connections?.close();
  connections = null;
  for (const s of servers.splice(0)) await s.close();
});
afterAll(() => {
  for (const c of certs) rmSync(c.dir, { recursive: true, force: true });
});

function certificate(spec: Parameters<typeof makeCertificate>[0]): TestCertificate {
  const cert = makeCertificate(spec);
  certs.push(cert);
  return cert;
}

async function serveTls(cert: TestCertificate, port = 0): Promise<WsServer> {
  const host = createFakeHost();
  const server = await startWsServer({
    dispatch: host.dispatch,
    bus: host.bus,
    token: TOKEN,
    port,
    tls: { cert: cert.cert, key: cert.key },
  });
  servers.push(server);
  return server;
}

function link(url: string, fingerprint: string | null = null) {
  const states: Array<{ state: BotTargetState; message: string | null }> = [];
  const pins: string[] = [];
  const remote = createRemoteLink({
    name: 'vps',
    url,
    token: TOKEN,
    fingerprint,
    onPin: (fp) => pins.push(fp),
    onState: (state, message) => states.push({ state, message }),
    onEvent: () => {},
    log: () => {},
    retryMs: RETRY,
    connectTimeoutMs: 5000,
    keepAliveMs: 60_000,
  });
  links.push(remote);
  return { remote, states, pins };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (when: Date) => {
  while (Date.now() < when.getTime()) await sleep(100);
};

describe('remote link: certificates that cannot be used', () => {
  it('an expired certificate at the first connection: state error, a clear message, no retries', async () => {
    const expired = certificate({
      notBefore: new Date(Date.now() - 3 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const server = await serveTls(expired);
    const { remote, states, pins } = link(server.url);
    await expect(remote.open()).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
      message: expect.stringMatching(/TLS certificate of vps has expired .*CERT_HAS_EXPIRED/),
      details: { tlsCode: 'CERT_HAS_EXPIRED' },
    });
    expect(remote.state().state).toBe('error');
    expect(remote.state().message).toContain('select the bot to try again');
    expect(pins).toEqual([]);
    const seen = states.length;
    await sleep(RETRY.max * 5);
    expect(states.length).toBe(seen);
  });

  it('the pinned certificate expires while connected: the reconnection stops in state error instead of retrying forever', async () => {
    // Valid for a few seconds: the link connects and pins it, then it expires.
    const notAfter = new Date(Date.now() + 3000);
    const shortLived = certificate({ notAfter });
    const first = await serveTls(shortLived);
    const { remote, states, pins } = link(first.url);
    await remote.open();
    expect(pins).toEqual([shortLived.fingerprint]);
    await until(new Date(notAfter.getTime() + 1500));

    const port = first.port;
    await first.close();
    servers = servers.filter((s) => s !== first);
    await serveTls(shortLived, port); // the same (now expired) certificate
    await expect.poll(() => remote.state().state, { timeout: 10_000 }).toBe('error');
    expect(remote.state().message).toMatch(/has expired .*CERT_HAS_EXPIRED/);
    const seen = states.length;
    await sleep(RETRY.max * 5);
    expect(states.length).toBe(seen);
    expect(remote.state().state).toBe('error');
  });

  it('a certificate that is not valid yet stops in error; selecting the bot again retries, and connects once it is valid', async () => {
    const notBefore = new Date(Date.now() + 2000);
    const early = certificate({ notBefore, notAfter: new Date(Date.now() + DAY) });
    const server = await serveTls(early);
    const dir = mkdtempSync(path.join(tmpdir(), 'botdesk-remote-tls-'));
    try {
      const box: TokenBox = {
        unavailable: () => null,
        encrypt: (plain) => Buffer.from(plain).reverse(),
        decrypt: (cipher) => Buffer.from(cipher).reverse().toString(),
      };
      const local = createFakeHost();
      const states: BotTarget[] = [];
      connections = createBotConnections({
        local: { handlers: local.handlers, bus: local.bus },
        store: createBotListStore(dir, box),
        log: () => {},
        onState: (t) => states.push(t),
        link: { retryMs: RETRY, connectTimeoutMs: 5000, keepAliveMs: 60_000 },
      });
      const vps = await connections.desktopHandlers['remote:add']({
        name: 'vps',
        url: server.url,
        token: TOKEN,
      });
      await expect(
        connections.desktopHandlers['remote:select']({ id: vps.id }),
      ).rejects.toMatchObject({
        code: 'TRANSPORT_ERROR',
        message: expect.stringContaining('is not valid yet'),
        details: { tlsCode: 'CERT_NOT_YET_VALID' },
      });
      expect(connections.selected().id).toBe('local');
      await until(new Date(notBefore.getTime() + 1500));
      expect(await connections.desktopHandlers['remote:select']({ id: vps.id })).toMatchObject({
        id: vps.id,
        state: 'connected',
        fingerprint: early.fingerprint,
      });
      expect((await connections.handlers['bot:status']({})).state).toBe('idle');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a certificate from a private authority is pinned like a self-signed one', async () => {
    const authority = certificate({ ca: true, commonName: 'private-ca' });
    const issued = certificate({ issuer: authority, commonName: 'vps' });
    const server = await serveTls(issued);
    const { remote, pins } = link(server.url);
    await remote.open();
    expect(remote.state().state).toBe('connected');
    expect(pins).toEqual([issued.fingerprint]);
    expect(await remote.call('bot:status', {})).toMatchObject({ state: 'idle' });
  });
});
