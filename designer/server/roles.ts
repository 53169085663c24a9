import type { Text } from '../../runtime/model';

/**
 * Who may do what in the studio. A contractor authors templates, an enterprise works on its own
 * copies only, a field engineer deploys to the sites assigned to it, and an admin manages people
 * and assignments.
 */
export const ROLES = ['admin', 'contractor', 'enterprise', 'field-engineer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TEXT: Readonly<Record<Role, Text>> = {
  admin: { zh: '管理员', en: 'admin' },
  contractor: { zh: '总承包商', en: 'contractor' },
  enterprise: { zh: '企业', en: 'enterprise' },
  'field-engineer': { zh: '现场工程师', en: 'field engineer' },
};

/** A signed-in user, as every handler sees it. */
export interface Actor {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  /** Set for (and only for) the enterprise role. */
  readonly enterpriseId: number | null;
  readonly enterprise: string | null;
}
