/** Hash routes (`#/trades`): every view has an address, back/forward work, links are plain anchors. */
import { useSyncExternalStore } from 'react';
import { hrefOf, routeOf, type Route } from './routes.ts';

export { hrefOf, ROUTE_LABEL, ROUTES, routeOf, type Route } from './routes.ts';

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
