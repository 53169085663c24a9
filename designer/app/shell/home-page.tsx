import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/language';
import { ROUTES } from '../routes';
import { allowed } from './role-guard';
import { useUser } from './session';

/** The start page: what Kaiwu does, and a card for each page this role may open. */
export default function HomePage() {
  const { t } = useTranslation('shell');
  const { text } = useLang();
  const user = useUser();
  const pages = ROUTES.filter((r) => r.nav && r.path !== '/' && allowed(r, user.role));
  return (
    <section className="page home">
      <h1>{t('home.title')}</h1>
      <p className="muted">{t('home.intro')}</p>
      <div className="cards">
        {pages.map((r) => (
          <Link key={r.path} className="card" to={r.nav!.to ?? r.path}>
            <span className="card-icon" aria-hidden>{r.nav!.icon ?? '▸'}</span>
            <span>{text(r.nav!.label)}</span>
          </Link>
        ))}
      </div>
    </section>
  );
}
