import { DEMANDS } from '../../../runtime/model';
import { useLang } from '../i18n/language';

/** The demands (提质, 增产 …) as toggles. */
export function DemandsPicker({ label, value, onChange, disabled }: { label: string; value: readonly string[]; onChange: (v: string[]) => void; disabled?: boolean }) {
  const { text } = useLang();
  return (
    <fieldset className="field demands" disabled={disabled}>
      <legend>{label}</legend>
      <div className="chips">
        {Object.entries(DEMANDS).map(([key, name]) => {
          const on = value.includes(key);
          return (
            <label key={key} className={`chip${on ? ' on' : ''}`}>
              <input type="checkbox" checked={on} onChange={() => onChange(on ? value.filter((d) => d !== key) : [...value, key])} />
              {text(name)}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
