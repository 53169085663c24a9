import type { Parameter, Text } from '../../../runtime/model';
import { checkParameter } from '../../../runtime/model';

/** What a form field holds for a parameter: text for most types, a boolean for yes/no. */
export type ParameterInput = string | boolean;

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A stored value as the form shows it (empty when the template default applies). */
export function toInput(p: Parameter, value: unknown): ParameterInput {
  if (p.type === 'boolean') return value === undefined ? (p.default === true) : value === true;
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The value a field stands for, typed as the parameter wants it; undefined when the field is
 * empty (the template default applies). Text that is not the right type stays text, so the
 * model's check says what is wrong with it.
 */
export function fromInput(p: Parameter, input: ParameterInput): unknown {
  if (typeof input === 'boolean') return input;
  const text = input.trim();
  if (text === '') return undefined;
  switch (p.type) {
    case 'number':
    case 'integer':
      return NUMBER.test(text) ? Number(text) : text;
    case 'duration':
      return NUMBER.test(text) ? Number(text) : text;
    case 'enum':
      return p.options?.find((o) => String(o) === text) ?? text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return input;
  }
}

export const REQUIRED: Text = { zh: '必填：这个参数没有默认值', en: 'required: this parameter has no default' };

/**
 * What is wrong with a field, checked as the studio and the runtime check it
 * (runtime/model's checkParameter: type, range, options); undefined when it is fine.
 */
export function parameterProblem(p: Parameter, input: ParameterInput): Text | undefined {
  const value = fromInput(p, input);
  if (value === undefined) return p.required && p.default === undefined ? REQUIRED : undefined;
  return checkParameter(p, value, ['parameters', p.key]).problem?.message;
}

/** Every field's problem, by parameter key. */
export function parameterProblems(params: readonly Parameter[], inputs: Readonly<Record<string, ParameterInput>>): Record<string, Text> {
  const out: Record<string, Text> = {};
  for (const p of params) {
    const problem = parameterProblem(p, inputs[p.key] ?? toInput(p, undefined));
    if (problem) out[p.key] = problem;
  }
  return out;
}

/**
 * The parameters for a request that merges into what an instance has (copy, PATCH): each field's
 * value, and null for an emptied one (the template default applies again). Yes/no fields equal to
 * the default and never stored are left out.
 */
export function parameterPatch(params: readonly Parameter[], inputs: Readonly<Record<string, ParameterInput>>, stored: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const input = inputs[p.key];
    if (input === undefined) continue;
    const value = fromInput(p, input);
    if (value === undefined) {
      if (Object.hasOwn(stored, p.key)) out[p.key] = null;
      continue;
    }
    if (p.type === 'boolean' && !Object.hasOwn(stored, p.key) && value === (p.default === true)) continue;
    if (Object.hasOwn(stored, p.key) && JSON.stringify(stored[p.key]) === JSON.stringify(value)) continue;
    out[p.key] = value;
  }
  return out;
}

/** The form's fields for an instance's stored values. */
export function inputsFor(params: readonly Parameter[], stored: Readonly<Record<string, unknown>>): Record<string, ParameterInput> {
  return Object.fromEntries(params.map((p) => [p.key, toInput(p, stored[p.key])]));
}
