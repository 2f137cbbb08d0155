/** Hash routes (`#/trades`): every view has an address, back/forward work, links are plain anchors. */
import { useSyncExternalStore } from 'react';

export const ROUTES = ['dashboard', 'positions', 'trades', 'backtest', 'logs', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_LABEL: Record<Route, string> = {
  dashboard: 'Dashboard',
  positions: 'Positions',
  trades: 'Trades',
  backtest: 'Backtest',
  logs: 'Logs',
  settings: 'Settings',
};

/** '#/positions' → 'positions'; anything else is the dashboard. */
export function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[?&/]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'dashboard';
}

export const hrefOf = (route: Route) => `#/${route}`;

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeOf(window.location.hash));
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}
