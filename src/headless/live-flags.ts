/**
 * `botdesk run --live --exchange ID --confirm ID [--testnet]`: a headless live start. The
 * flags only carry the choice; arming (the typed confirmation, keys present, a testnet
 * ccxt knows) is done by the same LiveArmingStore the contract's bot:armLive uses, with
 * keys from the environment or $BOTDESK_KEY_FILE as for `botdesk serve`.
 */
import { stringOption, UsageError, type OptionSpec, type OptionValues } from './command.ts';

export const LIVE_FLAG_OPTIONS: Record<string, OptionSpec> = {
  live: {
    type: 'boolean',
    description:
      'trade live on --exchange (market data from it too); needs --confirm and API keys in BOTDESK_<EXCHANGE>_API_KEY/_SECRET or $BOTDESK_KEY_FILE',
  },
  confirm: {
    type: 'string',
    valueName: 'ID',
    description: "with --live: the exchange's id again, to confirm live trading",
  },
  testnet: {
    type: 'boolean',
    description: "with --live: trade on the exchange's testnet (ccxt sandbox mode)",
  },
};

export interface LiveFlags {
  /** What the user typed to confirm (checked against the exchange when arming). */
  confirm: string;
  /** The exchange's testnet (ccxt sandbox mode). */
  sandbox: boolean;
}

/** The live flags, checked against --market and --exchange; undefined without --live. */
export function parseLiveFlags(
  values: OptionValues,
  market: string | undefined,
  exchange: string | undefined,
): LiveFlags | undefined {
  const confirm = stringOption(values, 'confirm');
  const testnet = values['testnet'] === true;
  if (values['live'] !== true) {
    if (confirm !== undefined || testnet)
      throw new UsageError(
        `--${confirm !== undefined ? 'confirm' : 'testnet'} applies only with --live`,
      );
    return undefined;
  }
  if (market !== undefined && market !== 'ccxt')
    throw new UsageError(
      `--live trades on an exchange: use --market ccxt or omit --market (got --market ${market})`,
    );
  if (!exchange?.trim())
    throw new UsageError(
      '--live needs --exchange ID, e.g. --live --exchange binance --confirm binance',
    );
  if (!confirm?.trim())
    throw new UsageError(
      `--live needs --confirm ${exchange.trim()}: type the exchange's id again to confirm live trading`,
    );
  return { confirm, sandbox: testnet };
}
