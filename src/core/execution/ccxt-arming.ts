/**
 * Live trading must be armed: the user types the exchange's name to confirm, keys must
 * exist, and the choice of the exchange's testnet (ccxt sandbox mode) is made here. The
 * arming is kept in <dataDir>/live-arming.json (no secret in it) and checked at every
 * start of a live bot; disarming takes effect at the next start.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { LiveArmingStatus } from '../api/contract.ts';
import { BotDeskError } from '../api/errors.ts';
import type { BotConfig } from '../api/schemas.ts';
import { writePrivateFileSync } from '../host/private-files.ts';
import { loadCcxt } from '../market/ccxt-source.ts';
import { checkExchangeId } from '../secrets/mask.ts';
import type { SecretStore } from '../secrets/types.ts';

/** `sandbox`: orders go to the exchange's testnet (ccxt sandbox mode). */
export const LiveArming = LiveArmingStatus;
export type LiveArming = z.infer<typeof LiveArmingStatus>;

const DISARMED: LiveArming = { armed: false, exchange: null, sandbox: true, armedAt: null };

export function armingFile(dataDir: string): string {
  return join(dataDir, 'live-arming.json');
}

export class LiveArmingStore {
  readonly file: string;
  readonly #secrets: SecretStore;
  readonly #now: () => number;

  constructor(opts: { file: string; secrets: SecretStore; now?: () => number }) {
    this.file = opts.file;
    this.#secrets = opts.secrets;
    this.#now = opts.now ?? Date.now;
  }

  get(): LiveArming {
    if (!existsSync(this.file)) return DISARMED;
    try {
      return LiveArming.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      // A damaged file never arms anything.
      return DISARMED;
    }
  }

  #save(state: LiveArming): LiveArming {
    const tmp = `${this.file}.tmp`;
    writePrivateFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.file);
    return state;
  }

  /** Arms live trading on `exchange` when `confirm` is its name and keys exist. Changes nothing otherwise. */
  async arm(input: { exchange: string; confirm: string; sandbox: boolean }): Promise<LiveArming> {
    let exchange: string;
    try {
      exchange = checkExchangeId(input.exchange);
    } catch (err) {
      throw new BotDeskError('INVALID_INPUT', (err as Error).message);
    }
    if (input.confirm.trim().toLowerCase() !== exchange)
      throw new BotDeskError(
        'INVALID_INPUT',
        `to arm live trading, type the exchange's name (${exchange}) as confirmation`,
      );
    const ccxt = await loadCcxt();
    if (!ccxt.default.exchanges.includes(exchange))
      throw new BotDeskError('INVALID_INPUT', `'${exchange}' is not an exchange ccxt knows`);
    if (input.sandbox) {
      const Class = (
        ccxt as unknown as Record<string, new () => { urls: Record<string, unknown> }>
      )[exchange]!;
      if (!new Class().urls['test'])
        throw new BotDeskError(
          'INVALID_INPUT',
          `${exchange} has no testnet in ccxt; arm it with the testnet off to trade real funds`,
        );
    }
    const keys = this.#secrets.status(exchange);
    if (keys.apiKey === null)
      throw new BotDeskError(
        'FORBIDDEN',
        `live trading needs API keys for ${exchange}${keys.reason ? `: ${keys.reason}` : ''}`,
      );
    return this.#save({ armed: true, exchange, sandbox: input.sandbox, armedAt: this.#now() });
  }

  disarm(): LiveArming {
    return this.#save({ ...this.get(), armed: false, armedAt: null });
  }

  /** Throws, with the reason, unless a live bot with this config may start. */
  check(config: BotConfig): LiveArming {
    const state = this.get();
    const exchange = config.market.exchange;
    if (config.market.source !== 'ccxt' || !exchange)
      throw new BotDeskError(
        'INVALID_INPUT',
        'live trading needs exchange market data (market.source "ccxt" and the exchange to trade on)',
      );
    if (!state.armed)
      throw new BotDeskError(
        'FORBIDDEN',
        `live trading is not armed: arm it for ${exchange} first (bot:armLive, typing the exchange's name to confirm)`,
      );
    if (state.exchange !== exchange)
      throw new BotDeskError(
        'FORBIDDEN',
        `live trading is armed for ${state.exchange}, not ${exchange}; arm it again for ${exchange}`,
      );
    const keys = this.#secrets.status(exchange);
    if (keys.apiKey === null)
      throw new BotDeskError(
        'FORBIDDEN',
        `live trading needs API keys for ${exchange}${keys.reason ? `: ${keys.reason}` : ''}`,
      );
    return state;
  }
}
