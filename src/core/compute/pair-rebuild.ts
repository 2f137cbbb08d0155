/**
 * Rebuilding pairs in a worker that replaced a lost one (or reloaded user strategies): each
 * pair's kept candle tail is replayed, then the candles that arrived meanwhile. A pair whose
 * replay loses the worker again, or whose strategy cannot be rebuilt, is quarantined so one
 * bad pair cannot keep a worker down. Apart from the pool: this is recovery, not ticking.
 */
import { packed } from './pool-codec.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { failureCode, isWorkerLost, type PairEntry, type WorkerSlot } from './worker-slot.ts';
import type { Workers } from './workers.ts';

export class PairRebuilder {
  readonly #workers: Workers;
  /** Whether the pair is still the pool's (it may have been removed during a rebuild). */
  readonly #isCurrent: (p: PairEntry) => boolean;

  constructor(workers: Workers, isCurrent: (p: PairEntry) => boolean) {
    this.#workers = workers;
    this.#isCurrent = isCurrent;
  }

  /**
   * Replays each pair's tail into the worker, then catches up with candles that arrived
   * meanwhile. With `blame`, a pair whose replay loses the worker is quarantined (it made
   * the worker hang or crash) and false is returned so the caller starts over.
   */
  async rebuild(w: WorkerSlot, pairs: PairEntry[], blame: boolean): Promise<boolean> {
    const live = (p: PairEntry) =>
      this.#isCurrent(p) && p.worker === w && p.status === 'rebuilding';
    const step = async (pair: PairEntry, run: () => Promise<unknown>): Promise<boolean> => {
      try {
        await run();
        return true;
      } catch (err) {
        const lost = isWorkerLost(err);
        if ((lost && !blame) || this.#workers.closed) return false;
        const code = lost ? failureCode(err) : 'STRATEGY_ERROR';
        pair.status = 'quarantined';
        const what = lost
          ? 'replaying its candles stopped its worker'
          : 'its strategy could not be rebuilt';
        pair.problem = {
          code,
          message: `${pair.key} quarantined (${what}): ${(err as Error).message}`,
        };
        this.#workers.log('error', pair.problem.message);
        return !lost;
      }
    };
    for (const pair of pairs) {
      if (!live(pair)) continue;
      if (!(await step(pair, () => this.#install(w, pair)))) return false;
    }
    for (;;) {
      const lagging = pairs.filter((p) => live(p) && p.seq > p.builtSeq);
      if (lagging.length === 0) break;
      for (const pair of lagging) {
        if (!live(pair)) continue;
        if (!(await step(pair, () => this.#catchUp(w, pair)))) return false;
      }
    }
    for (const pair of pairs) {
      if (live(pair)) {
        pair.status = 'ok';
        pair.problem = null;
      }
    }
    return true;
  }

  async #install(w: WorkerSlot, pair: PairEntry): Promise<void> {
    pair.builtSeq = pair.seq;
    await this.#workers.request(
      w,
      {
        v: PROTOCOL_VERSION,
        type: 'add',
        id: this.#workers.nextId(),
        slot: pair.slot,
        strategy: pair.strategy,
        history: packed(pair.tail),
        tolerant: true,
        tailOutputs: 0,
      },
      this.#workers.replayDeadlineMs,
      'added',
    );
  }

  async #catchUp(w: WorkerSlot, pair: PairEntry): Promise<void> {
    const missing = pair.seq - pair.builtSeq;
    if (missing > pair.tail.length) return this.#install(w, pair);
    pair.builtSeq = pair.seq;
    const candles = pair.tail.slice(pair.tail.length - missing);
    await this.#workers.request(
      w,
      {
        v: PROTOCOL_VERSION,
        type: 'tick',
        id: this.#workers.nextId(),
        slots: Int32Array.of(pair.slot),
        counts: Int32Array.of(missing),
        candles: packed(candles),
      },
      this.#workers.replayDeadlineMs,
      'ticked',
    );
  }
}
