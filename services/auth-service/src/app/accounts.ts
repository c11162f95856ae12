import type {
  CredentialsUpsert,
  PasswordChange,
  UserRegisteredPayload,
  UserUpdatedPayload,
} from '@sagamart/contracts';
import { isValidPassword, PASSWORD_RULE_MESSAGE } from '@sagamart/contracts/rules';
import {
  badRequest,
  conflict,
  type Kysely,
  lockForTransaction,
  notFound,
  Problem,
  type Transaction,
} from '@sagamart/kit';
import { isNewerSnapshot, mayUseTokens, placeCredential } from '../domain/account.ts';
import type { PasswordHasher } from '../infra/password-hasher.ts';
import type { AuthDb } from '../infra/schema.ts';
import type { AccessRevocations } from './access-revocations.ts';
import type { LoginAttemptsStore } from './login-attempts.ts';
import { lockUser, revokeAllOfUser } from './sessions.ts';
import { type AuthSettings, normalizeEmail } from './settings.ts';

export interface AccountView {
  userId: string;
  email: string;
  role: string;
  status: string;
  version: number;
  confirmed: boolean;
  hasPassword: boolean;
  passwordChangedAt: string | null;
}

export interface AccountDeps {
  db: Kysely<AuthDb>;
  hasher: PasswordHasher;
  attempts: LoginAttemptsStore;
  settings: () => AuthSettings;
  revocations: AccessRevocations;
  now?: () => Date;
}

/** auth's side of users: credentials set by user-service, and user snapshots from events. */
export class Accounts {
  private readonly now: () => Date;

