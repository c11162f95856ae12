import { randomUUID } from 'node:crypto';
import { UserRegistered, type UserRole, UserUpdated } from '@sagamart/contracts';
import {
  badRequest,
  forbidden,
  type Kysely,
  type MessagingTables,
  notFound,
  Problem,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import { diffUser, isUsable, normalizeEmail, normalizePhone, type ProfilePatch } from '../domain/user.ts';
import type { AuthClient } from '../infra/auth-client.ts';
import type { UserDb } from '../infra/schema.ts';
import { fromAuthFailure } from './auth-failures.ts';
import { registeredEvent, toProfile, type UserRow, updatedEvent } from './views.ts';

export interface SignupInput {
  email: string;
  password: string;
  name: string;
  phone?: string | null | undefined;
}

export const emailTaken = () =>
  new Problem(409, 'This email is already registered', {
    code: 'email-taken',
    errors: [{ field: 'email', message: 'This email is already registered.' }],
  });

/** Signup, the own profile and the password. */
export class Users {
  constructor(
    private readonly ctx: ServiceContext<UserDb>,
    private readonly auth: AuthClient,
  ) {}

  /**
   * Creates a user (ADR 0002): the credential goes to auth-service first, under a user id chosen
   * here, then the user is committed with its `user.registered` event. If auth is unreachable
   * nothing is committed and the caller gets 503; if our commit fails after auth stored the
   * credential, auth holds a harmless orphan that the next signup with that email replaces.
   * Because auth has the credential before we answer, a login right after signup succeeds.
   */
  async signup(input: SignupInput, role: UserRole = 'USER'): Promise<UserRow> {
    const email = normalizeEmail(input.email);
    const userId = randomUUID();
    return this.ctx.transaction(async (trx) => {
      // Serialises signups of one email across instances; the unique index is the backstop.
      await sql`select pg_advisory_xact_lock(hashtext(${`signup:${email}`}))`.execute(trx);
      const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      if (taken) throw emailTaken();
      try {
        await this.auth.setCredential(userId, { email, password: input.password, role, status: 'ACTIVE' });
      } catch (error) {
        throw fromAuthFailure(error, 'Sign-up');
      }
      const user = await trx
        .insertInto('users')
        .values({
          id: userId,
          email,
          name: input.name.trim(),
          phone: normalizePhone(input.phone),
          role,
          status: 'ACTIVE',
          grade: 'NORMAL',
          version: 1,
          credentials_changed_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('point_accounts').values({ user_id: userId, balance: 0 }).execute();
      await this.ctx.publish(trx, UserRegistered, registeredEvent(user));
      return user;
    });
  }

  async profile(userId: string) {
    return toProfile(await this.usableUser(this.ctx.db, userId));
  }

  async updateProfile(userId: string, patch: ProfilePatch) {
    if (patch.name === undefined && patch.phone === undefined)
      throw badRequest('Nothing to update: send name and/or phone');
    const user = await this.ctx.transaction(async (trx) => {
      const current = await this.usableUser(trx, userId, true);
      const { next, changes } = diffUser(current, patch);
      if (changes.length === 0) return current;
      const updated = await trx
        .updateTable('users')
        .set({
          name: next.name,
          phone: next.phone,
          version: current.version + 1,
          updated_at: sql`clock_timestamp()`,
        })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ctx.publish(trx, UserUpdated, updatedEvent(updated, changes));
      return updated;
    });
    return toProfile(user);
  }

  /** auth verifies the current password, stores the new one and ends every session of the user. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    await this.usableUser(this.ctx.db, userId);
    if (currentPassword === newPassword) {
      throw badRequest('The new password must differ from the current one', [
        { field: 'newPassword', message: 'The new password must differ from the current one.' },
      ]);
    }
    try {
      await this.auth.changePassword(userId, { currentPassword, newPassword });
    } catch (error) {
      throw fromAuthFailure(error, 'Changing the password');
    }
    // Tell consumers the credentials changed (no secret in the event).
    await this.ctx.transaction(async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set((eb) => ({
          version: eb('version', '+', 1),
          credentials_changed_at: sql`clock_timestamp()`,
          updated_at: sql`clock_timestamp()`,
        }))
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ctx.publish(trx, UserUpdated, updatedEvent(updated, ['credentials']));
    });
  }

  /** The bootstrap admin: created once; an existing user with that email is left as it is. */
  async ensureAdmin(input: SignupInput): Promise<'created' | 'exists'> {
    const email = normalizeEmail(input.email);
    const existing = await this.ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing) return 'exists';
    try {
      await this.signup(input, 'ADMIN');
      return 'created';
    } catch (error) {
      if (error instanceof Problem && error.code === 'email-taken') return 'exists';
      throw error;
    }
  }

  /** The user behind a /me request; SUSPENDED or INACTIVE users are refused at once. */
  async usableUser(
    db: Kysely<UserDb & MessagingTables>,
    userId: string,
    forUpdate = false,
  ): Promise<UserRow> {
    let query = db.selectFrom('users').selectAll().where('id', '=', userId);
    if (forUpdate) query = query.forUpdate();
    const user = await query.executeTakeFirst();
    if (!user) throw notFound('No such user');
    if (!isUsable(user.status)) throw forbidden(`This account is ${user.status.toLowerCase()}`);
    return user;
  }
}
