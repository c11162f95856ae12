import { type Kysely, sql } from 'kysely';
import type { RetentionTask } from '../retention.ts';
import type { MessagingTables } from './schema.ts';

/**
 * How long the kit keeps its own rows (config `retention.*`, read on every pass).
 *
 * An inbox row must outlive every possible redelivery of its message, or a late copy would be
 * applied twice. A copy can come from the broker (an unacked delivery after a crash: the PostgreSQL
 * queue's 30 s lease, RabbitMQ at reconnect; retries spread over at most maxAttempts × maxDelayMs),
 * from the outbox relay (a producer that crashed between publishing and deleting its row re-sends
 * when it starts again: as late as that service's longest outage), from messages waiting in a queue
 * while the consumer is down, and from a dead-letter replay (any time an admin chooses). The first
 * three are bounded by how long a service may stay down: `retention.inboxSeconds` (default 7 days)
 * must exceed it. The last is not bounded in time, so an inbox row is kept as long as a dead letter of
 * its message is unhandled, and for `inboxSeconds` after it was replayed or discarded.
 */
export interface MessagingRetention {
  inboxSeconds: number;
  /** Handled (replayed or discarded) dead letters; never less than inboxSeconds (they anchor inbox rows). */
  deadLetterSeconds: number;
}

export function messagingRetentionTasks(
  db: Kysely<MessagingTables>,
  settings: () => MessagingRetention,
): RetentionTask[] {
  const before = (seconds: number) => sql<Date>`now() - ${seconds} * interval '1 second'`;
  return [
    {
      table: 'inbox',
      async prune(limit) {
        const { inboxSeconds } = settings();
        const result = await sql`
          delete from inbox where message_id in (
            select i.message_id from inbox i
            where i.processed_at < ${before(inboxSeconds)}
              and not exists (
                select 1 from dead_letters d
                where d.message_id = i.message_id
                  and (d.handled_at is null or d.handled_at >= ${before(inboxSeconds)})
              )
            order by i.processed_at
            limit ${limit}
            for update skip locked
          )`.execute(db);
        return Number(result.numAffectedRows ?? 0);
      },
    },
    {
      table: 'dead_letters',
      async prune(limit) {
        const { inboxSeconds, deadLetterSeconds } = settings();
        const result = await sql`
          delete from dead_letters where id in (
            select id from dead_letters
            where handled_at < ${before(Math.max(inboxSeconds, deadLetterSeconds))}
            order by handled_at
            limit ${limit}
            for update skip locked
          )`.execute(db);
        return Number(result.numAffectedRows ?? 0);
      },
    },
  ];
}
