import { useMemo, useState } from 'react';
import type { DeviceGroupDef, Text } from '../../../runtime/model';
import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';
import { FieldProblems } from '../library/ui/api-error-box';
import type { DeviceField, DeviceProblems, DeviceRow, DeviceTable } from './device-table';
import { DEVICE_FIELDS, addRow, checkRows, csvTemplate, editRow, placeApiProblems, removeRow, tableFromCsv } from './device-table';
import { useInstancesMessages } from './use-instances-messages';

interface Props {
  readonly table: DeviceTable;
  readonly groups: readonly DeviceGroupDef[];
  readonly onChange: (table: DeviceTable) => void;
  /** The studio's problems of the last save: by CSV line and column, or by group and row. */
  readonly problems: readonly ApiErrorDetail[];
  readonly readOnly?: boolean;
}

const merge = (a: DeviceProblems, b: DeviceProblems) => ({
  cell: (row: number, field: string): Text[] => [...(a.cells.get(row)?.get(field) ?? []), ...(b.cells.get(row)?.get(field) ?? [])],
  group: (key: string): Text[] => [...(a.groups.get(key) ?? []), ...(b.groups.get(key) ?? [])],
  other: [...a.other, ...b.other],
});

/**
 * The devices of an instance: a table per row (group, name, address, port, unit id), imported
 * from a CSV file or pasted text (the studio's CSV columns, Chinese headers too) or typed in.
 * Each row is checked against the device schema as you type; the studio's problems land on the
 * cell of the CSV line and column, or of the row, they name.
 */
