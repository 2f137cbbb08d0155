/**
 * A value that shows at once but, once it turns null, stays shown for `ms` more (a new
 * value in the meantime shows at once). At a fast clock a risk block comes and goes
 * several times a second (a position closes, the next entry fills the slot again): a
 * banner following it exactly would flicker and move the page under it, making the chart
 * resize (costly) each time.
 */
import { useEffect, useState } from 'react';

export function useHeld<T>(value: T | null, ms: number): T | null {
  const [held, setHeld] = useState<T | null>(value);
  // the latest value is remembered while rendering (React's "state from the previous render")
  if (value !== null && value !== held) setHeld(value);
  useEffect(() => {
    if (value !== null) return;
    const timer = setTimeout(() => setHeld(null), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return value ?? held;
}
