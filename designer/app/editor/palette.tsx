import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/language';
import { activeFlow } from './editor-store';
import { CATEGORIES, nodeTypes } from './node-types';
import { useEditorApi } from './use-editor';

export const DRAG_TYPE = 'application/x-kaiwu-node';

/** The node types by category, searchable in both languages; drag one onto the canvas (or double-click). */
export function Palette() {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const store = useEditorApi();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const defs = nodeTypes.definitions().filter((d) => !q || [d.type, d.title.zh, d.title.en, d.summary.zh, d.summary.en].some((s) => s.toLowerCase().includes(q)));
    const cats = [...CATEGORIES, ...new Set(defs.map((d) => d.category).filter((c) => !CATEGORIES.includes(c)))];
    return cats.map((c) => ({ category: c, defs: defs.filter((d) => d.category === c) })).filter((g) => g.defs.length > 0);
  }, [query]);

  const addNear = (type: string) => {
    const flow = activeFlow(store.getState());
    const last = flow?.nodes[flow.nodes.length - 1]?.position;
    store.getState().addNode(type, last ? { x: last.x + 230, y: last.y } : { x: 40, y: 40 });
  };

  return (
    <aside className="palette" aria-label={t('palette.title')}>
      <input type="search" className="palette-search" placeholder={t('palette.search')} aria-label={t('palette.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="palette-list">
        {groups.length === 0 ? <p className="muted small">{t('palette.empty')}</p> : null}
        {groups.map((g) => (
          <section key={g.category}>
            <h3>{t(`category.${g.category}`, { defaultValue: g.category })}</h3>
            {g.defs.map((d) => (
              <div
                key={d.type}
                className={`palette-item cat-${d.category}`}
                draggable
                role="button"
                tabIndex={0}
                data-type={d.type}
                title={`${text(d.summary)}\n${t('palette.hint')}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, d.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => addNear(d.type)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') addNear(d.type);
                }}
              >
                <span className="node-icon" aria-hidden>{d.icon}</span>
                <span>{text(d.title)}</span>
              </div>
            ))}
          </section>
        ))}
      </div>
      <p className="muted small palette-hint">{t('palette.hint')}</p>
    </aside>
  );
}
