/**
 * A crash while the bot runs: `botdesk serve` (a real child process) is killed with
 * SIGKILL mid-run. Every fill a client was told about is in the journal; no compute
 * worker outlives the server; the next launch reconciles the orders the crash left open,
 * then resumes the paper bot, and its wallet continues from the journal (cash = starting
 * balance + every fill's cash flow), so balances survive the restart consistently.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotConfigInput, Order } from '../../src/core/api/schemas.ts';
import { connectWs, type WsConnection } from '../../src/core/api/ws-client.ts';
import { desiredStateFile } from '../../src/core/bot/desired-state.ts';
import { Journal, journalFile } from '../../src/core/journal/journal.ts';
import { alive, childPids } from '../support/child-processes.ts';
import { startServe, type ServeProcess } from './ws-serve-process.ts';

const TOKEN = 'crash-test-token-0123456789';
const STARTING_BALANCE = 10_000;
const FAST_SIM: BotConfigInput = {
  mode: 'paper',
  market: { source: 'sim', speed: 6000, seed: 11 },
  symbols: ['BTC/USDT', 'ETH/USDT'],
  timeframe: '1m',
  strategy: { id: 'sma-crossover', params: { fast: 2, slow: 3 } },
  warmupCandles: 20,
  startingBalance: STARTING_BALANCE,
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'botdesk-crash-'));
const open: { serve: ServeProcess; conn: WsConnection }[] = [];
afterAll(async () => {
  for (const { serve, conn } of open) {
    await conn.close().catch(() => {});
    await serve.kill();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function launch(): Promise<{ serve: ServeProcess; conn: WsConnection }> {
  const serve = await startServe(['--data-dir', dataDir], { BOTDESK_TOKEN: TOKEN });
  const conn = await connectWs({ url: serve.ready.url, token: TOKEN });
  const launched = { serve, conn };
  open.push(launched);
  return launched;
}

describe('crash while running', () => {
  it('SIGKILL mid-run loses no acknowledged fill; the next launch reconciles, resumes and keeps the balances', async () => {
    // ---- first launch: trade, then crash ------------------------------------------------
    const first = await launch();
    const acknowledged: string[] = [];
    first.conn.api.on('fill', (f) => acknowledged.push(f.id));
    await first.conn.api.bot.start({ config: FAST_SIM });
    await expect
      .poll(() => acknowledged.length, { timeout: 45_000, interval: 50 })
      .toBeGreaterThanOrEqual(4);
    const workers = childPids(first.serve.child.pid!);
    expect(workers.length).toBeGreaterThan(0);
    first.serve.child.kill('SIGKILL');
    expect((await first.serve.exited).signal).toBe('SIGKILL');
    const seenAtCrash = [...acknowledged];

    // No compute worker outlives its server, even one that died without cleaning up.
    for (const pid of workers) await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);

    let flowAtCrash: number;
    const journal = new Journal(journalFile(dataDir, 'paper'));
    try {
      const stored = new Set(journal.fills(100_000).map((f) => f.id));
      expect(seenAtCrash.filter((id) => !stored.has(id))).toEqual([]);
      // A wallet reset at restart would miss this (fees alone make it non-zero).
      flowAtCrash = journal.cashFlow();
      expect(Math.abs(flowAtCrash)).toBeGreaterThan(1e-6);
      expect(JSON.parse(readFileSync(desiredStateFile(dataDir), 'utf8'))).toMatchObject({
        desired: 'running',
        mode: 'paper',
      });
      // An order the crash cut off before its outcome was known (as a live order can be).
      const cutOff: Order = {
        id: 'cut-off-1',
        clientOrderId: 'cut-off-1',
        mode: 'paper',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        amount: 0.001,
        price: null,
        status: 'open',
        reason: 'strategy entry',
        ts: 1,
      };
      journal.commitTick({ orders: [cutOff] });
    } finally {
      journal.close();
    }

    // ---- second launch: reconcile, resume, trade on, stop -------------------------------
    const second = await launch();
    await expect
      .poll(async () => (await second.conn.api.bot.status()).state, { timeout: 45_000 })
      .toBe('running');
    expect(second.serve.stderr()).toMatch(/resuming the paper bot/);
    const fillsBefore = (await second.conn.api.journal.fills({ limit: 10_000 })).length;
    await expect
      .poll(async () => (await second.conn.api.journal.fills({ limit: 10_000 })).length, {
        timeout: 45_000,
        interval: 100,
      })
      .toBeGreaterThan(fillsBefore);
    const stopped = await second.conn.api.bot.stop({ reason: 'test over', timeoutMs: 10_000 });
    expect(stopped.state).toBe('stopped');

    const after = new Journal(journalFile(dataDir, 'paper'));
    try {
      const reconciled = after.orders(100_000).find((o) => o.id === 'cut-off-1');
      expect(reconciled?.status).toBe('canceled');
      expect(reconciled?.reason).toMatch(/canceled on reconcile/);
      const events = after.events(100_000).reverse();
      const reconcileAt = events.findIndex((e) => e.kind === 'reconcile');
      const resumedAt = events.findLastIndex((e) => e.kind === 'start');
      expect(reconcileAt).toBeGreaterThanOrEqual(0);
      // Reconciled before the resumed run was recorded as started (and so before it traded).
      expect(reconcileAt).toBeLessThan(resumedAt);
      // The resumed wallet continued from the journal: its last cash is the starting balance plus
      // the cash flow of every fill, those of the crashed run included.
      const lastCash = after.equity(1)[0]!.cash;
      const expected = STARTING_BALANCE + after.cashFlow();
      expect(Math.abs(lastCash - expected)).toBeLessThan(1e-6 * STARTING_BALANCE);
      expect(Math.abs(lastCash - (expected - flowAtCrash))).toBeGreaterThan(1e-6);
    } finally {
      after.close();
    }
    expect(existsSync(desiredStateFile(dataDir))).toBe(true);
  });
});
