import { useTranslation } from 'react-i18next';
import { formatNumber, formatPercent, formatTime, pick, unitText } from '../widget-format';
import type { Lang } from '../widget-format';
import { useHost } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { TableConfig } from './definition';
import type { TableRow, TableView } from './runtime';

type Column = TableConfig['columns'][number];

export function cellText(value: unknown, column: Column, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  if (column.property === 'ts' && typeof value === 'number') return formatTime(value, lang, 'time');
  if (typeof value === 'number' && column.format === 'percent') return formatPercent(value, lang, column.decimals ?? 1);
  if (typeof value === 'number') return formatNumber(value, lang, column.decimals ?? (Number.isInteger(value) ? 0 : 1));
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function TableWidget({ config, view }: WidgetProps<TableConfig, TableView>) {
  const { t } = useTranslation('table');
  const { lang } = useHost();
  const rows: readonly TableRow[] = config.rowKey === 'none' ? [...(view?.log ?? [])].reverse() : Object.values(view?.rows ?? {});
  return (
    <div className="w-table">
      <table>
        <thead>
          <tr>
            {config.columns.map((c) => (
              <th key={c.property} scope="col" className={c.property === 'device' || c.property === 'topic' ? '' : 'is-num'}>
                {pick(c.label, lang)}{c.unit ? <span className="w-unit"> {unitText(c.unit, lang)}</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={config.columns.length} className="w-empty">{t('empty')}</td></tr>
          ) : rows.map((r) => (
            <tr key={`${r.key}-${config.rowKey === 'none' ? r.ts : ''}`} className={r.quality === 'good' ? '' : 'is-stale'} title={r.quality === 'good' ? undefined : t(`quality-${r.quality}`)}>
              {config.columns.map((c, i) => (
                <td key={c.property} className={typeof r.cells[i] === 'number' || c.property === 'ts' ? 'is-num' : ''}>{cellText(r.cells[i], c, lang)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const tableWidget: WidgetModule = {
  kind: 'table',
  component: TableWidget,
  messages: {
    zh: { empty: '暂无数据', 'quality-bad': '数据无效（设备无应答）', 'quality-uncertain': '数据可能过时' },
    en: { empty: 'No data yet', 'quality-bad': 'No valid data (the device does not answer)', 'quality-uncertain': 'The data may be stale' },
  },
};
