import type { Role } from '../auth/access-token.ts';

export type { Role };

export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const USER_GRADES = ['NORMAL', 'SILVER', 'GOLD', 'VIP'] as const;
export type UserGrade = (typeof USER_GRADES)[number];

export const ROLES = ['USER', 'ADMIN'] as const satisfies readonly Role[];

export const STATUS_COLORS: Record<UserStatus, string> = {
  ACTIVE: 'teal',
  INACTIVE: 'gray',
  SUSPENDED: 'red',
};

export const GRADE_COLORS: Record<UserGrade, string> = {
  NORMAL: 'gray',
  SILVER: 'indigo',
  GOLD: 'yellow',
  VIP: 'grape',
};

export const ROLE_COLORS: Record<Role, string> = {
  USER: 'blue',
  ADMIN: 'orange',
};
