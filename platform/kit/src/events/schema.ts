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
};
