/**
 * The risk decision, a pure function of the signals of one candle time, the account, the
 * prices and the config: exits first (they free slots and cash, and getting out is never
 * blocked), then entries in signal order, each sized from equity and checked against the
 * max open positions, the daily loss limit and the entries-paused gate. Orders already
 * pending (decided, waiting for the next open) count as taken: a pending buy holds a slot
 * and its cash, a pending sell is an exit under way.
 */
import { SymbolSet } from './symbol-set.ts';
import type { OrderSide, RiskConfig, SignalAction } from '../api/schemas.ts';
import type { Account } from './account.ts';
import type { FillModel } from './fill-model.ts';
import { reviewEntry, type EntryContext } from './rules/apply.ts';
import { emptyRiskState, type RiskState } from './rules/risk-state.ts';

/** What decide reads of a signal (schemas' `Signal` is one). */
export interface DecideSignal {
  symbol: string;
  action: SignalAction;
  strength: number;
  /** An entry's own stop and target prices (absolute). */
  stop?: number | undefined;
  target?: number | undefined;
}

const NO_RISK_STATE: RiskState = Object.freeze(emptyRiskState());

export interface DecideConfig {
  risk: RiskConfig;
  fill: FillModel;
  /** Smallest stake worth an order, in the quote currency (default 1). */
  minStake?: number;
  /**
   * False when the caller never reads an entry's reason (the single-pair backtest, whose
   * trades carry their exit's reason): entries then get '' and skip formatting it.
   */
  entryReasons?: boolean;
}

/** An order decided but not filled yet. */
export interface PendingIntent {
  symbol: string;
  side: OrderSide;
  amount: number;
}

export interface DecideState {
  entriesPaused: boolean;
  /** Equity when the current UTC day began (0: unknown, no daily limit applies). */
  dayStartEquity: number;
  pending: readonly PendingIntent[];
  /** Cooldowns and the kill switch (rules/risk-state.ts); none when absent. */
  risk?: Readonly<RiskState> | undefined;
  /** Market time of the decision (the candle's close), for cooldowns. */
  now?: number | undefined;
  /** The most quote cash entries may spend (an exchange's free balance), below the account's. */
  cashLimit?: number | undefined;
}

export interface Intent {
  symbol: string;
  side: OrderSide;
  /** Base amount. */
  amount: number;
  /** Why, stored with the order. */
  reason: string;
  /** The entry signal's own stop and target, handed to the risk rules when it fills. */
  stop?: number | undefined;
  target?: number | undefined;
}

export interface Rejection {
  symbol: string;
  action: SignalAction;
  reason: string;
  /** The risk rule that refused it (kill_switch, cooldown, sizing, max_exposure_*, …), when one did. */
  rule?: string;
  /** The figures behind the refusal (e.g. `{ loss, limit }`), so a UI can say it in its own words. */
  values?: Record<string, number>;
}

export interface Decision {
  intents: Intent[];
  rejections: Rejection[];
}

/**
 * Cash kept back per entry on top of fee and slippage, for the move from the decision's
 * close to the next open the order fills at; without it an all-in entry is refused for
 * insufficient balance whenever the next candle opens a little higher.
 */
export const NEXT_OPEN_MARGIN = 0.002;

/** The reason of an exit the strategy signalled (a backtest trade's exit reason). */
export const STRATEGY_EXIT = 'strategy exit';

/**
 * The entry context handed to `reviewEntry`, reused: it reads it and keeps nothing, and a
 * decision runs synchronously, so one object serves every entry of a backtest.
 */
const entryContext: EntryContext = {
  now: 0,
  equity: 0,
  cash: 0,
  price: 0,
  symbolValue: 0,
  totalValue: 0,
  feeRate: 0,
};

/** The symbols exiting and entering in one decision, reused (cleared at its start). */
const exitingScratch = new SymbolSet();
const enteringScratch = new SymbolSet();

/** The last strength formatted for an entry's reason (strategies repeat a few strengths). */
let lastStrength = Number.NaN;
let lastStrengthText = '';

function strengthText(strength: number): string {
  if (!Object.is(strength, lastStrength)) {
    lastStrength = strength;
    lastStrengthText = strength.toFixed(2);
  }
  return lastStrengthText;
}

