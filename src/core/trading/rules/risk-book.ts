/**
 * The risk rules bound to one account's risk state, in the shape the trading core calls
 * them: `exitRule` per open position and candle (protective exits), `onFill` for every fill
 * (entries start their high-water mark and attached stop/target, losing exits start the
 * pair's cooldown), `onEquity` after each candle time (equity peak → kill switch), and
 * `reviewEntry` from decide. The paper engine, the live engine and the backtester each own
 * one; the engine journals `snapshot()` whenever `takeChanged()` says so and restores it
 * at start, so the state after a restart is the state before it.
 */
import type { KillSwitchTrip, RiskConfig } from '../../api/schemas.ts';
import type { AccountPosition, ClosedTrade } from '../account.ts';
import type { Bars } from '../step.ts';
import { reviewEntry, type EntryContext, type EntryDecision, type EntrySignal } from './apply.ts';
import {
  checkExit,
  describeExit,
  exitRulesFor,
  nextHighWater,
  type CandleLike,
  type ExitReason,
  type ExitRules,
} from './exits.ts';
import {
  acknowledgeKillSwitch,
  emptyRiskState,
  expireCooldowns,
  onEquity,
  onExit,
  parseRiskState,
  type RiskState,
} from './risk-state.ts';

/** Whether `record` has an own key (without the array `Object.keys` makes). */
function hasKeys(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

/** A protective exit as the trading core fills it; `reason` starts with the rule's name. */
export interface RiskExit {
  price: number;
  reason: string;
  rule: ExitReason;
}

export class RiskBook {
  #config: RiskConfig;
  #state: RiskState;
  #changed = false;
  /** Exit rules resolved per symbol for the current config. */
  readonly #rules = new Map<string, ExitRules>();
  /** Any cooldown running (skips the expiry scan on the hot path when none is). */
  #cooling: boolean;
  /** Reused for every check: the hot path allocates nothing when no exit triggers. */
  readonly #candle: CandleLike = { ts: 0, open: 0, high: 0, low: 0, close: 0 };

  constructor(config: RiskConfig, state: RiskState = emptyRiskState()) {
    this.#config = config;
    this.#state = state;
    this.#cooling = Object.keys(state.cooldowns).length > 0;
  }

  /** Restore from a journaled snapshot (validated: a damaged one throws). */
  static restore(config: RiskConfig, snapshot: unknown): RiskBook {
    return new RiskBook(config, parseRiskState(snapshot));
  }

  configure(config: RiskConfig): void {
    if (config === this.#config) return;
    this.#config = config;
    this.#rules.clear();
  }

  get config(): RiskConfig {
    return this.#config;
  }

  /** The live state (read only for callers). */
  get state(): Readonly<RiskState> {
    return this.#state;
  }

  get killSwitch(): KillSwitchTrip | null {
    return this.#state.killSwitch;
  }

  /** A deep copy for the journal. */
  snapshot(): RiskState {
    return structuredClone(this.#state);
  }

  /** True once after the persisted state changed (the engine journals a snapshot then). */
  takeChanged(): boolean {
    const c = this.#changed;
    this.#changed = false;
    return c;
  }

  /** The entry signal's own stop and target, recorded when its order is decided. */
  attach(symbol: string, stop: number | undefined, target: number | undefined): void {
    const held = this.#state.positions[symbol];
    if (held?.entryTs !== undefined) return;
    if (stop === undefined && target === undefined) {
      // An earlier entry's attachment whose order never filled must not carry over.
      if (held !== undefined) {
        delete this.#state.positions[symbol];
        this.#changed = true;
      }
      return;
    }
    const attached: RiskState['positions'][string] = { highWater: 0 };
    if (stop !== undefined) attached.stop = stop;
    if (target !== undefined) attached.target = target;
    this.#state.positions[symbol] = attached;
    this.#changed = true;
  }

  /** The position risk record of `position`, started (or restarted) when it is a new position. */
  #positionState(position: AccountPosition) {
    const s = this.#state.positions[position.symbol];
    if (s !== undefined && s.entryTs === position.entryTs) return s;
    // A new position: keep what its entry signal attached (recorded before the fill).
    const fresh: RiskState['positions'][string] & { entryTs: number } = {
      highWater: position.avgPrice,
      entryTs: position.entryTs,
    };
    if (s?.entryTs === undefined && s?.stop !== undefined) fresh.stop = s.stop;
    if (s?.entryTs === undefined && s?.target !== undefined) fresh.target = s.target;
    this.#state.positions[position.symbol] = fresh;
    this.#changed = true;
    return fresh;
  }

  /** The trading core's exit rule: checks one open position against candle `i` of `bars`. */
  readonly exitRule = (
    position: AccountPosition,
    bars: Bars,
    i: number,
    ts: number,
  ): RiskExit | null => {
    const c = this.#candle;
    c.ts = ts;
    c.open = bars.open[i]!;
    c.high = bars.high[i]!;
    c.low = bars.low[i]!;
    c.close = bars.close[i]!;
    return this.checkCandle(position, c);
  };

  /** Protective exits for one candle (or a live price as open = high = low = close). */
  checkCandle(position: AccountPosition, candle: CandleLike): RiskExit | null {
    const s = this.#positionState(position);
    let rules = this.#rules.get(position.symbol);
    if (rules === undefined) {
      rules = exitRulesFor(this.#config, position.symbol);
      this.#rules.set(position.symbol, rules);
    }
    const hit = checkExit(position, candle, rules, s);
    if (hit === null) {
      const hw = nextHighWater(s.highWater, candle);
      if (hw !== s.highWater) {
        s.highWater = hw;
        this.#changed = true;
      }
      return null;
    }
    return { price: hit.price, rule: hit.reason, reason: describeExit(hit, position.avgPrice) };
  }

  /** Every fill of the account: a closed round trip ends the position's record (and may start a cooldown). */
  onFill(trade: ClosedTrade | null): void {
    if (trade === null) return;
    onExit(this.#state, this.#config, trade.symbol, trade.exitTs, trade.pnl);
    this.#cooling = hasKeys(this.#state.cooldowns);
    this.#changed = true;
  }

  /** Equity after a candle time: tracks the peak; returns the kill switch when it trips now. */
  onEquity(ts: number, equity: number): KillSwitchTrip | null {
    const before = this.#state.equityPeak;
    const trip = onEquity(this.#state, this.#config, ts, equity);
    if (trip !== null || before !== this.#state.equityPeak) this.#changed = true;
    if (this.#cooling && expireCooldowns(this.#state, ts)) {
      this.#changed = true;
      this.#cooling = hasKeys(this.#state.cooldowns);
    }
    return trip;
  }

  reviewEntry(signal: EntrySignal, ctx: EntryContext): EntryDecision {
    return reviewEntry(signal, ctx, this.#config, this.#state);
  }

  /**
   * A run starts with `startingBalance`: when it differs from the one the equity peak was
   * measured with, the peak starts afresh (a smaller paper balance is not a drawdown).
   * Returns the previous balance when the peak was reset, else null.
   */
  rebase(startingBalance: number): number | null {
    const before = this.#state.startingBalance;
    if (before === startingBalance) return null;
    this.#state.startingBalance = startingBalance;
    this.#changed = true;
    if (before === undefined) return null;
    this.#state.equityPeak = null;
    return before;
  }

  /** Clears a tripped kill switch; returns what it was. */
  acknowledge(): KillSwitchTrip | null {
    const trip = acknowledgeKillSwitch(this.#state);
    if (trip !== null) this.#changed = true;
    return trip;
  }
}
