import { type Kysely, type Migration, sql } from 'kysely';

/** The kit's own tables inside each service database. */
export interface MessagingTables {
  outbox: {
    seq: import('kysely').Generated<number>;
    id: string;
    topic: string;
    headers: Record<string, string>;
    payload: unknown;
    created_at: import('kysely').Generated<Date>;
    /**
     * Until when a relay that claimed the row publishes it alone (its lease, ADR 0022); null, or past:
     * free to claim. Set by the relay's claim, which commits before it publishes.
     */
    claimed_until: import('kysely').Generated<Date | null>;
    /** The claim that holds the lease (one per batch), so that only it renews or releases it. */
    claimed_by: import('kysely').Generated<string | null>;
  };
  inbox: {
    message_id: string;
    topic: string;
    processed_at: import('kysely').Generated<Date>;
  };
  dead_letters: {
    id: import('kysely').Generated<string>;
    message_id: string;
    queue: string;
    topic: string;
    headers: Record<string, string>;
    payload: unknown;
    error: string;
    attempts: number;
    failed_at: import('kysely').Generated<Date>;
    /** Set when replayed or discarded; the row is kept a while after (see retention.ts). */
    handled_at: import('kysely').Generated<Date | null>;
    outcome: import('kysely').Generated<'REPLAYED' | 'DISCARDED' | null>;
  };
}

export const messagingMigrations: Record<string, Migration> = {
  '0001_messaging': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox')
        .ifNotExists()
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('headers', 'jsonb', (c) => c.notNull())
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('inbox')
        .ifNotExists()
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('dead_letters')
        .ifNotExists()
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('headers', 'jsonb', (c) => c.notNull())
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '0002_retention': {
    async up(db: Kysely<unknown>) {
      // Handled dead letters stay a while: they keep their message's inbox row alive.
      await sql`alter table dead_letters add column if not exists handled_at timestamptz,
        add column if not exists outcome text`.execute(db);
      // What retention scans: old inbox rows, handled dead letters, dead letters by message.
      await sql`create index if not exists inbox_processed_at on inbox (processed_at)`.execute(db);
      await sql`create index if not exists dead_letters_message on dead_letters (message_id)`.execute(db);
      await sql`create index if not exists dead_letters_handled on dead_letters (handled_at)
        where handled_at is not null`.execute(db);
    },
  },
  '0003_outbox_lease': {
    async up(db: Kysely<unknown>) {
      // The relay's lease on the rows it publishes (ADR 0022). Nullable and without a default, so
      // adding them rewrites nothing, and a relay of the previous release, which knows nothing of them,
      // keeps working (ADR 0013).
      await sql`alter table outbox add column if not exists claimed_until timestamptz,
        add column if not exists claimed_by text`.execute(db);
    },
  },
};
