// @vitest-environment jsdom
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorDetail } from '../../../../designer/app/api';
import { createI18n, setAppI18n } from '../../../../designer/app/i18n/i18n';
import type { ParameterInput } from '../../../../designer/app/instances/parameter-values';
import { inputsFor } from '../../../../designer/app/instances/parameter-values';
import { ParametersForm } from '../../../../designer/app/instances/parameters-form';
import { valveSample, valveTemplate } from './fixtures';

const i18n = createI18n('zh');
beforeAll(() => setAppI18n(i18n));
afterEach(cleanup);

const template = valveTemplate();

function Harness({ problems }: { problems: ApiErrorDetail[] }) {
  const [inputs, setInputs] = useState<Record<string, ParameterInput>>(() => inputsFor(template.parameters, valveSample().instance.parameters));
  return (
    <I18nextProvider i18n={i18n}>
      <ParametersForm parameters={template.parameters} inputs={inputs} problems={problems} onChange={(k, v) => setInputs((i) => ({ ...i, [k]: v }))} />
    </I18nextProvider>
  );
}

describe('parameters form', () => {
  it('checks each value as it is typed, against the type and range the template declares', () => {
    const { container } = render(<Harness problems={[]} />);
    const cycle = container.querySelector('input[name="parameters.idealCycleSec"]') as HTMLInputElement;
    expect(cycle.value).toBe('200');
    expect(screen.getByText(/范围 10 … 7200 s/)).toBeTruthy();
    fireEvent.change(cycle, { target: { value: '5' } });
    expect(cycle.getAttribute('aria-invalid')).toBe('true');
    expect(container.querySelector('.param-field.invalid .field-problems')!.textContent).toContain('不能小于 10 s');
    fireEvent.change(cycle, { target: { value: '180' } });
    expect(cycle.getAttribute('aria-invalid')).toBe('false');
    // A yes/no parameter is a checkbox.
    expect((container.querySelector('input[name="parameters.toolChangeOnCounterReset"]') as HTMLInputElement).type).toBe('checkbox');
  });

  it('shows the studio\'s answer on the field its path names, with or without "body."', () => {
    const { container } = render(<Harness problems={[
      { at: 'parameters.passRateTarget', path: ['parameters', 'passRateTarget'], message: { zh: '工作室：超出范围', en: 'studio: out of range' } },
      { at: 'body.parameters.toolWarnPct', message: { zh: '工作室：应为数字', en: 'studio: a number' } },
    ]} />);
    const field = (key: string) => container.querySelector(`input[name="parameters.${key}"]`)!.closest('.param-field')!;
    expect(field('passRateTarget').textContent).toContain('工作室：超出范围');
    expect(field('toolWarnPct').textContent).toContain('工作室：应为数字');
    expect(field('idealCycleSec').querySelector('.field-problems')).toBeNull();
  });
});
