import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../api';
import type { PageRoute } from './page-route';
import { useUser } from './session';

export const allowed = (route: Pick<PageRoute, 'roles'>, role: Role): boolean => !route.roles || route.roles.includes(role);

/** Shows the page only to the roles the route names; the API checks again on every call. */
export function RoleGuard({ roles, children }: { roles: readonly Role[] | undefined; children: ReactNode }) {
  const { t } = useTranslation('shell');
  const user = useUser();
  if (roles && !roles.includes(user.role)) {
    return (
      <section className="page page-message">
        <h1>{t('forbidden.title')}</h1>
        <p>{t('forbidden.text', { role: t(`user.role.${user.role}`) })}</p>
      </section>
    );
  }
  return <>{children}</>;
}
