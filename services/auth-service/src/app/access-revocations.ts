import { type AccessRevocationFeed, REVOCATIONS_CHANNEL } from '@sagamart/contracts';
import type { Kysely, Transport } from '@sagamart/kit';
import type { AuthDb } from '../infra/schema.ts';
import type { AuthSettings } from './settings.ts';

/** Entries outlive the tokens they name by this much (the gateway's clock tolerance, and some). */
const GRACE_SECONDS = 60;
/**
 * Sequence numbers are taken before commit, so a lower one can become visible after a higher one was
 * read: recent entries are served again whatever the cursor (applying one twice changes nothing).
 */
const RESEND_RECENT_MS = 10_000;
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface AccessRevocationDeps {
  db: Kysely<AuthDb>;
  settings: () => AuthSettings;
  transport: () => Transport | undefined;
}

/**
 * Access tokens live 30 minutes, but a logout, a suspension or a role or password change must end them
 * at once: each is recorded here, in the transaction that causes it, and served to the gateway as a
 * feed (GET /internal/revocations) that it polls and is told to read at once after each commit.
 */
export class AccessRevocations {
  constructor(private readonly deps: AccessRevocationDeps) {}

  private expiresAt(now: Date): Date {
    return new Date(now.getTime() + (this.deps.settings().accessTtlSeconds + GRACE_SECONDS) * 1000);
  }

  /** Every access token of one session (logout, reuse of a rotated refresh token). */
  async revokeSession(trx: Kysely<AuthDb>, userId: string, sessionId: string, now: Date): Promise<void> {
    await trx
      .insertInto('access_revocations')
      .values({ user_id: userId, session_id: sessionId, not_before: null, expires_at: this.expiresAt(now) })
      .execute();
  }

  /**
   * Every access token of the user issued up to now (suspension, role or password change). Token
   * times are whole seconds, so the cut is the next whole second and new tokens start there; a second
   * revocation within that second cuts one further, past the tokens issued after the first.
   */
  async revokeUser(trx: Kysely<AuthDb>, userId: string, now: Date): Promise<void> {
    const previous = await this.lastCut(trx, userId, now);
    const next = Math.max(epochSeconds(now), previous ? epochSeconds(previous) : 0) + 1;
    const notBefore = new Date(next * 1000);
    await trx
      .insertInto('access_revocations')
      .values({ user_id: userId, session_id: null, not_before: notBefore, expires_at: this.expiresAt(now) })
      .execute();
  }

  /** When a token issued now for the user must say it was issued: not before their last revocation. */
  async issuedAt(trx: Kysely<AuthDb>, userId: string, now: Date): Promise<Date> {
    const notBefore = await this.lastCut(trx, userId, now);
    return notBefore && notBefore > now ? notBefore : now;
  }

  private async lastCut(trx: Kysely<AuthDb>, userId: string, now: Date): Promise<Date | undefined> {
    const last = await trx
      .selectFrom('access_revocations')
      .select((eb) => eb.fn.max('not_before').as('notBefore'))
      .where('user_id', '=', userId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return last?.notBefore ? new Date(last.notBefore) : undefined;
  }

  /** The entries after `after` (and the recent ones) that still matter, oldest first. */
  async feed(after: number, limit: number, now: Date): Promise<AccessRevocationFeed> {
    const latest = await this.deps.db
      .selectFrom('access_revocations')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const rows = await this.deps.db
      .selectFrom('access_revocations')
      .selectAll()
      .where('expires_at', '>', now)
      .where((eb) =>
        eb.or([
          eb('seq', '>', String(after)),
          eb('created_at', '>', new Date(now.getTime() - RESEND_RECENT_MS)),
        ]),
      )
      .orderBy('seq')
      .limit(limit)
      .execute();
    return {
      revocations: rows.map((r) => ({
        seq: Number(r.seq),
        userId: r.user_id,
        sessionId: r.session_id,
        notBefore: r.not_before ? epochSeconds(r.not_before) : null,
        expiresAt: epochSeconds(r.expires_at),
      })),
      latest:
        rows.length === limit
          ? Number(rows.at(-1)!.seq)
          : Math.max(Number(latest?.seq ?? 0), Number(rows.at(-1)?.seq ?? 0)),
    };
  }

  /** Tells pollers to read the feed now; call after the recording transaction committed. */
  announce(): void {
    this.deps
      .transport()
      ?.broadcast(REVOCATIONS_CHANNEL, {})
      .catch(() => {
        // A lost hint costs one poll interval; the feed itself is the record.
      });
  }

  async purge(now: Date): Promise<void> {
    await this.deps.db.deleteFrom('access_revocations').where('expires_at', '<', now).execute();
  }
}
