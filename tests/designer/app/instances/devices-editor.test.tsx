// @vitest-environment jsdom
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorDetail } from '../../../../designer/app/api';
import { createI18n, setAppI18n } from '../../../../designer/app/i18n/i18n';
import type { DeviceTable } from '../../../../designer/app/instances/device-table';
import { tableFromCsv } from '../../../../designer/app/instances/device-table';
import { DevicesEditor } from '../../../../designer/app/instances/devices-editor';
import { valveTemplate } from './fixtures';

const i18n = createI18n('zh');
beforeAll(() => setAppI18n(i18n));
afterEach(cleanup);

const groups = valveTemplate().deviceGroups;
const CSV = 'name,host,port,unitId,group\ncnc-01,127.0.0.1,15101,1,cnc\ncnc-02,192.168.1.300,502,1,cnc\nbench-01,127.0.0.1,15111,1,benches\n';
const hostProblem: ApiErrorDetail = {
  at: 'devices.csv[3].host', path: ['devices', 'csv', 3, 'host'], code: 'invalid-address',
  message: { zh: 'CSV 第 3 行 “host” 列：“192.168.1.300” 不是有效的 IPv4 地址（“300” 不在 0～255 之间）', en: 'CSV line 3, column "host": not a valid IPv4 address' },
};

function Harness({ initial, problems, seen }: { initial: DeviceTable; problems: ApiErrorDetail[]; seen: DeviceTable[] }) {
  const [table, setTable] = useState(initial);
  return (
    <I18nextProvider i18n={i18n}>
      <DevicesEditor table={table} groups={groups} problems={problems} onChange={(t) => { seen.push(t); setTable(t); }} />
    </I18nextProvider>
  );
}

describe('devices editor', () => {
  it('previews a CSV with its line numbers and puts the studio\'s problem on the cell of that line and column', () => {
    const seen: DeviceTable[] = [];
    const { container } = render(<Harness initial={tableFromCsv(CSV, ['cnc', 'benches'], undefined, 'valve.csv').table} problems={[hostProblem]} seen={seen} />);
    expect(screen.getByText(/来自 CSV：valve\.csv，共 3 行设备/)).toBeTruthy();
    const rows = container.querySelectorAll('tbody tr');
    expect(Array.from(rows, (r) => r.getAttribute('data-line'))).toEqual(['2', '3', '4']);
    const bad = container.querySelector('tr[data-line="3"]')!;
    const host = bad.querySelector('input[data-field="host"]')!;
    expect(host.getAttribute('aria-invalid')).toBe('true');
    expect(bad.querySelector('td.invalid .field-problems')!.textContent).toContain('CSV 第 3 行');
    expect(container.querySelector('tr[data-line="2"] td.invalid')).toBeNull();
    // Counts per device group against the template.
    expect(screen.getByText(/数控机床.*：2 台（1～100）/)).toBeTruthy();

    // Fixing the cell turns the rows into the table's own (sent as JSON from now on).
    fireEvent.change(host, { target: { value: '127.0.0.1' } });
    expect(seen.at(-1)!.csv).toBeUndefined();
    expect(seen.at(-1)!.rows[1]!.host).toBe('127.0.0.1');
    expect(screen.queryByText(/来自 CSV/)).toBeNull();
  });

  it('checks rows as they are typed: a name used twice, a missing address', () => {
    const { container } = render(<Harness initial={tableFromCsv(CSV, ['cnc', 'benches']).table} problems={[]} seen={[]} />);
    const names = container.querySelectorAll('input[data-field="name"]');
    fireEvent.change(names[1]!, { target: { value: 'cnc-01' } });
    expect(container.querySelector('tr[data-line="3"] td.invalid')!.textContent).toContain('重复');
    fireEvent.click(screen.getByRole('button', { name: /添加设备（阀门试压台/ }));
    const last = container.querySelectorAll('tbody tr')[3]!;
    expect(last.querySelectorAll('td.invalid').length).toBeGreaterThanOrEqual(2);
    fireEvent.click(screen.getByRole('button', { name: '删除第 4 行' }));
    expect(container.querySelectorAll('tbody tr')).toHaveLength(3);
  });
});
