/**
 * A live bot's budget comes from the exchange: the free quote balance (fetchBalance) minus
 * the bot's own orders the balance may not show yet, never `startingBalance` alone. The
 * real ccxt against the loopback Binance; the last test runs the whole engine live.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BotStatus } from '../../src/core/api/schemas.ts';
import { createCoreHost } from '../../src/core/host/core-host.ts';
import { createClock } from '../../src/core/market/clock.ts';
import { EnvSecretStore, envNames } from '../../src/core/secrets/env-store.ts';
import { createConfSettingsStore } from '../../src/core/settings/store.ts';
import { KEYS, LIVE_BOT_CONFIG, useLoopbackLive } from '../fixtures/execution/live-harness.ts';
import { FakeBinance } from '../fixtures/market/fake-binance.ts';
import { FakeBinanceAccount } from '../fixtures/market/fake-binance-account.ts';
import { until } from '../support/until.ts';

const h = useLoopbackLive('botdesk-live-balance-');

describe('the live budget is the exchange balance', () => {
  it("is the exchange's free quote minus the bot's resting orders; a buy beyond it is refused before sending", async () => {
    h.withAccount({ balances: { USDT: 1_000, BTC: 0 } });
    const price = () => h.fake.priceNow('BTC/USDT');
    const ex = await h.live({ priceOf: price, pollMs: 60_000 });
    expect(ex.availableCash()).toBeCloseTo(1_000, 6);
    // A resting order locks its quote on the exchange: the budget follows the exchange.
    h.account.failNext('POST /api/v3/order', { partial: 0 });
    const first = await ex.place(h.buy('BTC/USDT', 0.01));
    expect(first.order.status).toBe('open');
    await ex.balanceSettled();
    const left = h.account.free('USDT');
    expect(left).toBeLessThan(1_000 - 0.01 * price());
    expect(ex.availableCash()).toBeCloseTo(left, 6);

    const posts = h.posts();
    const second = await ex.place(h.buy('BTC/USDT', 0.01));
    expect(second.order.status).toBe('rejected');
    expect(second.order.reason).toMatch(
      /insufficient balance: the order needs about \d+\.\d\d USDT, binance has \d+\.\d\d USDT free for new orders/,
    );
    expect(second.fills).toEqual([]);
    expect(h.posts()).toBe(posts);
    expect(h.account.orders).toHaveLength(1);
    expect(ex.ledger.get(second.order.id)?.state).toBe('rejected');
  });

  it('holds back a buy in flight until a balance fetched after its answer shows it', async () => {
    h.withAccount({ balances: { USDT: 1_000, BTC: 0 } });
    const ex = await h.live({ priceOf: () => h.fake.priceNow('BTC/USDT'), pollMs: 60_000 });
    // The exchange answers slowly: while the buy is out, its cost is not in the budget.
    h.account.delayMs = 150;
    const placing = ex.place(h.buy('BTC/USDT', 0.01));
    await until('the order to be sent', () => h.account.calls.includes('POST /api/v3/order'));
    const cost = 0.01 * h.fake.priceNow('BTC/USDT');
    expect(ex.availableCash()!).toBeLessThan(1_000 - cost * 0.99);
    await placing;
    await ex.balanceSettled();
    h.account.delayMs = 0;
    expect(ex.availableCash()).toBeCloseTo(h.account.free('USDT'), 6);
  });

  it('shows at start that the exchange holds less than the bot expects, and money moved by hand later', async () => {
    h.withAccount({ balances: { USDT: 1_000, BTC: 0 } });
    const ex = await h.live({ expectedCash: 10_000, pollMs: 60_000 });
    const start = await ex.prepare(new AbortController().signal);
    expect(start.notices.join('\n')).toMatch(
      "binance holds 1000.00 USDT (1000.00 free), the bot's account expects 10000.00: entries are sized within the 1000.00 USDT free on the exchange",
    );
    expect(start.events.find((e) => e.kind === 'balance-difference')?.payload).toMatchObject({
      currency: 'USDT',
      expected: 10_000,
      actual: 1_000,
    });
    // The bot's own trade explains its balance change: nothing to report.
    await ex.place(h.buy('BTC/USDT', 0.005));
    await ex.balanceSettled();
    await ex.refreshBalance();
    expect(ex.takeUpdates().notices).toEqual([]);
    // A withdrawal by hand does not.
    h.account.balances.get('USDT')!.free -= 250;
    await ex.refreshBalance();
    expect(ex.takeUpdates().notices.join('\n')).toMatch(
      /binance USDT balance is \d+\.\d\d, the bot's fills since the last check left \d+\.\d\d: -250\.00 USDT moved outside this bot/,
    );
  });
});

describe('a live run whose exchange holds less than its starting balance', () => {
  it('sizes its entries within the exchange balance, not startingBalance', async () => {
    const clock = createClock({ speed: 600 });
    const fake = await FakeBinance.start({ clock });
    const account = new FakeBinanceAccount(fake, { ...KEYS, balances: { USDT: 1_000, BTC: 0 } });
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-live-budget-'));
    const names = envNames('binance');
    const configure = (ex: unknown) => fake.configure(ex as never);
    const host = await createCoreHost({
      dataDir,
      settings: createConfSettingsStore(dataDir),
      resume: false,
      secrets: new EnvSecretStore({ [names.key]: KEYS.apiKey, [names.secret]: KEYS.secret }),
      marketOptions: {
        clock,
        ccxt: { configure, retry: { attempts: 5, baseMs: 10, maxMs: 80 }, timeoutMs: 1500 },
      },
      live: { configure, timeoutMs: 1500, pollMs: 50, backoff: { baseMs: 10, maxMs: 80 } },
    });
    try {
      await host.handlers['bot:armLive']({
        exchange: 'binance',
        confirm: 'binance',
        sandbox: true,
      });
      const started: BotStatus = await host.manager.start({
        ...LIVE_BOT_CONFIG,
        startingBalance: 10_000,
        // Half of a 10 000 account would be 5 000: five times what the exchange holds.
        risk: { stakeFraction: 0.5, maxOpenPositions: 1, maxDailyLoss: 0.5 },
      });
      expect(started.warnings.join('\n')).toMatch(
        /binance holds 1000\.00 USDT \(1000\.00 free\), the bot's account expects 10000\.00/,
      );
      const buy = await until('a buy on the exchange', () =>
        account.orders.find((o) => o.side === 'BUY'),
      );
      await host.manager.stop({ reason: 'test done', timeoutMs: 5000 });
      expect(buy.status).toBe('FILLED');
      const spent = buy.quoteQty;
      expect(spent).toBeLessThanOrEqual(1_000);
      // Sized to the exchange's budget (fee and a margin kept back), not refused.
      expect(spent).toBeGreaterThan(900);
      expect(account.orders.filter((o) => o.side === 'BUY').every((o) => o.quoteQty <= 1_000)).toBe(
        true,
      );
    } finally {
      await host.close({ timeoutMs: 5000 });
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
