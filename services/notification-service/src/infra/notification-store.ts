import type { NotificationKind, NotificationView } from '@sagamart/contracts';
import { fetchPage, type Kysely, type Selectable, sql, type Transaction } from '@sagamart/kit';
import type { NotificationDraft } from '../domain/notification-rules.ts';
import { type KeptRange, pruneThrough } from '../domain/resume.ts';
import type { NotificationDb } from './schema.ts';

type Db = Kysely<NotificationDb>;
type Trx = Transaction<NotificationDb>;
type NotificationRow = Selectable<NotificationDb['notifications']>;

export function toView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    title: row.title,
    body: row.body,
    facts: row.facts,
    link: row.link,
    ...(row.order_id !== null ? { orderId: row.order_id } : {}),
    ...(row.order_number !== null ? { orderNumber: row.order_number } : {}),
    read: row.read_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Notifications and each user's sequence, in the service's own database. */
export class NotificationStore {
  constructor(private readonly db: Db) {}

  /**
   * Adds the draft to the user's list with the next seq, unless the user already has one with its
   * dedupe key (then null). The user's sequence row is locked until commit, so seqs have no gaps and
   * commit in order. Keeps the newest `keep` of the user's notifications. Two statements, since each
   * round trip is paid by every notification on its way to the socket.
   */
  async append(
    trx: Trx,
    userId: string,
    draft: NotificationDraft,
    sourceEventId: string,
    keep: number,
  ): Promise<NotificationView | null> {
    // A no-op upsert creates the row on first use, locks it and returns its newest committed value.
    const { last_seq: last } = await trx
      .insertInto('user_sequences')
      .values({ user_id: userId, last_seq: 0 })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ last_seq: (eb) => eb.ref('user_sequences.last_seq') }),
      )
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    const seq = last + 1;
    const floor = pruneThrough(seq, keep);
    // Under the lock no other insert of this user is in flight, so the dedupe key's unique index
    // decides alone; the sequence moves (and old rows go) only when the notification was added.
    const row = await trx
      .with('added', (db) =>
        db
          .insertInto('notifications')
          .values({
            user_id: userId,
            seq,
            kind: draft.kind,
            title: draft.title,
            body: draft.body,
            facts: JSON.stringify(draft.facts),
            link: draft.link,
            order_id: draft.orderId ?? null,
            order_number: draft.orderNumber ?? null,
            dedupe_key: draft.dedupeKey,
            source_event_id: sourceEventId,
          })
          .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
          .returningAll(),
      )
      .with('advanced', (db) =>
        db
          .updateTable('user_sequences')
          .set({ last_seq: seq, floor_seq: sql<number>`greatest(floor_seq, ${floor})` })
          .where('user_id', '=', userId)
          .where(({ exists, selectFrom }) => exists(selectFrom('added').select('added.id'))),
      )
      .with('pruned', (db) =>
        db
          .deleteFrom('notifications')
          .where('user_id', '=', userId)
          .where('seq', '<=', floor)
          .where(({ exists, selectFrom }) => exists(selectFrom('added').select('added.id'))),
      )
      .selectFrom('added')
      .selectAll()
      .executeTakeFirst();
    return row ? toView(row as NotificationRow) : null;
  }

  /** The user's notifications after `seq`, oldest first. */
  async after(userId: string, seq: number, limit: number): Promise<NotificationView[]> {
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toView);
  }

  async keptRange(userId: string): Promise<KeptRange> {
    const row = await this.db
      .selectFrom('user_sequences')
      .select(['last_seq', 'floor_seq'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return { floor: row?.floor_seq ?? 0, last: row?.last_seq ?? 0 };
  }

  /** The newest seq of each of these users that has any. */
  async lastSeqs(userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('user_sequences')
      .select(['user_id', 'last_seq'])
      .where('user_id', '=', sql<string>`any(${userIds}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.user_id, r.last_seq]));
  }

  /** One page of the user's notifications but the `hidden` kinds, newest first. */
  page(userId: string, hidden: readonly NotificationKind[], page: number, size: number) {
    return fetchPage(
      this.db
        .selectFrom('notifications')
        .where('user_id', '=', userId)
        .$if(hidden.length > 0, (q) => q.where('kind', 'not in', hidden)),
      (q) => q.selectAll().orderBy('seq', 'desc'),
      { page, size },
      (rows) => rows.map(toView),
    );
  }

  async unreadCount(userId: string, hidden: readonly NotificationKind[]): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .$if(hidden.length > 0, (q) => q.where('kind', 'not in', hidden))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Marks one of the user's notifications read: `marked` when it was unread, `unchanged` when it was
   * read already, `missing` when the user has no such notification (or may not see it: `hidden`).
   */
  async markRead(
    userId: string,
    hidden: readonly NotificationKind[],
    id: string,
  ): Promise<'marked' | 'unchanged' | 'missing'> {
    const marked = await this.db
      .updateTable('notifications')
      .set({ read_at: sql<Date>`now()` })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .$if(hidden.length > 0, (q) => q.where('kind', 'not in', hidden))
      .executeTakeFirst();
    if (marked.numUpdatedRows > 0n) return 'marked';
    const found = await this.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .$if(hidden.length > 0, (q) => q.where('kind', 'not in', hidden))
      .executeTakeFirst();
    return found ? 'unchanged' : 'missing';
  }

  /**
   * Marks every unread notification of the user but the `hidden` kinds read; answers the highest seq
   * it marked (0: none). Seqs commit in order, so every notification up to that seq that the reader
   * sees is read afterwards.
   */
  async markAllRead(userId: string, hidden: readonly NotificationKind[]): Promise<number> {
    const row = await this.db
      .with('marked', (db) =>
        db
          .updateTable('notifications')
          .set({ read_at: sql<Date>`now()` })
          .where('user_id', '=', userId)
          .where('read_at', 'is', null)
          .$if(hidden.length > 0, (q) => q.where('kind', 'not in', hidden))
          .returning('seq'),
      )
      .selectFrom('marked')
      .select((eb) => eb.fn.max('marked.seq').as('upTo'))
      .executeTakeFirst();
    return Number(row?.upTo ?? 0);
  }
}
