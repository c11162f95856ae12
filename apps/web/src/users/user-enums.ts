import type { UserGrade, UserRole, UserStatus } from '@sagamart/contracts';
import { serverEnum } from '../api/server-enum.ts';
import type { Role } from '../auth/access-token.ts';

export type { Role, UserGrade, UserStatus };

export const USER_STATUSES = serverEnum<UserStatus>()(['ACTIVE', 'INACTIVE', 'SUSPENDED']);
export const USER_GRADES = serverEnum<UserGrade>()(['NORMAL', 'SILVER', 'GOLD', 'VIP']);
export const ROLES = serverEnum<UserRole>()(['USER', 'AGENT', 'ADMIN']) satisfies readonly Role[];

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
  AGENT: 'teal',
  ADMIN: 'orange',
};
