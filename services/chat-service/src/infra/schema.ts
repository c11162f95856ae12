import type { UserRole, UserStatus } from '@sagamart/contracts';
import type { ConversationStatus, SenderRole } from '@sagamart/contracts/http/chat';
import type { Generated, Kysely, Migration } from '@sagamart/kit';
import { sql } from '@sagamart/kit';

export interface ChatDb {
  /** Chatwoot's conversation: one customer, at most one assignee, messages numbered by `last_seq`. */
  conversations: {
    id: Generated<string>;
    customer_id: string;
    status: ConversationStatus;
    order_id: string | null;
    order_number: string | null;
    assignee_id: string | null;
    /** The newest message's seq (allocated under this row's lock: no gaps, no duplicates). */
    last_seq: Generated<number>;
    /** Read markers: the highest seq each side has read. Unread counts are derived from them. */
    customer_read_seq: Generated<number>;
    agent_read_seq: Generated<number>;
    /** When it (last) entered the queue: the queue is ordered by it. */
    queued_at: Date;
    assigned_at: Date | null;
    /** Since when the OPEN conversation's assignee has been seen offline (or not allowed to answer); null while they are present. */
    assignee_away_since: Date | null;
    resolved_at: Date | null;
    /** Grows by one with every state change (status or assignee): the version of its published events. */
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  messages: {
    conversation_id: string;
    seq: number;
    sender_id: string;
    sender_role: SenderRole;
    /** The sender's id of the message: a resend with the same id is the same message. */
    client_message_id: string;
    text: string;
    created_at: Generated<Date>;
  };
  /** Users as user-service announced them (and, until it has, as their tokens named them: version 0). */
  chat_users: {
    user_id: string;
    version: number;
    name: string;
    email: string;
    role: UserRole;
    status: UserStatus;
  };
  canned_answers: {
    id: Generated<number>;
    short_code: string;
    content: string;
    created_by: string;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** Agents online per instance (without Redis): a lease renewed by the instance's heartbeat. */
  agent_presence: {
    instance_id: string;
    agent_id: string;
    connections: number;
    expires_at: Date;
  };
}

export const migrations: Record<string, Migration> = {
  '0001_chat': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('customer_id', 'uuid', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('WAITING', 'OPEN', 'RESOLVED')`))
        .addColumn('order_id', 'text')
        .addColumn('order_number', 'text')
        .addColumn('assignee_id', 'uuid')
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('customer_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('agent_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queued_at', 'timestamptz', (c) => c.notNull())
        .addColumn('assigned_at', 'timestamptz')
        .addColumn('resolved_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // One active (WAITING or OPEN) conversation per customer.
      await sql`create unique index conversations_one_active on conversations (customer_id) where status <> 'RESOLVED'`.execute(
        db,
      );
      await sql`create index conversations_queue on conversations (queued_at) where status = 'WAITING'`.execute(
        db,
      );
      await sql`create index conversations_assignee on conversations (assignee_id, status, updated_at)`.execute(
        db,
      );
      await sql`create index conversations_customer on conversations (customer_id, updated_at)`.execute(db);
      await db.schema
        .createTable('messages')
        .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sender_id', 'uuid', (c) => c.notNull())
        .addColumn('sender_role', 'text', (c) => c.notNull().check(sql`sender_role in ('CUSTOMER', 'AGENT')`))
        .addColumn('client_message_id', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('messages_pk', ['conversation_id', 'seq'])
        .addUniqueConstraint('messages_client_id', ['conversation_id', 'sender_id', 'client_message_id'])
        .execute();
      await db.schema
        .createTable('chat_users')
        .addColumn('user_id', 'uuid', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('canned_answers')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('short_code', 'text', (c) => c.notNull().unique())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('created_by', 'uuid', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('agent_presence')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'uuid', (c) => c.notNull())
        .addColumn('connections', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_presence_pk', ['instance_id', 'agent_id'])
        .execute();
    },
  },
  '0002_conversation_version': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('conversations')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  },
  '0003_assignee_away': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('conversations').addColumn('assignee_away_since', 'timestamptz').execute();
      // The offline sweep reads the OPEN conversations on every instance every few seconds.
      await sql`create index conversations_open on conversations (assignee_id) where status = 'OPEN'`.execute(
        db,
      );
    },
  },
};
