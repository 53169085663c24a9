// Shapes of studio API answers the shell uses; feature folders keep their own next to them.
import type { Role } from '../../server/roles';

export type { Role } from '../../server/roles';

export interface User {
  readonly id: number;
  readonly username: string;
  readonly displayName?: string | null;
  readonly role: Role;
  readonly enterprise: string | null;
}

export interface LoginAnswer {
  readonly user: User;
  readonly expiresAt: string;
}

export type MeAnswer = LoginAnswer;