  constructor(private readonly deps: AccountDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Sets the credential of a user being created (user-service calls this before committing the
   * user, so a login right after signup succeeds). Safe to retry; replaces a leftover credential
   * of a signup that never committed.
   */
  async setCredential(userId: string, input: CredentialsUpsert): Promise<void> {
    if (!isValidPassword(input.password)) {
      throw badRequest(PASSWORD_RULE_MESSAGE, [{ field: 'password', message: PASSWORD_RULE_MESSAGE }]);
    }
    const email = normalizeEmail(input.email);
    const passwordHash = await this.deps.hasher.hash(input.password);
    const now = this.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, `email:${email}`);
      await lockUser(trx, userId);
      const byId = await trx
        .selectFrom('accounts')
        .selectAll()
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      const byEmail = await trx
        .selectFrom('accounts')
        .selectAll()
        .where('email', '=', email)
        .forUpdate()
        .executeTakeFirst();
      const placement = placeCredential(userId, byId && ref(byId), byEmail && ref(byEmail));
      if (placement.kind === 'conflict') throw conflict(placement.reason, 'credential-exists');
      if (placement.kind === 'replace-orphan') {
        await trx.deleteFrom('refresh_tokens').where('user_id', '=', placement.orphanUserId).execute();
        await trx.deleteFrom('accounts').where('user_id', '=', placement.orphanUserId).execute();
      }
      if (byId) {
        await trx
          .updateTable('accounts')
          .set({
            email,
            password_hash: passwordHash,
            // Once confirmed, role and status come from user-service's versioned snapshots only.
            ...(byId.confirmed ? {} : { role: input.role, status: input.status }),
            password_changed_at: now,
            updated_at: now,
          })
          .where('user_id', '=', userId)
          .execute();
      } else {
        await trx
          .insertInto('accounts')
          .values({
            user_id: userId,
            email,
            password_hash: passwordHash,
            role: input.role,
            status: input.status,
            user_version: 0,
            confirmed: false,
            password_changed_at: now,
          })
          .execute();
      }
    });
  }

  /** Verifies the current password, sets the new one and ends every session of the user. */
  async changePassword(userId: string, input: PasswordChange): Promise<void> {
    const { db, hasher, attempts } = this.deps;
    const now = this.now();
    const account = await db
      .selectFrom('accounts')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!account?.password_hash) throw notFound('No credential for this user');
    // A stolen access token must not become an unlimited password oracle: throttled like login.
    const { lockout } = this.deps.settings();
    const charge = await attempts.admit(
      [{ key: `password:${account.email}`, limit: lockout.maxFailures, resets: true }],
      lockout,
      now,
    );
    const current = await hasher.verify(input.currentPassword, account.password_hash);
    if (!current.ok) {
      throw new Problem(400, 'The current password is incorrect', {
        code: 'wrong-current-password',
        errors: [{ field: 'currentPassword', message: 'The current password is incorrect.' }],
      });
    }
    await attempts.refund(charge);
    if (!isValidPassword(input.newPassword)) {
      throw badRequest(PASSWORD_RULE_MESSAGE, [{ field: 'newPassword', message: PASSWORD_RULE_MESSAGE }]);
    }
    const passwordHash = await hasher.hash(input.newPassword);
    await db.transaction().execute(async (trx) => {
      await lockUser(trx, userId);
      await trx
        .updateTable('accounts')
        .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
        .where('user_id', '=', userId)
        .execute();
      await revokeAllOfUser(trx, userId, 'password-changed', now);
      await this.deps.revocations.revokeUser(trx, userId, now);
    });
    this.deps.revocations.announce();
  }

  /**
   * Applies a user snapshot (event or synchronous push) when it is newer than what auth has.
   * Returns whether it changed anything. A non-ACTIVE status ends every session of the user.
   */
  async applySnapshot(
    trx: Transaction<AuthDb>,
    snapshot: UserRegisteredPayload | UserUpdatedPayload,
  ): Promise<boolean> {
    const now = this.now();
    const email = normalizeEmail(snapshot.email);
    await lockUser(trx, snapshot.userId);
    const account = await trx
      .selectFrom('accounts')
      .select(['user_version', 'role', 'status'])
      .where('user_id', '=', snapshot.userId)
      .forUpdate()
      .executeTakeFirst();
    if (account && !isNewerSnapshot(snapshot.version, account.user_version)) return false;
    // An unconfirmed credential of a signup that never committed may hold the email.
    await trx
      .deleteFrom('accounts')
      .where('email', '=', email)
      .where('user_id', '!=', snapshot.userId)
      .where('confirmed', '=', false)
      .execute();
    const fields = {
      email,
      role: snapshot.role,
      status: snapshot.status,
      user_version: snapshot.version,
      confirmed: true,
    };
    if (account) {
      await trx
        .updateTable('accounts')
        .set({ ...fields, updated_at: now })
        .where('user_id', '=', snapshot.userId)
        .execute();
    } else {
      await trx
        .insertInto('accounts')
        .values({ user_id: snapshot.userId, password_hash: null, password_changed_at: null, ...fields })
        .execute();
    }
    if (!mayUseTokens(snapshot.status)) await revokeAllOfUser(trx, snapshot.userId, 'account-disabled', now);
    // Tokens carry the role, and a suspended user must stop at once: end the tokens already out.
    if (account && (account.role !== snapshot.role || account.status !== snapshot.status)) {
      await this.deps.revocations.revokeUser(trx, snapshot.userId, now);
    }
    return true;
  }

  async applySnapshotNow(snapshot: UserUpdatedPayload): Promise<boolean> {
    const applied = await this.deps.db.transaction().execute((trx) => this.applySnapshot(trx, snapshot));
    if (applied) this.deps.revocations.announce();
    return applied;
  }

  async get(userId: string): Promise<AccountView> {
    const row = await this.deps.db
      .selectFrom('accounts')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('No such account');
    return {
      userId: row.user_id,
      email: row.email,
      role: row.role,
      status: row.status,
      version: row.user_version,
      confirmed: row.confirmed,
      hasPassword: row.password_hash !== null,
      passwordChangedAt: row.password_changed_at?.toISOString() ?? null,
    };
  }
}

function ref(row: { user_id: string; confirmed: boolean; password_hash: string | null }) {
  return { userId: row.user_id, confirmed: row.confirmed, hasPassword: row.password_hash !== null };
}
