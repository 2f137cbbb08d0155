/**
 * A push → pull bridge for push-driven sources (websocket feeds, pollers): producers push
 * events or a fatal error; one consumer drains them in order as an async iterable that
 * ends when the signal aborts.
 */
export class EventQueue<T> {
  readonly #items: T[] = [];
  #head = 0;
  #error: unknown;
  #failed = false;
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
  }

  /** Ends the stream with `error` once the events before it are drained. */
  fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#error = error;
    this.#wake?.();
  }

  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        while (this.#head < this.#items.length) {
          if (signal.aborted) return;
          const item = this.#items[this.#head]!;
          this.#head++;
          if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
            this.#items.splice(0, this.#head);
            this.#head = 0;
          }
          yield item;
        }
        if (signal.aborted) return;
        if (this.#failed) throw this.#error;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
