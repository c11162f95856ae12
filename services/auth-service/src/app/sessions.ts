import { createHash, randomUUID } from 'node:crypto';
import { type Kysely, lockForTransaction, type Transaction } from '@sagamart/kit';
import { mayUseTokens } from '../domain/account.ts';
import { judgeRefresh, type RevokeReason } from '../domain/refresh-token.ts';
import { InvalidTokenError, type JwtCodec, type TokenSubject } from '../infra/jwt.ts';
import type { PasswordHasher } from '../infra/password-hasher.ts';
import type { AuthDb } from '../infra/schema.ts';
import type { AccessRevocations } from './access-revocations.ts';
import type { LoginAttemptsStore } from './login-attempts.ts';
import { accountDisabled, invalidCredentials, invalidRefreshToken } from './problems.ts';
import { type AuthSettings, normalizeEmail } from './settings.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access token lifetime, seconds. */
  expiresIn: number;
  refreshExpiresIn: number;
}

export interface SessionDeps {
  db: Kysely<AuthDb>;
  hasher: PasswordHasher;
  jwt: JwtCodec;
  attempts: LoginAttemptsStore;
  settings: () => AuthSettings;
  revocations: AccessRevocations;
  now?: () => Date;
}

export const hashJti = (jti: string) => createHash('sha256').update(jti).digest('hex');

/** Login, refresh rotation with token families, and logout. */
export class Sessions {
  private readonly now: () => Date;

