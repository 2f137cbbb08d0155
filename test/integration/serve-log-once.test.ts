/**
 * `botdesk serve` prints each transport log line once on stderr (it used to print the
 * line itself and again through the host's logger of the bus).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type ServeProcess } from './ws-serve-process.ts';

let dataDir: string;
let serve: ServeProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-serve-log-'));
  serve = await startServe(['--data-dir', dataDir]);
});

afterAll(async () => {
  await serve?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('botdesk serve transport warnings', () => {
  it('a refused connection is logged once', async () => {
    const ws = new WebSocket(serve.ready.url, [
      'botdesk.v1',
      'botdesk.token.wrong-token-0123456789',
    ]);
    await new Promise<void>((resolve) => {
      ws.once('error', () => resolve());
      ws.once('close', () => resolve());
    });
    const wanted = 'refused a connection with a wrong token';
    for (let i = 0; i < 50 && !serve.stderr().includes(wanted); i++)
      await new Promise((r) => setTimeout(r, 20));
    // Give a second copy every chance to arrive.
    await new Promise((r) => setTimeout(r, 200));
    expect(serve.stderr().split(wanted).length - 1).toBe(1);
  });
});
