/**
 * A store selection that re-renders its component at most every `ms` (the latest value
 * wins, none is lost; the first change after a quiet spell shows at once). Unlike
 * useThrottled over a store hook, the component is not rendered for the changes in
 * between: at a fast clock a table or a statistic would otherwise render every frame only
 * to show what it showed before. `selector` should be stable (defined at module level):
 * another function subscribes afresh.
 */
import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { throttle } from './state/throttle.ts';

export function useStoreThrottled<S, T>(
  store: StoreApi<S>,
  selector: (state: S) => T,
  ms: number,
  equal: (a: T, b: T) => boolean = Object.is,
): T {
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    const show = throttle(() => {
      const next = selector(store.getState());
      setValue((prev) => (equal(prev, next) ? prev : next));
    }, ms);
    show(); // the store may have changed between the render and this effect
    const off = store.subscribe(show);
    return () => {
      off();
      show.cancel();
    };
  }, [store, selector, ms, equal]);
  return value;
}
