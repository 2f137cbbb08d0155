/**
 * `botdesk serve` as a real child process on a random port: a client starts the
 * bot over WebSocket on the simulated market at high speed, sees ticks, orders
 * and fills arrive as events and in journal:fills, stops it, and the server
 * exits cleanly on SIGTERM, leaving no compute worker behind.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotStatus, Fill, Order } from '../../src/core/api/schemas.ts';
import type { TickSummary } from '../../src/core/api/contract.ts';
import { connectWs, type WsConnection } from '../../src/core/api/ws-client.ts';
import { alive, childPids } from '../support/child-processes.ts';
import { FAST_SIM } from '../support/fast-sim.ts';
import { startServe, type ServeProcess } from './ws-serve-process.ts';

const TOKEN = 'integration-token-0123456789';
let dataDir: string;
let serve: ServeProcess;
let conn: WsConnection;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-ws-bot-'));
  serve = await startServe(['--data-dir', dataDir], { BOTDESK_TOKEN: TOKEN });
  conn = await connectWs({ url: serve.ready.url, token: TOKEN });
});

afterAll(async () => {
  await conn?.close();
  await serve?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('botdesk serve over WebSocket', () => {
  it('listens on 127.0.0.1 and records where in the data folder', () => {
    expect(serve.ready.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(serve.ready.pid).toBe(serve.child.pid);
    expect(serve.ready.tokenFile).toBeNull();
    expect(existsSync(path.join(dataDir, 'server.json'))).toBe(true);
  });

  it('runs the bot on the simulated market: ticks, orders and fills arrive as events and in the journal', async () => {
    const { api } = conn;
    const ticks: TickSummary[] = [];
    const orders: Order[] = [];
    const fills: Fill[] = [];
    const statuses: BotStatus[] = [];
    api.on('bot:tick', (t) => ticks.push(t));
    api.on('order', (o) => orders.push(o));
    api.on('fill', (f) => fills.push(f));
    api.on('bot:status', (s) => statuses.push(s));

    const started = await api.bot.start({ config: FAST_SIM });
    expect(['starting', 'running']).toContain(started.state);
    expect(started.dataLabel).toBe('SIMULATED');

    await expect.poll(() => fills.length, { timeout: 45_000, interval: 100 }).toBeGreaterThan(0);
    expect(ticks.length).toBeGreaterThan(0);
    expect(orders.length).toBeGreaterThan(0);
    expect(statuses.some((s) => s.state === 'running')).toBe(true);

    const journal = await api.journal.fills({ limit: 10_000 });
    const journalIds = new Set(journal.map((f) => f.id));
    for (const fill of fills.slice(0, 20)) expect(journalIds.has(fill.id)).toBe(true);

    const stopped = await api.bot.stop({ reason: 'integration test', timeoutMs: 10_000 });
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastStop?.reason).toBe('integration test');
    expect((await api.bot.status()).state).toBe('stopped');
  });

  it('a bad payload over the wire is INVALID_INPUT and starts nothing', async () => {
    await expect(
      conn.api.bot.start({ config: { symbols: ['not a symbol'] } }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect((await conn.api.bot.status()).state).toBe('stopped');
  });

  it('on SIGTERM with the bot running, stops it, closes clients, exits 0 and leaves no child process', async () => {
    await conn.api.bot.start({ config: FAST_SIM });
    await expect
      .poll(async () => (await conn.api.bot.status()).ticks, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const workers = childPids(serve.child.pid!);
    expect(workers.length).toBeGreaterThan(0);
    serve.child.kill('SIGTERM');
    const { code } = await serve.exited;
    expect(code, serve.stderr()).toBe(0);
    expect((await conn.closed).code).toBe(1001);
    for (const pid of workers) await expect.poll(() => alive(pid)).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
    expect(serve.stderr()).toContain('botdesk: stopped');
  });
});
