import type { NotificationKind } from '@sagamart/contracts';
import { type Generated, type Kysely, type Migration, sql } from '@sagamart/kit';

export interface NotificationDb {
  notifications: {
    id: Generated<string>;
    user_id: string;
    /** Per user, from 1, no gaps (allocated under the user's row in user_sequences). */
    seq: number;
    kind: NotificationKind;
    title: string;
    body: string;
    link: string;
    order_id: string | null;
    order_number: string | null;
    /** One notification per user and key: the events describing one change share it. */
    dedupe_key: string;
    /** The message id of the event that made it. */
    source_event_id: string;
    read_at: Date | null;
    created_at: Generated<Date>;
  };
  user_sequences: {
    user_id: string;
    last_seq: number;
    /** Seqs up to this one were pruned: a resume from before it is a reset. */
    floor_seq: Generated<number>;
  };
  /** Users as user-service announced them (role and status), to address admin copies. */
  known_users: {
    user_id: string;
    version: number;
    is_admin: boolean;
    updated_at: Generated<Date>;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_notifications': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('user_id', 'uuid', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('link', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('order_number', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('source_event_id', 'text', (c) => c.notNull())
        .addColumn('read_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('notifications_user_seq', ['user_id', 'seq'])
        .addUniqueConstraint('notifications_user_dedupe', ['user_id', 'dedupe_key'])
        .execute();
      await sql`create index notifications_unread on notifications (user_id) where read_at is null`.execute(
        db,
      );
      await db.schema
        .createTable('user_sequences')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('last_seq', 'bigint', (c) => c.notNull())
        .addColumn('floor_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('known_users')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('is_admin', 'boolean', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index known_users_admins on known_users (user_id) where is_admin`.execute(db);
    },
  },
};
