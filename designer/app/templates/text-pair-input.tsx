import { useTranslation } from 'react-i18next';
import type { Text } from '../../../runtime/model';
import type { ApiErrorDetail } from '../api';
import { FieldProblems } from './field-problems';

/** A text in Chinese and English, side by side (`title.zh`, `title.en`). */
export function TextPairInput({ id, label, value, onChange, problems = [], disabled, multiline }: {
  id: string;
  label: string;
  value: Text | undefined;
  onChange: (value: Text) => void;
  problems?: readonly ApiErrorDetail[];
  disabled?: boolean;
  multiline?: boolean;
}) {
  const { t } = useTranslation('templates');
  const v = value ?? { zh: '', en: '' };
  const field = (lang: 'zh' | 'en') => {
    const props = {
      id: `${id}-${lang}`,
      value: v[lang],
      disabled,
      lang: lang === 'zh' ? 'zh-CN' : 'en',
      'aria-label': `${label} · ${t(`common.${lang}`)}`,
      'aria-invalid': problems.length > 0,
      placeholder: t(`common.${lang}`),
    };
    return multiline
      ? <textarea {...props} rows={3} onChange={(e) => onChange({ ...v, [lang]: e.target.value })} />
      : <input {...props} onChange={(e) => onChange({ ...v, [lang]: e.target.value })} />;
  };
  return (
    <div className="field text-pair-field" data-field={id}>
      <label htmlFor={`${id}-zh`}>{label}</label>
      <div className="pair">{field('zh')}{field('en')}</div>
      <FieldProblems problems={problems} />
    </div>
  );
}
