/**
 * Leading and trailing throttle: the first call after a quiet spell runs at once, calls
 * inside the next `ms` are folded into one run when it ends (so the latest state is
 * always shown, and nothing runs more often than every `ms`).
 */
export interface Throttled {
  (): void;
  /** Drop a pending run. */
  cancel(): void;
}

export function throttle(
  run: () => void,
  ms: number,
  now: () => number = () => performance.now(),
): Throttled {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ranAt = -Infinity;
  const fire = () => {
    timer = null;
    ranAt = now();
    run();
  };
  const call = () => {
    if (timer !== null) return;
    const wait = ranAt + ms - now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  call.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return call;
}
