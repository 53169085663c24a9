import { useUi } from './use-ui';

/** Previous / next over a paged list, with where you are. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useUi();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('pager.status', { page, pages, total })}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>{t('pager.prev')}</button>
      <span className="muted">{t('pager.status', { page, pages, total })}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>{t('pager.next')}</button>
    </nav>
  );
}
