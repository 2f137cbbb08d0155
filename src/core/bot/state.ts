/**
 * BotState: the lifecycle state machine, guarded by an async-mutex. Control calls run
 * their whole critical section inside `exclusive()`; `transition()` refuses to run
 * outside it and refuses transitions the machine does not have, so two callers can
 * never interleave a lifecycle change. Reading `name` never waits.
 */
import { Mutex } from 'async-mutex';
import { BotDeskError } from '../api/errors.ts';
import type { BotStateName } from '../api/schemas.ts';

export const TRANSITIONS: Readonly<Record<BotStateName, readonly BotStateName[]>> = {
  idle: ['starting'],
  starting: ['running', 'stopping', 'error'],
  running: ['stopping'],
  stopping: ['stopped', 'error'],
  stopped: ['starting'],
  error: ['starting'],
};

export interface TransitionRecord {
  from: BotStateName;
  to: BotStateName;
  reason: string;
}

export class BotState {
  readonly #mutex = new Mutex();
  readonly #onTransition: (t: TransitionRecord) => void;
  #name: BotStateName = 'idle';

  constructor(onTransition: (t: TransitionRecord) => void = () => {}) {
    this.#onTransition = onTransition;
  }

  get name(): BotStateName {
    return this.#name;
  }

  /** starting or running: a worker exists or is being built. */
  get active(): boolean {
    return this.#name === 'starting' || this.#name === 'running';
  }

  canTransition(to: BotStateName): boolean {
    return TRANSITIONS[this.#name].includes(to);
  }

  /** Run `fn` with the lock held; callers queue in FIFO order. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex.runExclusive(fn);
  }

  transition(to: BotStateName, reason: string): void {
    if (!this.#mutex.isLocked()) {
      throw new BotDeskError(
        'INTERNAL',
        `state transition ${this.#name} → ${to} attempted without holding the lock`,
      );
    }
    if (!this.canTransition(to)) {
      throw new BotDeskError('INVALID_STATE', `cannot go from '${this.#name}' to '${to}'`);
    }
    const from = this.#name;
    this.#name = to;
    this.#onTransition({ from, to, reason });
  }
}
