import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/language';
import type { PageRoute } from './page-route';
import { allowed } from './role-guard';
import { useUser } from './session';

/** The top navigation: the pages of the route table that have `nav` and that this role may open. */
export function Nav({ routes }: { routes: readonly PageRoute[] }) {
  const { t } = useTranslation('shell');
  const { text } = useLang();
  const user = useUser();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {routes.filter((r) => r.nav && allowed(r, user.role)).map((r) => (
        <NavLink key={r.path} to={r.nav!.to ?? r.path} end={r.path === '/'}>
          {r.nav!.icon ? <span className="nav-icon" aria-hidden>{r.nav!.icon}</span> : null}
          {text(r.nav!.label)}
        </NavLink>
      ))}
    </nav>
  );
}
