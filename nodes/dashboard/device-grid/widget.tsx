import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration, formatNumber, formatTime, pick, unitText } from '../widget-format';
import { useHost, useNow } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { DeviceGridConfig } from './definition';
import type { DeviceGridView, DeviceTile } from './runtime';

const show = (v: unknown, lang: 'zh' | 'en', decimals?: number) =>
  typeof v === 'number' ? formatNumber(v, lang, decimals ?? (Number.isInteger(v) ? 0 : 1)) : v === null || v === undefined ? '—' : typeof v === 'boolean' ? (v ? '✓' : '✗') : String(v);

function Detail({ name, tile, onClose }: { name: string; tile: DeviceTile; onClose: () => void }) {
  const { t } = useTranslation('device-grid');
  const { lang } = useHost();
  return (
    <div className="w-dialog-backdrop" onClick={onClose}>
      <div className="w-dialog" role="dialog" aria-modal="true" aria-label={t('detail', { device: name })} onClick={(e) => e.stopPropagation()}>
        <header>
          <h3>{name}</h3>
          <button type="button" className="w-close" onClick={onClose} aria-label={t('close')}>×</button>
        </header>
        <p className={`w-state-line st-text-${tile.state ?? 'offline'}`}>
          {t(tile.state ?? 'unknown')}
          {tile.since !== undefined ? ` · ${t('since', { time: formatTime(tile.since, lang, 'datetime') })}` : ''}
        </p>
        <dl>
          {Object.entries(tile.detail).map(([k, v]) => (
            <div key={k}><dt>{k}</dt><dd>{show(v, lang)}</dd></div>
          ))}
          <div><dt>{t('updated')}</dt><dd>{formatTime(tile.ts, lang, 'datetime')}</dd></div>
          <div><dt>{t('quality')}</dt><dd>{t(`q-${tile.quality ?? 'bad'}`)}</dd></div>
        </dl>
      </div>
    </div>
  );
}

function DeviceGridWidget({ config, view }: WidgetProps<DeviceGridConfig, DeviceGridView>) {
  const { t } = useTranslation('device-grid');
  const host = useHost();
  const now = useNow(10_000);
  const [open, setOpen] = useState<string | undefined>();
  const devices = view?.devices ?? [];
  const counts = new Map<string, number>();
  for (const d of devices) {
    const s = view?.tiles[d]?.state ?? 'unknown';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const openTile = open !== undefined ? view?.tiles[open] : undefined;
  return (
    <div className="w-grid">
      <div className="w-grid-summary">
        {[...counts].map(([s, n]) => <span key={s} className={`w-pill st-${s}`}>{t(s)} {n}</span>)}
      </div>
      <div className="w-tiles">
        {devices.length === 0 ? <div className="w-empty">{t('empty')}</div> : null}
        {devices.map((name) => {
          const tile = view?.tiles[name];
          const state = tile?.state ?? 'unknown';
          return (
            <button key={name} type="button" className={`w-tile st-${state}`} data-device={name} data-state={state} onClick={() => setOpen(name)}
              aria-label={`${name} ${t(state)}`}>
              <span className="w-tile-name">{name}</span>
              <span className="w-tile-state">{t(state)}{tile?.since !== undefined ? ` · ${formatDuration(Math.max(now, host.now()) - tile.since, host.lang)}` : ''}</span>
              {config.fields.map((f, i) => (
                <span className="w-tile-field" key={f.property}>
                  <span>{pick(f.label, host.lang)}</span>
                  <b>{show(tile?.values[i], host.lang, f.decimals)}{f.unit ? ` ${unitText(f.unit, host.lang)}` : ''}</b>
                </span>
              ))}
            </button>
          );
        })}
      </div>
      {open !== undefined && openTile ? <Detail name={open} tile={openTile} onClose={() => setOpen(undefined)} /> : null}
    </div>
  );
}

export const deviceGridWidget: WidgetModule = {
  kind: 'device-grid',
  component: DeviceGridWidget,
  messages: {
    zh: {
      running: '运行', idle: '待机', fault: '故障', 'planned-stop': '计划停机', offline: '离线', unknown: '无数据',
      empty: '暂无设备', detail: '{{device}} 详情', close: '关闭', since: '自 {{time}} 起', updated: '最后更新', quality: '数据质量',
      'q-good': '正常', 'q-uncertain': '可能过时', 'q-bad': '无效',
    },
    en: {
      running: 'Running', idle: 'Idle', fault: 'Fault', 'planned-stop': 'Planned stop', offline: 'Offline', unknown: 'No data',
      empty: 'No devices yet', detail: '{{device}} details', close: 'Close', since: 'since {{time}}', updated: 'Last update', quality: 'Data quality',
      'q-good': 'good', 'q-uncertain': 'may be stale', 'q-bad': 'invalid',
    },
  },
};
