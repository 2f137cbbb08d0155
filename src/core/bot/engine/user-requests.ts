/**
 * What the user asks of a running bot between ticks — close a position, enter one now —
 * and the risk block the trading core's decisions show. A request becomes a signal at the
 * next candle time, so it goes through the same decide (risk rules, sizing, fill at the
 * next open) as a strategy's; only its order's reason says who asked.
 */
import type { EventBus } from '../event-bus.ts';
import { ENTER_LONG, EXIT, type StepOutput, type TradingCore } from '../../trading/step.ts';

export type UserRequest = { symbol: string; action: 'close' | 'enter' };

export interface RiskBlock {
  rule: string;
  reason: string;
  since: number;
  /** The figures of the refusal that set it (e.g. `{ loss, limit }`), for a UI's own words. */
  values?: Record<string, number>;
}

const REASON = { close: 'closed by the user', enter: 'entry forced by the user' } as const;

/**
 * Rules that refuse every entry until their cause goes away (not a one-off refusal), by the
 * refusal's structured rule (never its wording), as the block's id the UIs know.
 */
const BLOCKING_RULES: Readonly<Record<string, string>> = {
  daily_loss: 'daily-loss',
  max_open_positions: 'max-positions',
  kill_switch: 'kill-switch',
};

export function blockingRule(rule: string | undefined): string | undefined {
  return rule === undefined ? undefined : BLOCKING_RULES[rule];
}

export class UserRequests {
  #queue: UserRequest[] = [];
  #injected: UserRequest[] = [];

  request(req: UserRequest): void {
    this.#queue.push(req);
  }

  /** Write queued requests into the core's signal columns for the step of this candle time. */
  inject(core: TradingCore): void {
    const kept: UserRequest[] = [];
    this.#injected = [];
    for (const r of this.#queue) {
      const i = core.index(r.symbol);
      // no candle of the symbol at this time: the step would not read it; wait for one
      if (i === undefined || core.bars.present[i] !== 1) {
        kept.push(r);
        continue;
      }
      core.signals.action[i] = r.action === 'close' ? EXIT : ENTER_LONG;
      core.signals.strength[i] = 1;
      this.#injected.push(r);
    }
    this.#queue = kept;
  }

  /** The orders the step placed for the user's requests say so. */
  label(out: StepOutput): void {
    for (const r of this.#injected) {
      const side = r.action === 'close' ? 'sell' : 'buy';
      const order = out.placed.find((o) => o.symbol === r.symbol && o.side === side);
      if (order) order.reason = REASON[r.action];
    }
    this.#injected = [];
  }
}

/** Steps without a refusal (with room for an entry) before a block is lifted. */
export const UNBLOCK_AFTER_STEPS = 10;

/**
 * Entries refused by a blocking rule: a state with its reason, one episode per block. At a
 * fast clock a max-positions block would otherwise flap every step (a slot frees, the next
 * entry fills it, the one after is refused), so an episode ends only after `quietSteps` steps
 * in a row that show room for an entry (one went through, or a position slot is free) without
 * a refusal by the rule; refusals inside an episode are counted, and told when it ends. Each
 * block is a warning in the log once per episode; a max-positions block is a normal state,
 * daily loss and the kill switch are also a RISK_REJECTED error event (once per episode).
 */
export class RiskBlockTracker {
  block: RiskBlock | null = null;
  readonly #bus: EventBus;
  readonly #log: (level: 'info' | 'warn', message: string) => void;
  readonly #now: () => number;
  readonly #quietSteps: number;
  /** Refusals by the block's rule in this episode, and steps in a row with room and none. */
  #refused = 0;
  #quiet = 0;

  constructor(
    bus: EventBus,
    log: (level: 'info' | 'warn', m: string) => void,
    now: () => number,
    quietSteps = UNBLOCK_AFTER_STEPS,
  ) {
    this.#bus = bus;
    this.#log = log;
    this.#now = now;
    this.#quietSteps = quietSteps;
  }

  /** After a step: `core` tells whether a max-positions block still holds (a position may have closed). */
  observe(out: StepOutput, core?: TradingCore): void {
    let refusal: StepOutput['rejections'][number] | undefined;
    let rule: string | undefined;
    for (const r of out.rejections) {
      const ruleOf = r.action === 'enter_long' ? blockingRule(r.rule) : undefined;
      if (!ruleOf) continue;
      if (ruleOf === this.block?.rule) this.#refused++;
      refusal = r;
      rule = ruleOf;
    }
    const block = this.block;
    if (block && rule !== block.rule) {
      const room =
        out.placed.some((o) => o.side === 'buy') ||
        (block.rule === 'max-positions' &&
          core !== undefined &&
          core.account.openCount +
            core.pending().filter((o) => o.side === 'buy' && !core.account.position(o.symbol))
              .length <
            core.config.risk.maxOpenPositions);
      if (room) this.#quiet++;
      if (this.#quiet >= this.#quietSteps || rule !== undefined) this.#end(block);
    }
    if (!refusal || !rule) return;
    if (this.block?.rule === rule) {
      this.#quiet = 0;
      this.block = { ...this.block, reason: refusal.reason, ...values(refusal) };
      return;
    }
    this.block = { rule, reason: refusal.reason, since: this.#now(), ...values(refusal) };
    this.#refused = 1;
    this.#quiet = 0;
    this.#log('warn', `new entries blocked by ${rule}: ${refusal.reason}`);
    if (rule !== 'max-positions')
      this.#bus.emit('error', {
        code: 'RISK_REJECTED',
        message: `new entries blocked: ${refusal.reason}`,
      });
  }

  #end(block: RiskBlock): void {
    const n = this.#refused;
    this.#log(
      'info',
      `new entries unblocked (was: ${block.reason}; ${n} ${n === 1 ? 'entry' : 'entries'} refused meanwhile)`,
    );
    this.block = null;
    this.#refused = 0;
    this.#quiet = 0;
  }
}

const values = (r: { values?: Record<string, number> }) => (r.values ? { values: r.values } : {});
