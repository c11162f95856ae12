import type { Kysely } from '@sagamart/kit';
import {
  chargeAttempt,
  type LockoutPolicy,
  NO_FAILURES,
  retryAfterSeconds,
  type Throttle,
} from '../domain/lockout.ts';
import type { AuthDb } from '../infra/schema.ts';
import { cooldownProblem } from './problems.ts';

/** A counter an attempt is checked against, and the failures it allows before backoff. */
export interface ThrottleKey {
  key: string;
  limit: number;
}

/** What an admitted attempt charged, so a success can give it back. */
export interface Charge {
  keys: Array<{ key: string; resets: boolean; blockedUntil: Date | null }>;
}

/** The throttle counters behind login and password change (see domain/lockout.ts). */
export class LoginAttemptsStore {
  constructor(private readonly db: Kysely<AuthDb>) {}

  /**
   * Charges the attempt against every counter under row locks, or throws 429 with Retry-After when
   * one is blocked (charging nothing). Concurrent attempts queue on the locks, so each sees the
   * ones before it. `resets` keys are cleared by a success; the others only get the charge back.
   */
  async admit(
    keys: Array<ThrottleKey & { resets: boolean }>,
    policy: LockoutPolicy,
    now: Date,
  ): Promise<Charge> {
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const outcome = await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('login_throttles')
        .values(sorted.map(({ key }) => ({ key, failures: 0 })))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const rows = await trx
        .selectFrom('login_throttles')
        .selectAll()
        .where(
          'key',
          'in',
          sorted.map((k) => k.key),
        )
        .orderBy('key')
        .forUpdate()
        .execute();
      const current = new Map(rows.map((row) => [row.key, toThrottle(row)]));
      const wait = Math.max(...sorted.map((k) => retryAfterSeconds(current.get(k.key) ?? NO_FAILURES, now)));
      if (wait > 0) return { wait, charge: undefined };
      const charge: Charge = { keys: [] };
      for (const k of sorted) {
        const next = chargeAttempt(current.get(k.key) ?? NO_FAILURES, k.limit, policy, now);
        await trx
          .updateTable('login_throttles')
          .set({
            failures: next.failures,
            blocked_until: next.blockedUntil,
            last_failure_at: next.lastFailureAt,
            updated_at: now,
          })
          .where('key', '=', k.key)
          .execute();
        charge.keys.push({ key: k.key, resets: k.resets, blockedUntil: next.blockedUntil });
      }
      return { wait: 0, charge };
    });
    if (!outcome.charge) throw cooldownProblem(outcome.wait);
    return outcome.charge;
  }

  /** The attempt proved right: its own counters start over, the shared ones get the charge back. */
  async refund(charge: Charge): Promise<void> {
    for (const { key, resets, blockedUntil } of charge.keys) {
      if (resets) {
        await this.db.deleteFrom('login_throttles').where('key', '=', key).execute();
        continue;
      }
      await this.db
        .updateTable('login_throttles')
        .set((eb) => ({
          failures: eb.fn('greatest', [eb('failures', '-', 1), eb.lit(0)]),
          // Lift the wait this attempt started, not one a later failure started.
          blocked_until: eb
            .case()
            .when('blocked_until', 'is not distinct from', blockedUntil)
            .then(null)
            .else(eb.ref('blocked_until'))
            .end(),
        }))
        .where('key', '=', key)
        .execute();
    }
  }

  /** Drops counters nobody touched for a day and whose wait is over. */
  async purge(now: Date): Promise<void> {
    const dayAgo = new Date(now.getTime() - 86_400_000);
    await this.db
      .deleteFrom('login_throttles')
      .where('updated_at', '<', dayAgo)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
      .execute();
  }
}

function toThrottle(row: {
  failures: number;
  blocked_until: Date | null;
  last_failure_at: Date | null;
}): Throttle {
  return { failures: row.failures, blockedUntil: row.blocked_until, lastFailureAt: row.last_failure_at };
}
