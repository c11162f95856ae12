/**
 * Refresh tokens rotate: each use retires the token and issues its successor in the same family
 * (one family per login). A retired token presented again means it was copied, so the whole
 * family is revoked: both the thief and the victim must log in again.
 */
export const REVOKE_REASONS = [
  'rotated',
  'logout',
  'reuse-detected',
  'password-changed',
  'account-disabled',
] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export interface StoredRefreshToken {
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: RevokeReason | null;
}

export type RefreshVerdict =
  | { kind: 'rotate' }
  /** A rotated token came back: revoke its family. */
  | { kind: 'reuse' }
  | { kind: 'revoked'; reason: RevokeReason }
  | { kind: 'expired' };

export function judgeRefresh(token: StoredRefreshToken, now: Date): RefreshVerdict {
  if (token.revokedAt) {
    return token.revokedReason === 'rotated'
      ? { kind: 'reuse' }
      : { kind: 'revoked', reason: token.revokedReason ?? 'logout' };
  }
  if (token.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
  return { kind: 'rotate' };
}
