import type { Template, Text } from '../../../runtime/model';
import type { ApiErrorDetail } from '../api';
import { detailPath } from '../library/ui/api-problems';
import type { InstanceView } from '../library/library-types';
import type { DeviceTable } from './device-table';
import { checkRows, devicesForRequest, tableFromDevices } from './device-table';
import type { ParameterInput } from './parameter-values';
import { inputsFor, parameterPatch, parameterProblems } from './parameter-values';

export const STEPS = ['basics', 'scenarios', 'parameters', 'devices', 'check', 'deploy'] as const;
export type Step = (typeof STEPS)[number];

/** Where the copy will run: a site registered in the studio (its runtime's site id), or a site id typed in. */
export type SiteChoice =
  | { readonly kind: 'registered'; readonly siteId: string; readonly runtimeSite: string }
  | { readonly kind: 'typed'; readonly runtimeSite: string };

/** The "copy to my enterprise" wizard: everything it holds, plain data (see `wizardReducer`). */
export interface WizardState {
  readonly step: Step;
  readonly sample: InstanceView;
  readonly template: Template;
  readonly name: string;
  /** The enterprise the copy is for (a contractor names it; an enterprise user's own is fixed). */
  readonly enterprise: string;
  readonly site: SiteChoice;
  /** The chosen X scenarios. */
  readonly scenarios: readonly string[];
  readonly parameters: Readonly<Record<string, ParameterInput>>;
  readonly devices: DeviceTable;
  /** The studio's problems from the last check, paths as the request body is shaped. */
  readonly problems: readonly ApiErrorDetail[];
  /** The error text of the last check, when it failed. */
  readonly checkError?: Text;
  /** The copy, once the studio accepted it. */
  readonly created?: InstanceView;
}

export type WizardAction =
  | { type: 'go'; step: Step }
  | { type: 'name'; value: string }
  | { type: 'enterprise'; value: string }
  | { type: 'site'; value: SiteChoice }
  | { type: 'scenario'; key: string; on: boolean }
  | { type: 'parameter'; key: string; value: ParameterInput }
  | { type: 'devices'; table: DeviceTable }
  | { type: 'checked'; problems: readonly ApiErrorDetail[]; error: Text }
  | { type: 'created'; instance: InstanceView };

/** A fresh wizard over a sample firm and its template version. */
export function initialWizard(sample: InstanceView, template: Template, enterprise: string): WizardState {
  return {
    step: 'basics',
    sample,
    template,
    name: '',
    enterprise,
    site: { kind: 'typed', runtimeSite: '' },
    scenarios: sample.instance.scenarios.filter((k) => template.scenarios.some((s) => s.key === k && s.kind === 'X')),
    parameters: inputsFor(template.parameters, sample.instance.parameters),
    devices: tableFromDevices(sample.instance.devices),
    problems: [],
  };
}

/** The step a problem of the studio belongs to, by the field it names. */
export function stepOf(d: ApiErrorDetail): Step {
  const root = detailPath(d)[0];
  if (root === 'parameters') return 'parameters';
  if (root === 'devices' || root === 'deviceGroup') return 'devices';
  if (root === 'scenarios') return 'scenarios';
  if (root === 'site' || root === 'enterprise' || root === 'name') return 'basics';
  return 'check';
}

const without = (problems: readonly ApiErrorDetail[], step: Step) => problems.filter((d) => stepOf(d) !== step);

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  if (s.created && a.type !== 'go') return s; // Saved: the copy is changed on its own page from now on.
  switch (a.type) {
    case 'go':
      return { ...s, step: s.created && a.step !== 'deploy' ? 'deploy' : a.step };
    case 'name':
      return { ...s, name: a.value };
    case 'enterprise':
      return { ...s, enterprise: a.value, problems: s.problems.filter((d) => detailPath(d)[0] !== 'enterprise') };
    case 'site':
      return { ...s, site: a.value, problems: s.problems.filter((d) => detailPath(d)[0] !== 'site') };
    case 'scenario': {
      const scenarios = a.on ? [...new Set([...s.scenarios, a.key])] : s.scenarios.filter((k) => k !== a.key);
      // In the template's order, as the sample lists them.
      return { ...s, scenarios: s.template.scenarios.map((x) => x.key).filter((k) => scenarios.includes(k)), problems: without(s.problems, 'scenarios') };
    }
    case 'parameter':
      // A problem the studio found on this field is answered by the change.
      return { ...s, parameters: { ...s.parameters, [a.key]: a.value }, problems: s.problems.filter((d) => { const p = detailPath(d); return !(p[0] === 'parameters' && p[1] === a.key); }) };
    case 'devices':
      return { ...s, devices: a.table, problems: without(s.problems, 'devices') };
    case 'checked': {
      const first = STEPS.find((step) => a.problems.some((d) => stepOf(d) === step)) ?? 'check';
      return { ...s, problems: a.problems, checkError: a.error, step: first };
    }
    case 'created':
      return { ...s, created: a.instance, problems: [], checkError: undefined, step: 'deploy' };
  }
}

/** What the browser itself finds wrong, per step (the studio checks everything again). */
export function localProblems(s: WizardState): Record<Step, number> {
  const params = Object.keys(parameterProblems(s.template.parameters, s.parameters)).length;
  const rows = checkRows(s.devices, s.template.deviceGroups);
  const devices = [...rows.cells.values()].reduce((n, m) => n + m.size, 0) + rows.groups.size;
  return {
    basics: (s.site.runtimeSite.trim() === '' ? 1 : 0) + (s.enterprise.trim() === '' ? 1 : 0),
    scenarios: 0,
    parameters: params,
    devices,
    check: 0,
    deploy: 0,
  };
}

/** The studio's problems of the last check, per step. */
export function apiProblemCounts(s: WizardState): Record<Step, number> {
  const out = Object.fromEntries(STEPS.map((k) => [k, 0])) as Record<Step, number>;
  for (const d of s.problems) out[stepOf(d)] += 1;
  return out;
}

/** The body of POST /api/instances/:sampleId/copy. */
export function copyBody(s: WizardState, role: 'contractor' | 'enterprise'): Record<string, unknown> {
  const body: Record<string, unknown> = {
    site: s.site.runtimeSite.trim(),
    scenarios: s.scenarios,
    parameters: parameterPatch(s.template.parameters, s.parameters, s.sample.instance.parameters),
    ...devicesForRequest(s.devices),
  };
  if (s.name.trim() !== '') body.name = s.name.trim();
  if (role === 'contractor') body.enterprise = s.enterprise.trim();
  return body;
}
