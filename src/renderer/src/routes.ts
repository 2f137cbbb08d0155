/** The views and their hash addresses (`#/trades`). */
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
