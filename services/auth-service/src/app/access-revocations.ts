import { type AccessRevocation, type AccessRevocationFeed, REVOCATIONS_CHANNEL } from '@sagamart/contracts';
import { type Kysely, sql, type Transport } from '@sagamart/kit';
import {
  FEED_START,
  fromThisHistory,
  nextRevocationCursor,
  parseRevocationCursor,
  type RevocationCursor,
} from '../domain/revocation-cursor.ts';
import type { AuthDb } from '../infra/schema.ts';
import type { AuthSettings } from './settings.ts';

/** Entries outlive the tokens they name by this much (the gateway's clock tolerance, and some). */
const GRACE_SECONDS = 60;
/** Only for `after` (gateways released before ADR 0018): see feedAfterSeq. */
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

  /**
   * The entries after `cursor` that still matter, in (xid, seq) order (ADR 0018). An entry not visible
   * to this read's snapshot belongs to a transaction at or above its xmin, where the next pass starts:
   * no entry is skipped however late it commits. xmin and the entries come from one statement, so from
   * one snapshot.
   */
  async feed(cursorText: string, limit: number, now: Date): Promise<AccessRevocationFeed> {
    let cursor = parseRevocationCursor(cursorText);
    let page = await this.page(cursor, limit, now);
    if (!fromThisHistory(cursor, page.xmax)) {
      cursor = FEED_START;
      page = await this.page(cursor, limit, now);
    }
    const last = page.entries.at(-1);
    return {
      revocations: page.entries.map((e) => e.revocation),
      latest: page.latest,
      cursor: nextRevocationCursor(cursor, page.xmin, last, page.entries.length === limit),
    };
  }

  private async page(cursor: RevocationCursor, limit: number, now: Date) {
    const { rows } = await sql<FeedRow>`
      with snapshot as (select pg_current_snapshot() as s)
      select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax,
        (select max(seq) from access_revocations)::text as latest,
        r.xid::text as xid, r.seq::text as seq, r.user_id, r.session_id, r.not_before, r.expires_at
      from snapshot left join lateral (
        select xid, seq, user_id, session_id, not_before, expires_at from access_revocations
        where (xid, seq) > (${String(cursor.afterXid)}::xid8, ${String(cursor.afterSeq)}::bigint)
          and expires_at > ${now}
        order by xid, seq
        limit ${limit}
      ) r on true
      order by r.xid, r.seq`.execute(this.deps.db);
    const first = rows[0]!;
    return {
      xmin: BigInt(first.xmin),
      xmax: BigInt(first.xmax),
      latest: Number(first.latest ?? 0),
      // Without an entry the lateral join still gives the snapshot's row, with nulls.
      entries: rows.flatMap((r) =>
        r.seq === null ? [] : [{ xid: BigInt(r.xid), seq: BigInt(r.seq), revocation: toRevocation(r) }],
      ),
    };
  }

  /**
   * The feed by sequence number, for gateways released before ADR 0018 (deprecated, removed with
   * `after`): numbers are taken before commit, so a lower one can become visible after a higher one was
   * read, and only entries younger than RESEND_RECENT_MS are served again whatever `after` says.
   */
  async feedAfterSeq(after: number, limit: number, now: Date): Promise<AccessRevocationFeed> {
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
      revocations: rows.map(toRevocation),
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

interface StoredRevocation {
  seq: string;
  user_id: string;
  session_id: string | null;
  not_before: Date | null;
  expires_at: Date;
}

/** One entry with the snapshot's bounds, or the bounds alone (every entry field null). */
type FeedRow = { xmin: string; xmax: string; latest: string | null } & (
  | (StoredRevocation & { xid: string })
  | { [K in keyof StoredRevocation | 'xid']: null }
);

function toRevocation(row: StoredRevocation): AccessRevocation {
  return {
    seq: Number(row.seq),
    userId: row.user_id,
    sessionId: row.session_id,
    notBefore: row.not_before ? epochSeconds(row.not_before) : null,
    expiresAt: epochSeconds(row.expires_at),
  };
}
