/**
 * What a user asks of the running bot between ticks (close a position, force an entry),
 * and the entry block a rule puts on every entry until its cause goes away (daily loss,
 * max positions, drawdown, kill switch), which status shows.
 */
import type { StepOutput } from '../../trading/step.ts';
import type { EventBus } from '../event-bus.ts';

/** A user's request, applied at the next tick: close a position, or enter one now. */
export type ManualRequest = { symbol: string; action: 'close' | 'enter' };

/** Entry refused by a rule that blocks every entry until its cause goes away (not a one-off). */
export interface RiskBlock {
  rule: string;
  reason: string;
  since: number;
}

const BLOCKING_RULES: ReadonlyArray<[RegExp, string]> = [
  [/daily loss/i, 'daily-loss'],
  [/max open positions/i, 'max-positions'],
  [/kill.switch/i, 'kill-switch'],
  [/^max_exposure_total:/, 'max-exposure'],
  [/drawdown/i, 'drawdown'],
];

export class RiskBlockTracker {
  current: RiskBlock | null = null;
  readonly #bus: EventBus;
  readonly #log: (level: 'info' | 'warn', message: string) => void;
  readonly #now: () => number;

  constructor(
    bus: EventBus,
    log: (level: 'info' | 'warn', message: string) => void,
    now: () => number,
  ) {
    this.#bus = bus;
    this.#log = log;
    this.#now = now;
  }

  /** An accepted entry clears the block; an entry refused by a blocking rule sets it. */
  update(out: StepOutput): void {
    if (out.placed.some((o) => o.side === 'buy')) this.#set(null);
    for (const r of out.rejections) {
      if (r.action !== 'enter_long') continue;
      const rule = BLOCKING_RULES.find(([re]) => re.test(r.reason))?.[1];
      if (rule) this.#set({ rule, reason: r.reason });
    }
  }

  #set(block: { rule: string; reason: string } | null): void {
    const was = this.current;
    if (block === null) {
      if (was) this.#log('info', `entries unblocked (was: ${was.reason})`);
      this.current = null;
      return;
    }
    if (was?.rule !== block.rule) {
      this.#log('warn', `entries blocked by ${block.rule}: ${block.reason}`);
      this.#bus.emit('error', {
        code: 'RISK_REJECTED',
        message: `new entries blocked: ${block.reason}`,
      });
    }
    this.current = { ...block, since: was?.rule === block.rule ? was.since : this.#now() };
  }
}