export function decide(
  signals: readonly DecideSignal[],
  account: Account,
  prices: (symbol: string) => number | undefined,
  config: DecideConfig,
  state: DecideState,
  out?: Decision,
): Decision {
  // `out`: a decision to refill rather than a new one per call. Its arrays are overwritten
  // from the start and cut to length at the end: setting an array's length is a runtime
  // call that drops its storage, so it is done only when the count changes.
  const intents: Intent[] = out ? out.intents : [];
  const rejections: Rejection[] = out ? out.rejections : [];
  let nIntents = 0;
  let nRejections = 0;
  const { risk, fill } = config;
  const slip = fill.slippageBps / 10_000;
  const equity = account.equity(prices);
  let cash = state.cashLimit === undefined ? account.cash : Math.min(account.cash, state.cashLimit);
  let slots = account.openCount;
  const exiting = exitingScratch;
  const entering = enteringScratch;
  exiting.clear();
  entering.clear();
  // Indexed loops: no iterator objects per decision (the backtest decides every entry signal).
  const pending = state.pending;
  for (let k = 0; k < pending.length; k++) {
    const p = pending[k]!;
    const price = prices(p.symbol) ?? 0;
    if (p.side === 'sell') {
      exiting.add(p.symbol);
      if (account.position(p.symbol)) slots -= 1;
      cash += p.amount * price * (1 - slip) * (1 - fill.feeRate);
    } else {
      entering.add(p.symbol);
      cash -= p.amount * price * (1 + slip) * (1 + fill.feeRate);
      if (!account.position(p.symbol)) slots += 1;
    }
  }

  for (let k = 0; k < signals.length; k++) {
    const s = signals[k]!;
    if (s.action !== 'exit') continue;
    const held = account.position(s.symbol);
    if (!held) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: 'exit signal without an open position',
      };
      continue;
    }
    if (exiting.has(s.symbol)) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: 'an exit is already pending',
      };
      continue;
    }
    exiting.add(s.symbol);
    slots -= 1;
    intents[nIntents++] = {
      symbol: s.symbol,
      side: 'sell',
      amount: held.amount,
      reason: STRATEGY_EXIT,
    };
    cash += held.amount * (prices(s.symbol) ?? held.avgPrice) * (1 - slip) * (1 - fill.feeRate);
  }

  // Exposure counts what positions hold plus entries pending or decided here.
  let committed = equity - account.cash;
  for (let k = 0; k < pending.length; k++) {
    const p = pending[k]!;
    if (p.side === 'buy') committed += p.amount * (prices(p.symbol) ?? 0);
  }
  const minStake = config.minStake ?? 1;
  const reserve = fill.feeRate + slip + NEXT_OPEN_MARGIN;
  const loss =
    state.dayStartEquity > 0 ? (state.dayStartEquity - equity) / state.dayStartEquity : 0;
  for (let k = 0; k < signals.length; k++) {
    const s = signals[k]!;
    if (s.action !== 'enter_long') continue;
    if (state.entriesPaused) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: 'entries are paused',
      };
      continue;
    }
    if (account.position(s.symbol) || entering.has(s.symbol)) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: 'already in a position',
      };
      continue;
    }
    if (slots >= risk.maxOpenPositions) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: `max open positions (${risk.maxOpenPositions}) reached`,
        rule: 'max_open_positions',
        values: { max: risk.maxOpenPositions },
      };
      continue;
    }
    if (loss >= risk.maxDailyLoss) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: `daily loss ${(loss * 100).toFixed(2)}% reached the limit of ${(risk.maxDailyLoss * 100).toFixed(2)}%`,
        rule: 'daily_loss',
        values: { loss, limit: risk.maxDailyLoss },
      };
      continue;
    }
    const price = prices(s.symbol);
    if (price === undefined || !(price > 0)) {
      rejections[nRejections++] = { symbol: s.symbol, action: s.action, reason: 'no price yet' };
      continue;
    }
    // Kill switch, cooldown, sizing (fraction, fixed, risk per trade) and exposure limits.
    const ctx = entryContext;
    ctx.now = state.now ?? 0;
    ctx.equity = equity;
    ctx.cash = cash;
    ctx.price = price;
    ctx.symbolValue = 0;
    ctx.totalValue = committed;
    ctx.feeRate = reserve;
    // An exchange's step and minimums size and check the entry now, so one under them is
    // refused with its reason at the decision instead of at the fill.
    const rules = account.rules(s.symbol);
    ctx.limits = rules.fromExchange === true ? rules : undefined;
    const review = reviewEntry(s, ctx, risk, state.risk ?? NO_RISK_STATE);
    if (!review.ok) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: review.reason,
        rule: review.rule,
      };
      continue;
    }
    const stake = review.quote;
    if (!(stake >= minStake)) {
      rejections[nRejections++] = {
        symbol: s.symbol,
        action: s.action,
        reason: `stake ${stake.toFixed(2)} is below the minimum order of ${minStake}`,
      };
      continue;
    }
    entering.add(s.symbol);
    slots += 1;
    cash -= stake * (1 + reserve);
    committed += stake;
    const intent: Intent = {
      symbol: s.symbol,
      side: 'buy',
      // On an exchange's step already (stake ÷ price could land a hair under it and lose a step).
      amount: ctx.limits !== undefined ? review.amount : stake / price,
      reason:
        config.entryReasons === false
          ? ''
          : review.notes.length > 0
            ? `strategy entry (strength ${strengthText(s.strength)}; ${review.notes.join(', ')})`
            : `strategy entry (strength ${strengthText(s.strength)})`,
    };
    if (s.stop !== undefined) intent.stop = s.stop;
    if (s.target !== undefined) intent.target = s.target;
    intents[nIntents++] = intent;
  }
  if (intents.length !== nIntents) intents.length = nIntents;
  if (rejections.length !== nRejections) rejections.length = nRejections;
  return out ?? { intents, rejections };
}
