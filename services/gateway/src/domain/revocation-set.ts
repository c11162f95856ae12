import type { AccessRevocation } from '@sagamart/contracts';

/** What the revocation check needs of a verified access token. */
export interface TokenFacts {
  sub: string;
  /** Epoch seconds. */
  iat: number;
  sid?: string | undefined;
}

/**
 * The access tokens auth-service revoked before their expiry: whole sessions (logout) and everything
 * a user was issued before a moment (suspension, role or password change). Entries are dropped once
 * every token they name has expired anyway.
 */
export class RevocationSet {
  /** userId → the earliest `iat` still good, and until when that matters. */
  private readonly users = new Map<string, { notBefore: number; expiresAt: number }>();
  /** sessionId → until when that matters. */
  private readonly sessions = new Map<string, number>();

  /** Applies entries; applying one twice changes nothing. Returns whether any revoked more tokens. */
  apply(entries: readonly AccessRevocation[]): boolean {
    let more = false;
    for (const entry of entries) {
      if (entry.sessionId) {
        const known = this.sessions.get(entry.sessionId);
        more ||= known === undefined;
        this.sessions.set(entry.sessionId, Math.max(entry.expiresAt, known ?? 0));
      } else if (entry.notBefore !== null) {
        const known = this.users.get(entry.userId);
        more ||= known === undefined || entry.notBefore > known.notBefore;
        this.users.set(entry.userId, {
          notBefore: Math.max(entry.notBefore, known?.notBefore ?? 0),
          expiresAt: Math.max(entry.expiresAt, known?.expiresAt ?? 0),
        });
      }
    }
    return more;
  }

  isRevoked(token: TokenFacts): boolean {
    if (token.sid !== undefined && this.sessions.has(token.sid)) return true;
    const user = this.users.get(token.sub);
    return user !== undefined && token.iat < user.notBefore;
  }

  /** Forgets entries whose tokens have all expired. */
  prune(nowSeconds: number): void {
    for (const [sid, expiresAt] of this.sessions) if (expiresAt < nowSeconds) this.sessions.delete(sid);
    for (const [userId, { expiresAt }] of this.users) if (expiresAt < nowSeconds) this.users.delete(userId);
  }

  get size(): number {
    return this.sessions.size + this.users.size;
  }
}
