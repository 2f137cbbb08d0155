/** Stores and commands handed to components (components render state and call commands, nothing else). */
import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AppStores, Commands } from './state/controller.ts';

export interface AppContextValue {
  stores: AppStores;
  commands: Commands;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

/** Select from one of the app's stores. */
export function useSelect<S, T>(
  pick: (stores: AppStores) => StoreApi<S>,
  selector: (state: S) => T,
): T {
  const { stores } = useApp();
  return useStore(pick(stores), selector);
}
