/**
 * The live executor the engine gets for a live run: it connects to the exchange (keys from
 * the secret store, testnet when armed so) and opens the order ledger when the run
 * prepares, then delegates to CcxtExecutor. Built synchronously by the manager's
 * createExecutor seam; nothing touches the network before `prepare`.
 */
import type { Exchange } from 'ccxt';
import { BotDeskError } from '../api/errors.ts';
import type { Order } from '../api/schemas.ts';
import type { ApiKeys } from '../secrets/types.ts';
import type { Backoff, Redact } from './ccxt-calls.ts';
import { connectExchange } from './ccxt-connect.ts';
import { CcxtExecutor } from './ccxt-executor.ts';
import { OrderLedger } from './ccxt-ledger.ts';
import type { ExecutionResult, Executor, ExecutorUpdate, OrderIntent, Wallet } from './types.ts';

export interface LiveExecutorOptions {
  exchange: string;
  sandbox: boolean;
  /** Read when the run prepares, so keys live in memory only while trading. */
  keys: () => ApiKeys | null;
  ledgerFile: string;
  quote: string;
  symbols: readonly string[];
  priceOf?: (symbol: string) => number | undefined;
  /** Endpoint overrides (tests: the loopback exchange). */
  configure?: (exchange: Exchange) => void;
  timeoutMs?: number;
  pollMs?: number;
  /** Fills by websocket where the exchange has them (default true), and polling while it is up. */
  stream?: boolean;
  safetyPollMs?: number;
  /** The bot's own quote cash at start (a difference from the exchange is shown). */
  expectedCash?: number;
  lostOrderGraceMs?: number;
  backoff?: Partial<Backoff>;
  journaledFills?: (ids: readonly string[]) => ReadonlySet<string>;
  redact: Redact;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export class LiveExecutor implements Executor {
  readonly mode = 'live' as const;
  readonly #opts: LiveExecutorOptions;
  #inner: Promise<CcxtExecutor> | null = null;
  #ready: CcxtExecutor | null = null;

  constructor(opts: LiveExecutorOptions) {
    this.#opts = opts;
  }

  async #connect(): Promise<CcxtExecutor> {
    const o = this.#opts;
    const keys = o.keys();
    if (!keys)
      throw new BotDeskError(
        'EXCHANGE_AUTH',
        `no API keys for ${o.exchange}: live trading cannot start`,
      );
    const { exchange, ccxt } = await connectExchange({
      exchange: o.exchange,
      keys,
      sandbox: o.sandbox,
      ...(o.configure ? { configure: o.configure } : {}),
      ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.stream === false ? { websocket: false } : {}),
    });
    const executor = new CcxtExecutor({
      ccxt,
      exchange,
      ledger: new OrderLedger(o.ledgerFile),
      quote: o.quote,
      symbols: o.symbols,
      redact: o.redact,
      log: o.log,
      ...(o.priceOf ? { priceOf: o.priceOf } : {}),
      ...(o.pollMs ? { pollMs: o.pollMs } : {}),
      ...(o.stream !== undefined ? { stream: o.stream } : {}),
      ...(o.safetyPollMs ? { safetyPollMs: o.safetyPollMs } : {}),
      ...(o.expectedCash !== undefined ? { expectedCash: o.expectedCash } : {}),
      ...(o.lostOrderGraceMs ? { lostOrderGraceMs: o.lostOrderGraceMs } : {}),
      ...(o.backoff ? { backoff: o.backoff } : {}),
      ...(o.journaledFills ? { journaledFills: o.journaledFills } : {}),
    });
    this.#ready = executor;
    return executor;
  }

  #executor(): Promise<CcxtExecutor> {
    this.#inner ??= this.#connect().catch((err: unknown) => {
      this.#inner = null;
      throw err;
    });
    return this.#inner;
  }

  async prepare(signal: AbortSignal): Promise<ExecutorUpdate> {
    return (await this.#executor()).prepare(signal);
  }

  async place(intent: OrderIntent, signal?: AbortSignal): Promise<ExecutionResult> {
    return (await this.#executor()).place(intent, signal);
  }

  async cancelOpenOrders(signal?: AbortSignal): Promise<Order[]> {
    return this.#ready ? this.#ready.cancelOpenOrders(signal) : [];
  }

  wallet(): Wallet {
    return this.#ready?.wallet() ?? { quote: this.#opts.quote, cash: 0, holdings: new Map() };
  }

  availableCash(): number | undefined {
    return this.#ready?.availableCash();
  }

  takeUpdates(): ExecutorUpdate {
    return this.#ready?.takeUpdates() ?? { orders: [], fills: [], events: [], notices: [] };
  }

  async close(): Promise<void> {
    // A connect still in flight is waited for, so its poller cannot outlive the run.
    const inner = this.#ready ?? (await this.#inner?.catch(() => null)) ?? null;
    if (!inner) return;
    await inner.close();
    inner.ledger.close();
  }
}
