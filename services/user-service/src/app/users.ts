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
import { diffProfile, isUsable, normalizeEmail, normalizePhone, type ProfilePatch } from '../domain/user.ts';
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

/** Longer than the retried credential call can take (3 attempts of http.client.timeoutMs, plus backoff). */
const RESERVATION_SECONDS = 60;

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
   * Creates a user (ADR 0002) in three steps, so no transaction or pooled connection waits on the
   * network: reserve the email (one signup of it at a time), set the credential at auth-service
   * under a user id chosen here (idempotent PUT, retried), then commit the user with its
   * `user.registered` event and drop the reservation. If auth is unreachable nothing is committed
   * and the caller gets 503; if our commit fails after auth stored the credential, auth holds a
   * harmless unconfirmed orphan that the next signup with that email replaces. Because auth has
   * the credential before we answer, a login right after signup succeeds.
   */
  async signup(input: SignupInput, role: UserRole = 'USER'): Promise<UserRow> {
    const email = normalizeEmail(input.email);
    const userId = randomUUID();
    await this.reserveEmail(email, userId);
    try {
      await this.auth.setCredential(userId, { email, password: input.password, role, status: 'ACTIVE' });
    } catch (error) {
      await this.releaseEmail(email, userId);
      throw fromAuthFailure(error, 'Sign-up');
    }
    return this.ctx.transaction(async (trx) => {
      const released = await trx
        .deleteFrom('signup_reservations')
        .where('email', '=', email)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      // Our reservation lapsed and another signup of this email may be under way: let it win.
      if (released.numDeletedRows === 0n) throw emailTaken();
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

  /**
   * Claims the email for this signup: refused when a user has it, or another signup holds an
   * unexpired reservation. The upsert is one statement, so two racing signups cannot both get it;
   * a signup that commits drops its reservation in the same transaction, so the check after ours
   * sees its user.
   */
  private async reserveEmail(email: string, userId: string): Promise<void> {
    const inUse = async () =>
      (await this.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !==
      undefined;
    if (await inUse()) throw emailTaken();
    const expiresAt = sql<Date>`clock_timestamp() + ${`${RESERVATION_SECONDS} seconds`}::interval`;
    const reserved = await this.ctx.db
      .insertInto('signup_reservations')
      .values({ email, user_id: userId, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('email')
          .doUpdateSet({ user_id: userId, expires_at: expiresAt })
          .where('signup_reservations.expires_at', '<', sql<Date>`clock_timestamp()`),
      )
      .returning('user_id')
      .executeTakeFirst();
    if (!reserved) throw emailTaken();
    if (await inUse()) {
      await this.releaseEmail(email, userId);
      throw emailTaken();
    }
  }

  private async releaseEmail(email: string, userId: string): Promise<void> {
    await this.ctx.db
      .deleteFrom('signup_reservations')
      .where('email', '=', email)
      .where('user_id', '=', userId)
      .execute();
  }

  async profile(userId: string) {
    return toProfile(await this.usableUser(this.ctx.db, userId));
  }

  async updateProfile(userId: string, patch: ProfilePatch) {
    if (patch.name === undefined && patch.phone === undefined)
      throw badRequest('Nothing to update: send name and/or phone');
    const user = await this.ctx.transaction(async (trx) => {
      const current = await this.usableUser(trx, userId, true);
      const { next, changes } = diffProfile(current, patch);
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

  /** A bootstrap account (the admin, the demo agent): created once; an existing user with that email is left as it is. */
  async ensureAccount(input: SignupInput, role: 'ADMIN' | 'AGENT'): Promise<'created' | 'exists'> {
    const email = normalizeEmail(input.email);
    const existing = await this.ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing) return 'exists';
    try {
      await this.signup(input, role);
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
