/**
 * Pushed events are queued and applied once per animation frame, in arrival order, with
 * runs of the same event handed over together: at 6000× a feed sends hundreds of candles
 * a second, and the page should render once per frame, not once per event.
 */
export type Schedule = (flush: () => void) => void;

type Raf = (callback: () => void) => number;
/** The page's requestAnimationFrame (absent in Node, where unit tests run). */
export const animationFrame = (globalThis as { requestAnimationFrame?: Raf }).requestAnimationFrame;

/** Once per frame; a hidden page (no frames) still flushes every `idleMs` so the queue stays short. */
export function frameSchedule(raf: Raf, idleMs = 250): Schedule {
  return (flush) => {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      flush();
    };
    const timer = setTimeout(once, idleMs);
    raf(once);
  };
}

/** Applies at once (tests, and hosts without frames). */
export const immediate: Schedule = (flush) => flush();

export interface FrameBatcher<K extends string> {
  push(kind: K, payload: unknown): void;
  /** Apply what is queued now. */
  flush(): void;
  /** Forget what is queued (after detaching). */
  clear(): void;
}

/** `apply(kind, payloads)` receives consecutive events of one kind together, in order. */
export function createFrameBatcher<K extends string>(
  apply: (kind: K, payloads: unknown[]) => void,
  schedule: Schedule,
): FrameBatcher<K> {
  let queue: Array<{ kind: K; payload: unknown }> = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const items = queue;
    queue = [];
    let i = 0;
    while (i < items.length) {
      const kind = items[i]!.kind;
      const run: unknown[] = [];
      while (i < items.length && items[i]!.kind === kind) run.push(items[i++]!.payload);
      apply(kind, run);
    }
  };
  return {
    push(kind, payload) {
      queue.push({ kind, payload });
      if (scheduled) return;
      scheduled = true;
      schedule(flush);
    },
    flush,
    clear() {
      queue = [];
    },
  };
}
