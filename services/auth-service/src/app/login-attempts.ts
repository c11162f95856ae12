import type { Kysely } from '@sagamart/kit';
import {
  type LockoutPolicy,
  type LoginAttempts,
  NO_ATTEMPTS,
  recordFailure,
  retryAfterSeconds,
} from '../domain/lockout.ts';
import type { AuthDb } from '../infra/schema.ts';
import { cooldownProblem } from './problems.ts';

/** The per-email failure counter behind the login cooldown. */
export class LoginAttemptsStore {
  constructor(private readonly db: Kysely<AuthDb>) {}

  /** Throws 429 with Retry-After while the email is cooling down. */
  async assertNotCoolingDown(email: string, now: Date): Promise<void> {
    const row = await this.db
      .selectFrom('login_attempts')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    const wait = retryAfterSeconds(row ? toAttempts(row) : NO_ATTEMPTS, now);
    if (wait > 0) throw cooldownProblem(wait);
  }

  async recordFailure(email: string, policy: LockoutPolicy, now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('login_attempts')
        .values({ email, failures: 0, locked_until: null })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
      const row = await trx
        .selectFrom('login_attempts')
        .selectAll()
        .where('email', '=', email)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const next = recordFailure(toAttempts(row), policy, now);
      await trx
        .updateTable('login_attempts')
        .set({ failures: next.failures, locked_until: next.lockedUntil, updated_at: now })
        .where('email', '=', email)
        .execute();
    });
  }

  async reset(email: string): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('email', '=', email).execute();
  }

  /** Drops counters nobody touched for a day and whose cooldown is over. */
  async purge(now: Date): Promise<void> {
    const dayAgo = new Date(now.getTime() - 86_400_000);
    await this.db
      .deleteFrom('login_attempts')
      .where('updated_at', '<', dayAgo)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
  }
}

function toAttempts(row: { failures: number; locked_until: Date | null }): LoginAttempts {
  return { failures: row.failures, lockedUntil: row.locked_until };
}
