import { describe, expect, it } from 'vitest';
import { createPositionsStore } from '../../../src/renderer/src/state/positions-store.ts';
import { position } from './fixtures.ts';

describe('positions store', () => {
  it('keeps a request until its position appears or goes, or its ticks have passed', () => {
    const store = createPositionsStore();
    store.getState().requestSent('BTC/USDT', 'enter', 10);
    store.getState().requestSent('ETH/USDT', 'enter', 10);
    store.getState().applyPositions([position('BTC/USDT')]);
    expect(Object.keys(store.getState().requested)).toEqual(['ETH/USDT']);
    store.getState().tickPassed(12);
    expect(Object.keys(store.getState().requested)).toEqual(['ETH/USDT']);
    // refused (e.g. by a risk rule): the button comes back once its ticks have passed
    store.getState().tickPassed(13);
    expect(store.getState().requested).toEqual({});
    store.getState().requestSent('BTC/USDT', 'close', 13);
    store.getState().applyPositions([]);
    expect(store.getState().requested).toEqual({});
  });
});
