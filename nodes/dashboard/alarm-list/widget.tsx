import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatTime, pick } from '../widget-format';
import { useHost } from '../widget-host';
import type { AlarmRow, WidgetModule, WidgetProps } from '../widget-host';
import type { AlarmListConfig } from './definition';
import type { AlarmListView } from './runtime';

function AlarmItem({ a, onAck }: { a: AlarmRow; onAck?: (id: number, comment: string) => Promise<void> }) {
  const { t } = useTranslation('alarm-list');
  const { lang } = useHost();
  const [asking, setAsking] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const text = a.text ? pick(a.text, lang) : a.code;
  return (
    <li className={`w-alarm sev-${a.severity}${a.active ? ' is-active' : ''}${a.ack ? ' is-acked' : ''}`} data-alarm={a.id} data-code={a.code}>
      <span className="w-alarm-sev">{t(a.severity)}</span>
      <div className="w-alarm-body">
        <div className="w-alarm-title">
          {a.device ? <b>{a.device}</b> : null} {text}
          {a.value !== undefined ? <span className="w-alarm-value"> {t(a.kind === 'low' ? 'below' : 'above', { value: formatNumber(a.value, lang, 1), limit: formatNumber(a.limit ?? null, lang, 1) })}</span> : null}
        </div>
        <div className="w-alarm-meta">
          {t('raised', { time: formatTime(a.raisedAt, lang, 'datetime') })}
          {a.clearedAt !== undefined ? ` · ${t('cleared', { time: formatTime(a.clearedAt, lang, 'short') })}` : ''}
          {a.ack ? <span className="w-alarm-ack"> · {t('acked', { by: a.ack.by, time: formatTime(a.ack.at, lang, 'datetime') })}{a.ack.comment ? `：${a.ack.comment}` : ''}</span> : null}
        </div>
        {asking ? (
          <form className="w-ack-form" onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setFailed(false);
            onAck!(a.id, comment.trim()).then(() => setAsking(false), () => setFailed(true)).finally(() => setBusy(false));
          }}>
            <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('comment')} aria-label={t('comment')} maxLength={1000} />
            <button type="submit" disabled={busy}>{t('confirm')}</button>
            <button type="button" onClick={() => setAsking(false)}>{t('cancel')}</button>
            {failed ? <span className="w-error">{t('ack-failed')}</span> : null}
          </form>
        ) : null}
      </div>
      {!a.ack && onAck && !asking ? <button type="button" className="w-ack" onClick={() => setAsking(true)}>{t('ack')}</button> : null}
    </li>
  );
}

function AlarmListWidget({ config, view, widgetKey }: WidgetProps<AlarmListConfig, AlarmListView>) {
  const { t } = useTranslation('alarm-list');
  const host = useHost();
  const [tab, setTab] = useState<'active' | 'history'>('active');
  const [rows, setRows] = useState<{ active: AlarmRow[]; history: AlarmRow[] } | undefined>();
  const [error, setError] = useState(false);
  const changed = view?.transitions ?? 0;

  const reload = useCallback(async () => {
    if (widgetKey === undefined) return;
    try {
      const [active, history] = await Promise.all([host.alarms(widgetKey, true, 200), host.alarms(widgetKey, false, Math.max(1, config.historyLimit))]);
      setRows({ active, history });
      setError(false);
    } catch {
      setError(true);
    }
  }, [widgetKey, host, config.historyLimit]);

  // Read again whenever the node saw a transition or someone acknowledged an alarm.
  useEffect(() => {
    void reload();
  }, [reload, changed, host.alarmsVersion]);

  const ack = host.canAck ? async (id: number, comment: string) => {
    await host.ack(id, comment || undefined);
    await reload();
  } : undefined;
  const list = rows ? rows[tab] : [];
  const unacked = rows ? rows.active.filter((a) => !a.ack).length : 0;
  return (
    <div className="w-alarms">
      <div className="w-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'active'} className={tab === 'active' ? 'is-on' : ''} onClick={() => setTab('active')}>
          {t('active', { count: rows?.active.length ?? 0 })}{unacked > 0 ? <span className="w-badge is-bad">{t('unacked', { count: unacked })}</span> : null}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'history'} className={tab === 'history' ? 'is-on' : ''} onClick={() => setTab('history')}>{t('history')}</button>
        {error ? <span className="w-error">{t('failed')}</span> : null}
      </div>
      <ul className="w-alarm-list">
        {rows && list.length === 0 ? <li className="w-empty">{t(tab === 'active' ? 'none-active' : 'none-history')}</li> : null}
        {list.map((a) => <AlarmItem key={a.id} a={a} {...(ack ? { onAck: ack } : {})} />)}
      </ul>
    </div>
  );
}

export const alarmListWidget: WidgetModule = {
  kind: 'alarm-list',
  component: AlarmListWidget,
  messages: {
    zh: {
      info: '提示', warning: '警告', critical: '严重', active_one: '当前报警 {{count}}', active_other: '当前报警 {{count}}', history: '历史',
      unacked_one: '{{count}} 未确认', unacked_other: '{{count}} 未确认', raised: '{{time}} 发生', cleared: '{{time}} 消除', acked: '{{by}} 于 {{time}} 确认',
      above: '{{value}}，高于 {{limit}}', below: '{{value}}，低于 {{limit}}', ack: '确认', comment: '备注（可选）', confirm: '确认报警', cancel: '取消',
      'ack-failed': '确认失败', 'none-active': '没有报警', 'none-history': '没有历史报警', failed: '报警列表读取失败',
    },
    en: {
      info: 'Info', warning: 'Warning', critical: 'Critical', active_one: 'Active {{count}}', active_other: 'Active {{count}}', history: 'History',
      unacked_one: '{{count}} unacknowledged', unacked_other: '{{count}} unacknowledged', raised: 'raised {{time}}', cleared: 'cleared {{time}}', acked: 'acknowledged by {{by}} at {{time}}',
      above: '{{value}}, above {{limit}}', below: '{{value}}, below {{limit}}', ack: 'Acknowledge', comment: 'Comment (optional)', confirm: 'Acknowledge', cancel: 'Cancel',
      'ack-failed': 'Could not acknowledge', 'none-active': 'No alarms', 'none-history': 'No past alarms', failed: 'Could not read the alarm list',
    },
  },
};
