import { type Kysely, sql } from 'kysely';
import type { MessagingTables } from './schema.ts';
import { HEADER, type Transport } from './transport.ts';

export interface DeadLetter {
  id: string;
  messageId: string;
  queue: string;
  topic: string;
  headers: Record<string, string>;
  payload: unknown;
  error: string;
  attempts: number;
  failedAt: string;
}

/**
 * The dead-letter store of one service: list, replay onto its queue, or discard. A handled letter is
 * marked, not deleted: it keeps its message's inbox row alive until retention removes both.
 */
export class DeadLetterStore {
  constructor(
    private readonly db: Kysely<MessagingTables>,
    private readonly transport: Transport,
  ) {}

  /** Dead letters not yet replayed or discarded, newest first. */
  async list(page: number, size: number): Promise<{ rows: DeadLetter[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('dead_letters')
        .selectAll()
        .where('handled_at', 'is', null)
        .orderBy('failed_at', 'desc')
        .limit(size)
        .offset(page * size)
        .execute(),
      this.db
        .selectFrom('dead_letters')
        .where('handled_at', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toDeadLetter), total: Number(count.n) };
  }

  /** Sends the message back to its queue with a fresh attempt count; false when it is not there. */
  async replay(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('dead_letters')
        .set({ handled_at: sql<Date>`now()`, outcome: 'REPLAYED' })
        .where('id', '=', id)
        .where('handled_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return false;
      const { [HEADER.attempt]: _attempt, ...headers } = row.headers;
      // Sent before commit: if sending fails the row stays; if commit fails the inbox absorbs a repeat.
      await this.transport.send(row.queue, {
        id: row.message_id,
        topic: row.topic,
        headers,
        payload: row.payload,
      });
      return true;
    });
  }

  async discard(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('dead_letters')
      .set({ handled_at: sql<Date>`now()`, outcome: 'DISCARDED' })
      .where('id', '=', id)
      .where('handled_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function toDeadLetter(row: {
  id: string;
  message_id: string;
  queue: string;
  topic: string;
  headers: Record<string, string>;
  payload: unknown;
  error: string;
  attempts: number;
  failed_at: Date;
}): DeadLetter {
  return {
    id: row.id,
    messageId: row.message_id,
    queue: row.queue,
    topic: row.topic,
    headers: row.headers,
    payload: row.payload,
    error: row.error,
    attempts: row.attempts,
    failedAt: row.failed_at.toISOString(),
  };
}
