import type { UserChange, UserRegisteredPayload, UserUpdatedPayload } from '@sagamart/contracts';
import type { Selectable } from '@sagamart/kit';
import type { UserDb } from '../infra/schema.ts';

export type UserRow = Selectable<UserDb['users']>;
export type LedgerRow = Selectable<UserDb['point_ledger']>;

export interface UserProfile {
  userId: string;
  email: string;
  name: string;
  phone: string | null;
  role: UserRow['role'];
  status: UserRow['status'];
  grade: UserRow['grade'];
  createdAt: string;
  updatedAt: string;
}

export function toProfile(user: UserRow): UserProfile {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    phone: user.phone,
    role: user.role,
    status: user.status,
    grade: user.grade,
    createdAt: user.created_at.toISOString(),
    updatedAt: user.updated_at.toISOString(),
  };
}

export function toLedgerEntry(row: LedgerRow) {
  return {
    id: row.id,
    type: row.type,
    amount: row.amount,
    balanceAfter: row.balance_after,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
  };
}

function snapshot(user: UserRow) {
  return {
    userId: user.id,
    version: user.version,
    email: user.email,
    name: user.name,
    phone: user.phone,
    role: user.role,
    status: user.status,
    grade: user.grade,
  };
}

/** Event payloads: the user's public state only, never a credential. */
export function registeredEvent(user: UserRow): UserRegisteredPayload {
  return { ...snapshot(user), registeredAt: user.created_at.toISOString() };
}

export function updatedEvent(user: UserRow, changes: UserChange[]): UserUpdatedPayload {
  return { ...snapshot(user), changes, updatedAt: user.updated_at.toISOString() };
}