export function DevicesEditor({ table, groups, onChange, problems, readOnly = false }: Props) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  const [importGroup, setImportGroup] = useState<string>('');
  const several = groups.length > 1;
  const keys = useMemo(() => groups.map((g) => g.key), [groups]);

  const local = useMemo(() => checkRows(table, groups), [table, groups]);
  const remote = useMemo(() => placeApiProblems(table, problems), [table, problems]);
  const csvProblems = useMemo(() => (table.csv ? tableFromCsv(table.csv.text, keys, table.csv.deviceGroup).problems : []), [table.csv, keys]);
  const all = merge(local, remote);

  const load = (csvText: string, fileName?: string) => {
    onChange(tableFromCsv(csvText, keys, importGroup || undefined, fileName).table);
  };

  const cell = (row: DeviceRow, n: number, field: DeviceField) => {
    const messages = all.cell(row.id, field).map(text);
    return (
      <td key={field} className={messages.length ? 'invalid' : ''}>
        <input
          value={row[field]}
          aria-label={`${t(`devices.${field}`)} ${n}`}
          aria-invalid={messages.length > 0}
          data-field={field}
          disabled={readOnly}
          inputMode={field === 'port' || field === 'unitId' ? 'numeric' : undefined}
          onChange={(e) => onChange(editRow(table, row.id, { [field]: e.target.value }))}
        />
        <FieldProblems messages={messages} />
      </td>
    );
  };

  const lineOnly = csvProblems.filter((p) => !table.rows.some((r) => r.line === p.line));

  return (
    <div className="devices-editor">
      {!readOnly ? (
        <div className="toolbar-row">
          <label className="button file-button">
            {t('devices.importFile')}
            <input
              type="file"
              accept=".csv,text/csv,text/plain"
              name="devices-csv"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then((s) => load(s, file.name));
                e.target.value = '';
              }}
            />
          </label>
          <button type="button" onClick={() => setPasting(!pasting)} aria-expanded={pasting}>{t('devices.paste')}</button>
          <a className="button" download="devices.csv" href={`data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${csvTemplate(groups)}`)}`}>{t('devices.downloadTemplate')}</a>
          {several ? (
            <label>
              {t('devices.importGroup')}
              <select value={importGroup} onChange={(e) => setImportGroup(e.target.value)}>
                <option value="">{t('devices.groupColumn')}</option>
                {groups.map((g) => <option key={g.key} value={g.key}>{text(g.label)} ({g.key})</option>)}
              </select>
            </label>
          ) : null}
        </div>
      ) : null}
      {pasting && !readOnly ? (
        <div className="csv-paste">
          <label>
            {t('devices.pasteLabel')}
            <textarea name="devices-csv-text" rows={6} value={pasted} onChange={(e) => setPasted(e.target.value)} spellCheck={false} placeholder={csvTemplate(groups)} />
          </label>
          <button type="button" onClick={() => { load(pasted, t('devices.pasted')); setPasting(false); }} disabled={pasted.trim() === ''}>{t('devices.applyPaste')}</button>
        </div>
      ) : null}
      {table.csv ? <p className="notice csv-source">{t('devices.fromCsv', { file: table.csv.fileName ?? t('devices.pasted'), count: table.rows.length })}</p> : null}
      <ul className="group-counts">
        {groups.map((g) => {
          const count = table.rows.filter((r) => r.group === g.key).length;
          const messages = all.group(g.key).map(text);
          return (
            <li key={g.key} className={messages.length ? 'invalid' : ''} data-group={g.key}>
              {t('devices.count', { label: text(g.label), count, min: g.min, max: g.max })}
              <FieldProblems messages={messages} />
            </li>
          );
        })}
      </ul>
      <div className="table-wrap devices-table-wrap">
        <table className="data-table devices-table">
          <thead>
            <tr>
              <th>#</th>
              {table.csv || table.rows.some((r) => r.line !== undefined) ? <th>{t('devices.line')}</th> : null}
              {several ? <th>{t('devices.group')}</th> : null}
              {DEVICE_FIELDS.map((f) => <th key={f}>{t(`devices.${f}`)}</th>)}
              <th>{t('devices.more')}</th>
              {!readOnly ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 ? <tr><td colSpan={10} className="empty">{t('devices.empty')}</td></tr> : null}
            {table.rows.map((row, i) => {
              const rowMessages = all.cell(row.id, 'row').map(text);
              const syntax = row.line === undefined ? [] : csvProblems.filter((p) => p.line === row.line).map((p) => text(p.message));
              const groupMessages = all.cell(row.id, 'group').map(text);
              return (
                <tr key={row.id} data-row={i + 1} data-line={row.line} className={rowMessages.length + syntax.length ? 'invalid-row' : ''}>
                  <td className="num muted">{i + 1}</td>
                  {table.csv || table.rows.some((r) => r.line !== undefined) ? <td className="num mono">{row.line ?? ''}</td> : null}
                  {several ? (
                    <td className={groupMessages.length ? 'invalid' : ''}>
                      <select value={row.group} aria-label={`${t('devices.group')} ${i + 1}`} disabled={readOnly} onChange={(e) => onChange(editRow(table, row.id, { group: e.target.value }))}>
                        {!keys.includes(row.group) ? <option value={row.group}>{row.group}</option> : null}
                        {groups.map((g) => <option key={g.key} value={g.key}>{g.key}</option>)}
                      </select>
                      <FieldProblems messages={groupMessages} />
                    </td>
                  ) : null}
                  {DEVICE_FIELDS.map((f) => cell(row, i + 1, f))}
                  <td className="mono muted extra-cell" title={JSON.stringify(row.extra)}>
                    {Object.keys(row.extra).join(', ')}
                    <FieldProblems messages={[...syntax, ...rowMessages]} />
                  </td>
                  {!readOnly ? (
                    <td><button type="button" className="icon" aria-label={t('devices.removeRow', { n: i + 1 })} onClick={() => onChange(removeRow(table, row.id))}>✕</button></td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!readOnly ? (
        <div className="toolbar-row">
          {groups.map((g) => <button key={g.key} type="button" onClick={() => onChange(addRow(table, g.key))}>{t('devices.add', { group: text(g.label) })}</button>)}
        </div>
      ) : null}
      {all.other.length + lineOnly.length > 0 ? (
        <div className="api-error" role="alert">
          <strong>{t('devices.otherProblems')}</strong>
          <FieldProblems messages={[...lineOnly.map((p) => `${t('devices.lineProblem', { line: p.line })}: ${text(p.message)}`), ...all.other.map(text)]} />
        </div>
      ) : null}
    </div>
  );
}
