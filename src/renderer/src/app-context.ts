/** Stores and commands handed to components (components render state and call commands, nothing else). */
import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AppStores, Commands } from './state/controller.ts';

export interface AppContextValue {
  stores: AppStores;
  commands: Commands;
  /** Enter an access token (browser UI without one); absent inside Electron. */
  enterToken?: (token: string) => boolean;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

type StateOf<K extends keyof AppStores> = ReturnType<AppStores[K]['getState']>;

function useFrom<K extends keyof AppStores, T>(key: K, selector: (state: StateOf<K>) => T): T {
  const store = useApp().stores[key] as StoreApi<StateOf<K>>;
  return useStore(store, selector);
}

/** Select from one of the app's stores. */
export const useBot = <T>(selector: (state: StateOf<'bot'>) => T): T => useFrom('bot', selector);
export const useMarket = <T>(selector: (state: StateOf<'market'>) => T): T =>
  useFrom('market', selector);
export const useJournal = <T>(selector: (state: StateOf<'journal'>) => T): T =>
  useFrom('journal', selector);
export const useSettings = <T>(selector: (state: StateOf<'settings'>) => T): T =>
  useFrom('settings', selector);
export const useRuns = <T>(selector: (state: StateOf<'runs'>) => T): T => useFrom('runs', selector);
export const usePositions = <T>(selector: (state: StateOf<'positions'>) => T): T =>
  useFrom('positions', selector);
export const useTrades = <T>(selector: (state: StateOf<'trades'>) => T): T =>
  useFrom('trades', selector);
export const useBacktest = <T>(selector: (state: StateOf<'backtest'>) => T): T =>
  useFrom('backtest', selector);
export const useLive = <T>(selector: (state: StateOf<'live'>) => T): T => useFrom('live', selector);
export const useRisk = <T>(selector: (state: StateOf<'risk'>) => T): T => useFrom('risk', selector);
export const useRunChart = <T>(selector: (state: StateOf<'runChart'>) => T): T =>
  useFrom('runChart', selector);
