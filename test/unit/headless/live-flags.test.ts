import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/headless/command.ts';
import { parseLiveFlags } from '../../../src/headless/live-flags.ts';

describe('botdesk run --live flags', () => {
  it('are absent without --live, and --confirm/--testnet alone are usage errors', () => {
    expect(parseLiveFlags({}, undefined, undefined)).toBeUndefined();
    expect(() => parseLiveFlags({ confirm: 'binance' }, undefined, 'binance')).toThrow(
      /--confirm applies only with --live/,
    );
    expect(() => parseLiveFlags({ testnet: true }, undefined, undefined)).toThrow(UsageError);
  });

  it('need ccxt market data, an exchange and a confirmation', () => {
    expect(() => parseLiveFlags({ live: true, confirm: 'binance' }, 'sim', 'binance')).toThrow(
      /--live trades on an exchange: use --market ccxt/,
    );
    expect(() => parseLiveFlags({ live: true, confirm: 'binance' }, undefined, undefined)).toThrow(
      /--live needs --exchange ID/,
    );
    expect(() => parseLiveFlags({ live: true, confirm: ' ' }, 'ccxt', 'kraken')).toThrow(
      /--live needs --confirm kraken/,
    );
    expect(parseLiveFlags({ live: true, confirm: 'kraken' }, 'ccxt', 'kraken')).toEqual({
      confirm: 'kraken',
      sandbox: false,
    });
    expect(
      parseLiveFlags({ live: true, confirm: 'binance', testnet: true }, undefined, 'binance'),
    ).toEqual({ confirm: 'binance', sandbox: true });
  });
});
