import type { CannedAnswer, CannedAnswerBody } from '@sagamart/contracts/http/chat';
import { conflict, isUniqueViolation, type Kysely, notFound, type Selectable, sql } from '@sagamart/kit';
import type { ChatDb } from './schema.ts';

type Row = Selectable<ChatDb['canned_answers']>;

function toView(row: Row): CannedAnswer {
  return {
    id: row.id,
    shortCode: row.short_code,
    content: row.content,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const taken = (shortCode: string) => conflict(`The short code "${shortCode}" is taken`, 'short-code-taken');

/** The team's canned answers (Chatwoot's canned responses), shared by every agent. */
export class CannedAnswers {
  constructor(private readonly db: Kysely<ChatDb>) {}

  async list(): Promise<CannedAnswer[]> {
    const rows = await this.db
      .selectFrom('canned_answers')
      .selectAll()
      .orderBy('short_code')
      .limit(1_000)
      .execute();
    return rows.map(toView);
  }

  async create(body: CannedAnswerBody, by: string): Promise<CannedAnswer> {
    try {
      const row = await this.db
        .insertInto('canned_answers')
        .values({ short_code: body.shortCode, content: body.content, created_by: by })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toView(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw taken(body.shortCode);
      throw error;
    }
  }

  async update(id: number, body: CannedAnswerBody): Promise<CannedAnswer> {
    try {
      const row = await this.db
        .updateTable('canned_answers')
        .set({ short_code: body.shortCode, content: body.content, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound('No such canned answer');
      return toView(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw taken(body.shortCode);
      throw error;
    }
  }

  async remove(id: number): Promise<void> {
    const result = await this.db.deleteFrom('canned_answers').where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound('No such canned answer');
  }
}
