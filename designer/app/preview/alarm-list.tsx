import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/language';
import { formatTime } from './format';
import type { PreviewView } from './preview-events';
import type { AlarmRecord } from './preview-types';

function AlarmLine({ a, log }: { a: AlarmRecord; log?: boolean }) {
  const { t } = useTranslation('preview');
  const { text, lang } = useLang();
  return (
    <li className={`alarm sev-${a.severity}${log ? ` ev-${a.event}` : ''}`} data-code={a.code} data-device={a.device ?? ''}>
      <div className="alarm-head">
        <span className={`sev sev-${a.severity}`}>{t(`alarms.severity.${a.severity}`)}</span>
        {log ? <span className={`ev ev-${a.event}`}>{t(`alarms.${a.event}`)}</span> : null}
        <code className="alarm-code">{a.code}</code>
        {a.device ? <span className="alarm-device">{a.device}</span> : null}
        <span className="spacer" />
        <span className="muted small">{formatTime(a.at, lang)}</span>
      </div>
      {a.text ? <div className="alarm-text">{text(a.text)}</div> : null}
      {a.value !== undefined || a.limit !== undefined ? (
        <div className="muted small">
          {a.value !== undefined ? t('alarms.value', { value: a.value }) : ''}{a.value !== undefined && a.limit !== undefined ? ' · ' : ''}{a.limit !== undefined ? t('alarms.limit', { limit: a.limit }) : ''}
        </div>
      ) : null}
    </li>
  );
}

/** Alarms as they are raised and cleared: the active ones, then the log (newest first). */
export function AlarmList({ view }: { view: PreviewView }) {
  const { t } = useTranslation('preview');
  const active = Object.values(view.activeAlarms).sort((a, b) => b.at - a.at);
  const log = [...view.alarmLog].reverse();
  return (
    <div className="alarm-panel">
      <h3>{t('alarms.active', { count: active.length })}</h3>
      {active.length === 0 ? <p className="muted">{t('alarms.none')}</p> : <ul className="alarms active-alarms">{active.map((a) => <AlarmLine key={`${a.code}/${a.device ?? ''}`} a={a} />)}</ul>}
      {log.length > 0 ? (
        <>
          <h3>{t('alarms.log')}</h3>
          <ul className="alarms alarm-log">{log.map((a, i) => <AlarmLine key={`${a.at}-${a.code}-${a.device ?? ''}-${i}`} a={a} log />)}</ul>
        </>
      ) : null}
    </div>
  );
}
