import type { DeviceGroupDef, Parameter, Text } from '../../../runtime/model';

/** A device profile as GET /api/device-profiles gives it (what the tag picker needs). */
export interface ProfileInfo {
  readonly id: string;
  readonly title: Text;
  readonly tags: readonly { key: string; label: Text; type: string; unit?: string; access: 'r' | 'rw'; min?: number; max?: number }[];
}

/**
 * What a flow is edited against: the template's parameters and device groups (for bindings,
 * the device-group picker and validation with sample values) and the known device profiles
 * (for the tag picker). Template authoring sets it with `setContext`; empty for a lone flow.
 */
export interface EditorContext {
  readonly parameters: readonly Parameter[];
  readonly deviceGroups: readonly DeviceGroupDef[];
  readonly profiles: Readonly<Record<string, ProfileInfo>>;
}

export const EMPTY_CONTEXT: EditorContext = { parameters: [], deviceGroups: [], profiles: {} };
