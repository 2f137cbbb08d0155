import { useTranslation } from 'react-i18next';
import { hrefOf, ROUTES, type Route } from '../router.ts';
import { keyHint } from '../shortcuts.ts';

/** The views, as links: Tab reaches them, Enter opens one, the address says where you are. */
export function Nav({ route }: { route: Route }) {
  const { t } = useTranslation();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {ROUTES.map((r) => (
        <a
          key={r}
          href={hrefOf(r)}
          className={r === route ? 'nav-link active' : 'nav-link'}
          aria-current={r === route ? 'page' : undefined}
          title={keyHint(t(`routes.${r}`), `view-${r}`)}
        >
          {t(`routes.${r}`)}
        </a>
      ))}
    </nav>
  );
}
