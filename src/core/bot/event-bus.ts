/** The typed in-process event bus; transports subscribe and forward. */
import type { EventName } from '../api/channels.ts';
import type { EventPayload } from '../api/contract.ts';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

export class EventBus {
  readonly #listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  /** Listener errors are contained: one bad subscriber never breaks the tick. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as Listener<E>)(payload);
      } catch (err) {
        queueMicrotask(() => {
          if (event !== 'log') {
            this.emit('log', {
              ts: Date.now(),
              level: 'error',
              scope: 'bus',
              message: `listener for '${event}' threw: ${err instanceof Error ? err.message : String(err)}`,
            });
          }
        });
      }
    }
  }

  listenerCount(event: EventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