  constructor(private readonly deps: SessionDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** `address`: the client's, as the gateway saw it; throttling counts per email and address. */
  async login(rawEmail: string, password: string, address: string): Promise<TokenPair> {
    const { db, hasher, attempts } = this.deps;
    const settings = this.deps.settings();
    const now = this.now();
    const email = normalizeEmail(rawEmail);
    const { lockout } = settings;
    const charge = await attempts.admit(
      [
        { key: `login:${email}|${address}`, limit: lockout.maxFailures, resets: true },
        { key: `address:${address}`, limit: lockout.maxFailuresPerAddress, resets: false },
      ],
      lockout,
      now,
    );

    const account = await db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
    // Unknown accounts are verified against a dummy hash: same work, same answer, same counter.
    const result = await hasher.verify(password, account?.password_hash);
    // A failure keeps its charge.
    if (!account || !result.ok) throw invalidCredentials();
    await attempts.refund(charge);
    if (result.rehash) {
      await db
        .updateTable('accounts')
        .set({ password_hash: await hasher.hash(password) })
        .where('user_id', '=', account.user_id)
        .where('password_hash', '=', account.password_hash)
        .execute();
    }
    return db.transaction().execute(async (trx) => {
      await lockUser(trx, account.user_id);
      // The password was checked unlocked: a change or suspension committed since would miss this session.
      const current = await trx
        .selectFrom('accounts')
        .selectAll()
        .where('user_id', '=', account.user_id)
        .executeTakeFirst();
      if (!current || current.password_changed_at?.getTime() !== account.password_changed_at?.getTime()) {
        throw invalidCredentials();
      }
      // Only after the password proved right, so the status of other people's accounts stays private.
      if (!mayUseTokens(current.status)) throw accountDisabled(current.status);
      return this.issuePair(trx, toSubject(current), randomUUID(), null, now);
    });
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const { db } = this.deps;
    const settings = this.deps.settings();
    const now = this.now();
    const claims = await this.verifyRefresh(refreshToken, now, settings);
    const tokenHash = hashJti(claims.jti);

    // Decide inside the transaction, throw after it: a family revocation must commit.
    const outcome = await db.transaction().execute(async (trx) => {
      // The user first, then the token: see lockUser.
      await lockUser(trx, claims.sub);
      const stored = await trx
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .forUpdate()
        .executeTakeFirst();
      if (!stored || stored.user_id !== claims.sub) return { error: invalidRefreshToken() };
      const verdict = judgeRefresh(
        { expiresAt: stored.expires_at, revokedAt: stored.revoked_at, revokedReason: stored.revoked_reason },
        now,
      );
      if (verdict.kind === 'reuse') {
        await revokeFamily(trx, stored.family_id, 'reuse-detected', now);
        await this.deps.revocations.revokeSession(trx, stored.user_id, stored.family_id, now);
        return {
          error: invalidRefreshToken('This refresh token was already used; the session has been revoked'),
        };
      }
      if (verdict.kind !== 'rotate') return { error: invalidRefreshToken() };

      const account = await trx
        .selectFrom('accounts')
        .selectAll()
        .where('user_id', '=', stored.user_id)
        .executeTakeFirst();
      if (!account) {
        await revokeFamily(trx, stored.family_id, 'account-disabled', now);
        return { error: invalidRefreshToken() };
      }
      if (!mayUseTokens(account.status)) {
        await revokeFamily(trx, stored.family_id, 'account-disabled', now);
        return { error: accountDisabled(account.status) };
      }
      await trx
        .updateTable('refresh_tokens')
        .set({ revoked_at: now, revoked_reason: 'rotated' })
        .where('token_hash', '=', tokenHash)
        .execute();
      // The current role and email go into the new access token: changes apply at the next refresh.
      return { pair: await this.issuePair(trx, toSubject(account), stored.family_id, tokenHash, now) };
    });
    if ('error' in outcome) {
      this.deps.revocations.announce();
      throw outcome.error;
    }
    return outcome.pair;
  }

  /** Ends the session the refresh token belongs to. Idempotent. */
  async logout(refreshToken: string): Promise<void> {
    const now = this.now();
    let claims: { jti: string; sub: string };
    try {
      claims = await this.deps.jwt.verify(
        refreshToken,
        'refresh',
        now,
        this.deps.settings().keyRetentionSeconds,
      );
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      // An expired token has nothing left to revoke; anything else is not ours.
      if (error.message === 'ERR_JWT_EXPIRED') return;
      throw invalidRefreshToken();
    }
    await this.deps.db.transaction().execute(async (trx) => {
      await lockUser(trx, claims.sub);
      const stored = await trx
        .selectFrom('refresh_tokens')
        .select(['family_id', 'user_id'])
        .where('token_hash', '=', hashJti(claims.jti))
        .executeTakeFirst();
      if (stored && stored.user_id === claims.sub) {
        await revokeFamily(trx, stored.family_id, 'logout', now);
        // The session's access tokens end too, not only its refresh token.
        await this.deps.revocations.revokeSession(trx, stored.user_id, stored.family_id, now);
      }
    });
    this.deps.revocations.announce();
  }

  private async verifyRefresh(token: string, now: Date, settings: AuthSettings) {
    try {
      return await this.deps.jwt.verify(token, 'refresh', now, settings.keyRetentionSeconds);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw invalidRefreshToken();
      throw error;
    }
  }

  private async issuePair(
    trx: Transaction<AuthDb>,
    subject: TokenSubject,
    familyId: string,
    parentHash: string | null,
    now: Date,
  ): Promise<TokenPair> {
    const settings = this.deps.settings();
    const refreshJti = randomUUID();
    // After a revocation of the user in this very second, new tokens start at the next one.
    const issuedAt = await this.deps.revocations.issuedAt(trx, subject.userId, now);
    const [accessToken, refreshToken] = await Promise.all([
      this.deps.jwt.sign(subject, 'access', randomUUID(), issuedAt, settings.accessTtlSeconds, familyId),
      this.deps.jwt.sign(subject, 'refresh', refreshJti, issuedAt, settings.refreshTtlSeconds),
    ]);
    await trx
      .insertInto('refresh_tokens')
      .values({
        token_hash: hashJti(refreshJti),
        user_id: subject.userId,
        family_id: familyId,
        parent_hash: parentHash,
        issued_at: now,
        expires_at: new Date(now.getTime() + settings.refreshTtlSeconds * 1000),
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: settings.accessTtlSeconds,
      refreshExpiresIn: settings.refreshTtlSeconds,
    };
  }
}

function toSubject(account: { user_id: string; email: string; role: TokenSubject['role'] }): TokenSubject {
  return { userId: account.user_id, email: account.email, role: account.role };
}

/**
 * Serialises everything that issues or revokes a user's tokens (login, refresh, logout, password
 * change, snapshots, credentials). A revocation is one UPDATE of the live rows it sees: a refresh
 * running meanwhile would insert a successor it never sees, alive after the logout or password change.
 * Taken before any row lock in each transaction, so no two of them wait on each other in a cycle.
 */
export async function lockUser(trx: Transaction<AuthDb>, userId: string): Promise<void> {
  await lockForTransaction(trx, `user:${userId}`);
}

export async function revokeFamily(
  trx: Kysely<AuthDb>,
  familyId: string,
  reason: RevokeReason,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Every live refresh token of a user (password change, suspension). */
export async function revokeAllOfUser(
  trx: Kysely<AuthDb>,
  userId: string,
  reason: RevokeReason,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
