/** A bounded ring buffer of the bus's log lines, for `logs:tail`. */
import type { LogLine } from '../api/schemas.ts';
import type { EventBus } from '../bot/event-bus.ts';

export class LogBuffer {
  readonly #capacity: number;
  readonly #lines: (LogLine | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity = 2000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`log buffer capacity must be ≥ 1, got ${capacity}`);
    this.#capacity = capacity;
    this.#lines = new Array<LogLine | undefined>(capacity);
  }

  push(line: LogLine): void {
    this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#size = Math.min(this.#size + 1, this.#capacity);
  }

  /** The last `limit` lines, oldest first. */
  tail(limit: number): LogLine[] {
    const n = Math.min(limit, this.#size);
    const out: LogLine[] = [];
    for (let i = n; i > 0; i--) {
      const line = this.#lines[(this.#next - i + this.#capacity) % this.#capacity];
      if (line) out.push(line);
    }
    return out;
  }

  /** Follow a bus; returns the unsubscribe function. */
  follow(bus: EventBus): () => void {
    return bus.on('log', (line) => this.push(line));
  }
}
