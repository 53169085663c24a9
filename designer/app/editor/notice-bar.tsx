import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor } from './use-editor';

const SHOW_MS = 6000;

/** The last notice (a refused connection and why, a failed import), shown for a few seconds. */
export function NoticeBar() {
  const { t } = useTranslation('editor');
  const notice = useEditor((s) => s.notice);
  const [hidden, setHidden] = useState<number | undefined>();
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setHidden(notice.seq), SHOW_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice || hidden === notice.seq) return null;
  return <div className={`notice-bar ${notice.kind}`} role="alert">{t(notice.key, notice.values ?? {})}</div>;
}
