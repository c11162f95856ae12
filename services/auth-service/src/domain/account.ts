import type { UserStatus } from '@sagamart/contracts';

/**
 * auth-service's copy of a user: what login and refresh need (email, role, status) plus the
 * credential. It is fed by user-service: synchronously at signup, then by `user.*` events.
 */
export interface AccountRef {
  userId: string;
  /** True once auth has seen the user committed by user-service (an event or a pushed snapshot). */
  confirmed: boolean;
  hasPassword: boolean;
}

/** Only ACTIVE accounts may log in or refresh. */
export function mayUseTokens(status: UserStatus): boolean {
  return status === 'ACTIVE';
}

/**
 * A snapshot is applied only when newer than what auth already has; duplicates and stale,
 * out-of-order deliveries change nothing.
 */
export function isNewerSnapshot(snapshotVersion: number, appliedVersion: number): boolean {
  return snapshotVersion > appliedVersion;
}

export type CredentialPlacement =
  | { kind: 'create' }
  /** Same user, not yet confirmed (a retried signup call) or without a password yet. */
  | { kind: 'overwrite' }
  /** Another user id holds the email but never appeared in user-service: a leftover of a failed signup. */
  | { kind: 'replace-orphan'; orphanUserId: string }
  | { kind: 'conflict'; reason: string };

/**
 * Where a credential for a user being created goes. `byId` is the account with that user id,
 * `byEmail` the account holding that email, if any.
 */
export function placeCredential(
  userId: string,
  byId: AccountRef | undefined,
  byEmail: AccountRef | undefined,
): CredentialPlacement {
  if (byId?.confirmed && byId.hasPassword) {
    return { kind: 'conflict', reason: 'This user already has a credential' };
  }
  if (byEmail && byEmail.userId !== userId) {
    if (byEmail.confirmed) return { kind: 'conflict', reason: 'This email is already registered' };
    return { kind: 'replace-orphan', orphanUserId: byEmail.userId };
  }
  return byId ? { kind: 'overwrite' } : { kind: 'create' };
}
