/**
 * The kill switch across starts: a start loads the risk rules' state from the journal, and
 * while the kill switch it holds is tripped the start is refused with the reason, unless
 * the caller acknowledges it explicitly (`bot:start` with `acknowledgeKillSwitch: true`);
 * the acknowledgement is journaled and told before trading resumes. The status shows the
 * tripped switch, also after an app restart, from the same journaled state.
 */
import { BotDeskError } from '../api/errors.ts';
import type { KillSwitchTrip, RiskConfig, RiskEvent, TradingMode } from '../api/schemas.ts';
import type { Journal } from '../journal/journal.ts';
import type { RiskBook } from '../trading/rules/risk-book.ts';
import {
  loadRiskBook,
  loadRiskState,
  riskDecisionEvent,
  riskStateEvent,
} from '../trading/rules/risk-journal.ts';

export interface KillSwitchGateDeps {
  /** The mode's journal; null when it does not exist yet (nothing can be tripped then). */
  journal: (mode: TradingMode, create: boolean) => Journal | null;
  now: () => number;
  log: (level: 'info' | 'warn', message: string) => void;
  tell: (e: RiskEvent) => void;
}

export class KillSwitchGate {
  readonly #d: KillSwitchGateDeps;
  readonly #known = new Map<TradingMode, KillSwitchTrip | null>();

  constructor(deps: KillSwitchGateDeps) {
    this.#d = deps;
  }

  /** The tripped switch of `mode` for the status (read once from the journal, then kept). */
  tripped(mode: TradingMode): KillSwitchTrip | null {
    if (!this.#known.has(mode)) {
      let trip: KillSwitchTrip | null = null;
      try {
        const journal = this.#d.journal(mode, false);
        if (journal !== null) trip = loadRiskState(journal).killSwitch;
      } catch {
        // A damaged state is reported by the start that reads it, with the reason.
      }
      this.#known.set(mode, trip);
    }
    return this.#known.get(mode) ?? null;
  }

  /** The running engine tripped the switch. */
  noteTrip(mode: TradingMode, trip: KillSwitchTrip): void {
    this.#known.set(mode, trip);
  }

  /**
   * The risk book a start trades with. Refused (RISK_REJECTED, changes nothing) while the
   * switch is tripped and not acknowledged.
   */
  open(
    mode: TradingMode,
    config: RiskConfig,
    acknowledge: boolean,
    startingBalance: number,
  ): RiskBook {
    const journal = this.#d.journal(mode, true)!;
    const book = loadRiskBook(journal, config);
    const trip = book.killSwitch;
    this.#known.set(mode, trip);
    if (trip === null) return this.#rebase(book, startingBalance);
    if (!acknowledge) {
      const message = `${trip.message}. Start with acknowledgeKillSwitch (botdesk run --acknowledge-kill-switch) to trade again.`;
      this.#d.log('warn', `start refused: ${message}`);
      throw new BotDeskError('RISK_REJECTED', message);
    }
    book.acknowledge();
    const ts = this.#d.now();
    const e: RiskEvent = {
      ts,
      kind: 'acknowledged',
      rule: 'kill_switch',
      message: `kill switch acknowledged (tripped at ${new Date(trip.at).toISOString()}, drawdown ${(trip.drawdown * 100).toFixed(2)}%); the drawdown is measured afresh from now`,
    };
    journal.commitTick({ events: [riskDecisionEvent(e), riskStateEvent(book, ts)!] });
    this.#known.set(mode, null);
    this.#d.log('info', e.message);
    this.#d.tell(e);
    return this.#rebase(book, startingBalance);
  }

  #rebase(book: RiskBook, startingBalance: number): RiskBook {
    const before = book.rebase(startingBalance);
    if (before !== null) {
      this.#d.log(
        'info',
        `the starting balance changed from ${before} to ${startingBalance}: the drawdown is measured from a new equity peak`,
      );
    }
    return book;
  }
}
