import { hrefOf, ROUTE_LABEL, ROUTES, type Route } from '../router.ts';

/** The views, as links: Tab reaches them, Enter opens one, the address says where you are. */
export function Nav({ route }: { route: Route }) {
  return (
    <nav className="nav" aria-label="Views">
      {ROUTES.map((r) => (
        <a
          key={r}
          href={hrefOf(r)}
          className={r === route ? 'nav-link active' : 'nav-link'}
          aria-current={r === route ? 'page' : undefined}
        >
          {ROUTE_LABEL[r]}
        </a>
      ))}
    </nav>
  );
}
