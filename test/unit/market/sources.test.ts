import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { CcxtSource } from '../../../src/core/market/ccxt-source.ts';
import { MarketConfig } from '../../../src/core/api/schemas.ts';
import {
  MarketDataService,
  createClock,
  createMarketSource,
  listMarketSources,
} from '../../../src/core/market/index.ts';

const START = Date.UTC(2026, 0, 15, 12, 0, 30);
const indexUrl = new URL('../../../src/core/market/index.ts', import.meta.url).href;

describe('market sources', () => {
  it('lists the simulated market first, clearly labelled, offline and keyless', () => {
    const sources = listMarketSources();
    expect(sources.map((s) => s.kind)).toEqual(['sim', 'ccxt', 'replay']);
    expect(sources[0]).toEqual({
      kind: 'sim',
      label: 'Simulated market',
      needsKeys: false,
      offline: true,
    });
  });

  it('builds the default simulated source from the default config', async () => {
    const source = createMarketSource(MarketConfig.parse({}), { now: () => START });
    expect(source.kind).toBe('sim');
    expect(source.label).toBe('Simulated market');
    expect(await source.history('BTC/USDT', '1m', 3)).toHaveLength(3);
    await source.close();
  });

  it('refuses a ccxt source without exchange and a replay without file', () => {
    const err = (() => {
      try {
        createMarketSource(MarketConfig.parse({ source: 'ccxt' }));
      } catch (e) {
        return e as BotDeskError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(BotDeskError);
    expect(err?.code).toBe('INVALID_INPUT');
    expect(() => createMarketSource(MarketConfig.parse({ source: 'replay' }))).toThrow(
      /needs a CSV or JSON file/,
    );
  });

  it('does not load ccxt for the simulated market', () => {
    const script = `
      import { registerHooks } from 'node:module';
      let ccxt = false;
      registerHooks({ resolve(specifier, context, next) { if (specifier === 'ccxt') ccxt = true; return next(specifier, context); } });
      const market = await import(${JSON.stringify(indexUrl)});
      const source = market.createMarketSource({ source: 'sim', speed: 1, seed: 1 });
      await source.history('BTC/USDT', '1m', 10);
      const before = ccxt;
      await market.listExchanges();
      console.log(JSON.stringify({ before, after: ccxt }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true });
  });

  it('the service shares one source per config and serves market:history', async () => {
    const service = new MarketDataService({ clock: createClock({ start: START }) });
    const config = MarketConfig.parse({ seed: 7 });
    expect(service.source(config)).toBe(service.source({ ...config }));
    expect(service.source(config)).not.toBe(service.source({ ...config, seed: 8 }));
    const viaService = await service.history(
      { source: 'sim', symbol: 'ETH/USDT', timeframe: '5m', limit: 20 },
      { seed: 7 },
    );
    expect(viaService).toEqual(await service.source(config).history('ETH/USDT', '5m', 20));
    await service.close();
  });
});

describe('ccxt retry pauses', () => {
  it('grow exponentially up to the cap, each jittered within its upper half', () => {
    const source = new CcxtSource({
      exchange: 'binance',
      retry: { attempts: 5, baseMs: 100, maxMs: 1000 },
    });
    for (let attempt = 1; attempt <= 8; attempt++) {
      const cap = Math.min(1000, 100 * 2 ** (attempt - 1));
      const pauses = Array.from({ length: 50 }, () => source.backoffMs(attempt));
      for (const ms of pauses) {
        expect(ms).toBeGreaterThanOrEqual(cap / 2);
        expect(ms).toBeLessThanOrEqual(cap);
      }
      // Jitter: sources retrying together do not retry in lockstep.
      expect(new Set(pauses).size).toBeGreaterThan(40);
    }
  });
});
