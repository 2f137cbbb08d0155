/**
 * `serve` follows its token files. A change the server cannot take (here the
 * read-only file made equal to the control one, e.g. by `cp server-token
 * server-token-read`) must leave the server running on the tokens it has and say
 * why, not throw out of the file watcher and take the server and its bot down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWs, type WsConnection } from '../../../src/core/api/ws-client.ts';
import { startWsServer, type WsServer } from '../../../src/core/transport/ws-server.ts';
import { READ_TOKEN_FILE, TOKEN_FILE, writeTokenFile } from '../../../src/headless/server-files.ts';
import { watchTokenFiles } from '../../../src/headless/token-watch.ts';
import { createFakeHost } from '../transport/fake-host.ts';

const CONTROL = 'control-token-0123456789abcdef';
const READ = 'watch-token-0123456789abcdef';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('token file watch', () => {
  it('a change the server refuses keeps the current tokens, is logged, and a later good one is taken', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'botdesk-token-watch-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeTokenFile(dir, TOKEN_FILE, CONTROL);
    writeTokenFile(dir, READ_TOKEN_FILE, READ);
    const host = createFakeHost();
    const server: WsServer = await startWsServer({
      dispatch: host.dispatch,
      bus: host.bus,
      token: CONTROL,
      readToken: READ,
    });
    cleanup.push(() => server.close());
    const logs: Array<[string, string]> = [];
    const stop = watchTokenFiles({
      dataDir: dir,
      current: { token: CONTROL, readToken: READ },
      onChange: (next) => void server.setTokens(next),
      log: (level, message) => logs.push([level, message]),
      pollMs: 100,
    });
    cleanup.push(stop);
    const conn: WsConnection = await connectWs({ url: server.url, token: CONTROL });
    cleanup.push(() => conn.close());

    writeTokenFile(dir, READ_TOKEN_FILE, CONTROL);
    await expect
      .poll(() => logs.find(([level]) => level === 'error')?.[1] ?? '')
      .toContain('must differ from the control token');
    // Still serving, on the old tokens, with the client still connected.
    expect((await conn.api.bot.status()).state).toBe('idle');
    const watcher = await connectWs({ url: server.url, token: READ });
    cleanup.push(() => watcher.close());
    expect((await watcher.api.bot.status()).state).toBe('idle');

    const NEW_READ = 'new-watch-token-0123456789abcdef';
    writeTokenFile(dir, READ_TOKEN_FILE, NEW_READ);
    await expect.poll(async () => (await watcher.closed).code).toBe(4001);
    const again = await connectWs({ url: server.url, token: NEW_READ });
    cleanup.push(() => again.close());
    expect((await again.api.bot.status()).state).toBe('idle');
  });
});
