import type { UserChange, UserGrade, UserRole, UserStatus } from '@sagamart/contracts';

export interface UserState {
  name: string;
  phone: string | null;
  role: UserRole;
  status: UserStatus;
  grade: UserGrade;
}

/** Emails are unique case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** 01012345678 / 010-1234-5678 / 0111234567 → 010-1234-5678 / 011-123-4567; empty means none. */
export function normalizePhone(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replaceAll('-', '');
  if (digits === '') return null;
  const middle = digits.length === 11 ? 4 : 3;
  return `${digits.slice(0, 3)}-${digits.slice(3, 3 + middle)}-${digits.slice(3 + middle)}`;
}

export interface ProfilePatch {
  name?: string;
  phone?: string | null;
}

export interface AccessPatch {
  role?: UserRole;
  status?: UserStatus;
  grade?: UserGrade;
}

/**
 * The user's own edit: `profile` when name or phone really change. Reads name and phone only, so
 * nothing else a body carries can make a change kind that was never written.
 */
export function diffProfile(
  current: UserState,
  patch: ProfilePatch,
): { next: Pick<UserState, 'name' | 'phone'>; changes: UserChange[] } {
  const next = {
    name: patch.name !== undefined ? patch.name.trim() : current.name,
    phone: patch.phone !== undefined ? normalizePhone(patch.phone) : current.phone,
  };
  const changed = next.name !== current.name || next.phone !== current.phone;
  return { next, changes: changed ? ['profile'] : [] };
}

/** The admin's edit: which of role, status and grade really change (and only those are read). */
export function diffAccess(
  current: UserState,
  patch: AccessPatch,
): { next: Pick<UserState, 'role' | 'status' | 'grade'>; changes: UserChange[] } {
  const next = {
    role: patch.role ?? current.role,
    status: patch.status ?? current.status,
    grade: patch.grade ?? current.grade,
  };
  const changes: UserChange[] = [];
  if (next.role !== current.role) changes.push('role');
  if (next.status !== current.status) changes.push('status');
  if (next.grade !== current.grade) changes.push('grade');
  return { next, changes };
}

/**
 * An admin may not change their own role or status: it would be too easy to lock the last admin
 * out. Another admin has to do it.
 */
export function selfChangeViolation(
  actorId: string,
  targetId: string,
  changes: readonly UserChange[],
): string | undefined {
  if (actorId !== targetId) return undefined;
  if (changes.includes('role') || changes.includes('status'))
    return 'You cannot change your own role or status';
  return undefined;
}

/** Only ACTIVE users may use their account; the others are refused on every /me route. */
export function isUsable(status: UserStatus): boolean {
  return status === 'ACTIVE';
}
