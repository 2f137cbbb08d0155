/**
 * A ccxt exchange for live trading: keys set, the exchange's testnet when asked (ccxt
 * sandbox mode), endpoints adjusted by `configure` (tests point it at a loopback server).
 * `checkConnection` is the "check connection" action: a fetchBalance with the keys, and a
 * warning when the exchange says the key may withdraw funds (a trading bot never needs it).
 */
import type { Exchange } from 'ccxt';
import { BotDeskError } from '../api/errors.ts';
import { loadCcxt } from '../market/ccxt-source.ts';
import { closestName } from '../market/symbols.ts';
import type { ApiKeys } from '../secrets/types.ts';
import {
  toBotDeskError,
  DEFAULT_BACKOFF,
  callWithRetry,
  type CcxtModule,
  type Redact,
} from './ccxt-calls.ts';

export interface LiveConnectOptions {
  exchange: string;
  keys: ApiKeys;
  /** Trade on the exchange's testnet (ccxt sandbox mode). */
  sandbox: boolean;
  /** Called after sandbox mode is set: endpoints, options (tests: the loopback exchange). */
  configure?: (exchange: Exchange) => void;
  timeoutMs?: number;
  /**
   * Use ccxt.pro's class when the exchange has one (default true): the same REST calls plus
   * websocket streams (watchOrders/watchMyTrades for fills). False: the REST class only.
   */
  websocket?: boolean;
}

type ExchangeClass = new (config?: Record<string, unknown>) => Exchange;

export async function connectExchange(
  opts: LiveConnectOptions,
): Promise<{ exchange: Exchange; ccxt: CcxtModule }> {
  const ccxt = await loadCcxt();
  const id = opts.exchange;
  if (!ccxt.default.exchanges.includes(id)) {
    const hint = closestName(id, ccxt.default.exchanges);
    throw new BotDeskError(
      'INVALID_INPUT',
      `'${id}' is not an exchange ccxt knows${hint ? `; did you mean ${hint}?` : ''}`,
    );
  }
  const pro = (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[id];
  const Class =
    opts.websocket !== false && pro ? pro : (ccxt as unknown as Record<string, ExchangeClass>)[id]!;
  const exchange = new Class({
    apiKey: opts.keys.apiKey,
    secret: opts.keys.secret,
    ...(opts.keys.password ? { password: opts.keys.password } : {}),
    enableRateLimit: true,
    timeout: opts.timeoutMs ?? 10_000,
  });
  // A spot bot needs no margin pairs (Binance otherwise asks for them with every market load).
  exchange.options['fetchMargins'] = false;
  if (opts.sandbox) {
    if (!exchange.urls['test'])
      throw new BotDeskError(
        'INVALID_INPUT',
        `${id} has no testnet in ccxt; turn the testnet off to trade on ${id} itself`,
      );
    exchange.setSandboxMode(true);
  }
  opts.configure?.(exchange);
  // ccxt needs an http agent for plain ws:// endpoints (local gateways, test servers).
  if (Class === pro && JSON.stringify(exchange.urls).includes('"ws://'))
    await exchange.loadHttpProxyAgent();
  return { exchange, ccxt };
}

/** Where an exchange tells whether a key may withdraw (null: it does not say). */
const WITHDRAW_PERMISSION: Record<string, (exchange: Exchange) => Promise<boolean | null>> = {
  binance: async (exchange) => {
    const r = (await (
      exchange as unknown as { sapiGetAccountApiRestrictions(): Promise<unknown> }
    ).sapiGetAccountApiRestrictions()) as { enableWithdrawals?: boolean } | undefined;
    return typeof r?.enableWithdrawals === 'boolean' ? r.enableWithdrawals : null;
  },
};

export interface ConnectionCheck {
  exchange: string;
  sandbox: boolean;
  ok: boolean;
  /** Assets with a non-zero balance. */
  assets: number;
  /** True when the exchange says the key can withdraw; null when it does not say. */
  canWithdraw: boolean | null;
  warnings: string[];
}

export async function checkConnection(
  opts: LiveConnectOptions & { redact: Redact; signal?: AbortSignal },
): Promise<ConnectionCheck> {
  const { exchange, ccxt } = await connectExchange({ ...opts, websocket: false });
  const ctx = {
    ccxt,
    exchangeId: exchange.id,
    backoff: { ...DEFAULT_BACKOFF, attempts: 3 },
    redact: opts.redact,
  };
  try {
    const balance = await callWithRetry(
      ctx,
      'fetchBalance',
      () => exchange.fetchBalance(),
      opts.signal,
    );
    const total = (balance.total ?? {}) as unknown as Record<string, number | undefined>;
    const assets = Object.values(total).filter((v) => (v ?? 0) > 0).length;
    const warnings: string[] = [];
    let canWithdraw: boolean | null = null;
    const probe = WITHDRAW_PERMISSION[exchange.id];
    if (probe) {
      try {
        canWithdraw = await probe(exchange);
      } catch (err) {
        // Testnets often lack the permission endpoint: say we could not tell, do not fail the check.
        warnings.push(
          `could not read the key's permissions: ${toBotDeskError(ctx, 'permissions', err).message}`,
        );
      }
    }
    if (canWithdraw)
      warnings.push(
        `this API key can withdraw funds from ${exchange.id}; a trading bot never needs that, create a key without withdrawal permission`,
      );
    return {
      exchange: exchange.id,
      sandbox: opts.sandbox,
      ok: true,
      assets,
      canWithdraw,
      warnings,
    };
  } catch (err) {
    throw toBotDeskError(ctx, 'fetchBalance', err);
  } finally {
    await exchange.close?.();
  }
}
