import type { ChatMessage, ConversationStatus, SenderRole } from '@sagamart/contracts/http/chat';
import {
  fetchPage,
  isUniqueViolation,
  type Kysely,
  type Page,
  type Selectable,
  sql,
  type Transaction,
} from '@sagamart/kit';
import type { ChatDb } from './schema.ts';

type Db = Kysely<ChatDb>;
type Trx = Transaction<ChatDb>;
export type ConversationRow = Selectable<ChatDb['conversations']>;
export type MessageRow = Selectable<ChatDb['messages']>;

export function toMessage(row: MessageRow): ChatMessage {
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    clientMessageId: row.client_message_id,
    senderRole: row.sender_role,
    text: row.text,
    at: row.created_at.toISOString(),
  };
}

/** What deciding who may read a conversation takes (its customer, assignee and status). */
export interface ConversationAccess {
  customerId: string;
  assigneeId: string | null;
  status: ConversationStatus;
}

/** A stored message with the user who wrote it (not part of the wire message). */
export type SentMessage = ChatMessage & { senderId: string };

/** The most conversations a list or the queue reads at once. */
const LIST_LIMIT = 10_000;

/** Conversations and their messages, in the service's own database. */
export class ConversationStore {
  constructor(private readonly db: Db) {}

  get(id: string, db: Db | Trx = this.db): Promise<ConversationRow | undefined> {
    return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The row, locked until commit: messages, assignment and status changes of one conversation serialize on it. */
  lock(trx: Trx, id: string): Promise<ConversationRow | undefined> {
    return trx.selectFrom('conversations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  active(customerId: string, db: Db | Trx = this.db): Promise<ConversationRow | undefined> {
    return db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('status', '<>', 'RESOLVED')
      .executeTakeFirst();
  }

  /** A new WAITING conversation; undefined when the customer already has an active one (the unique index). */
  async create(
    trx: Trx,
    input: { customerId: string; orderId: string | null; orderNumber: string | null },
  ): Promise<ConversationRow | undefined> {
    return trx
      .insertInto('conversations')
      .values({
        customer_id: input.customerId,
        status: 'WAITING',
        order_id: input.orderId,
        order_number: input.orderNumber,
        queued_at: sql<Date>`clock_timestamp()`,
      })
      .onConflict((oc) => oc.column('customer_id').where('status', '<>', sql.lit('RESOLVED')).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  mine(customerId: string): Promise<ConversationRow[]> {
    return this.db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy(sql`status <> 'RESOLVED'`, 'desc')
      .orderBy('updated_at', 'desc')
      .limit(100)
      .execute();
  }

  /** WAITING: the whole queue, oldest first. OPEN/RESOLVED: the assignee's (every one for `assignee` null), newest first. */
  forAgents(
    status: ConversationStatus,
    assignee: string | null,
    page: number,
    size: number,
  ): Promise<Page<ConversationRow>> {
    let query = this.db.selectFrom('conversations').where('status', '=', status);
    if (status !== 'WAITING' && assignee) query = query.where('assignee_id', '=', assignee);
    return fetchPage(
      query,
      (q) =>
        status === 'WAITING'
          ? q.selectAll().orderBy('queued_at').orderBy('id')
          : q.selectAll().orderBy('updated_at', 'desc').orderBy('id'),
      { page, size },
    );
  }

  /** The queue, oldest first: ids and customers. */
  queue(db: Db | Trx = this.db): Promise<Array<{ id: string; customer_id: string }>> {
    return db
      .selectFrom('conversations')
      .select(['id', 'customer_id'])
      .where('status', '=', 'WAITING')
      .orderBy('queued_at')
      .orderBy('id')
      .limit(LIST_LIMIT)
      .execute();
  }

  /** 1 + how many queued before it. */
  async queuePosition(row: ConversationRow): Promise<number> {
    const { n } = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'WAITING')
      .where(sql<boolean>`(queued_at, id) < (${row.queued_at}, ${row.id})`)
      .executeTakeFirstOrThrow();
    return Number(n) + 1;
  }

  /** OPEN conversations per agent, and when each was last assigned one (for rotating ties). */
  async loads(
    db: Db | Trx,
    agentIds: readonly string[],
  ): Promise<Map<string, { open: number; lastAssignedAt: number }>> {
    const loads = new Map(agentIds.map((id) => [id, { open: 0, lastAssignedAt: 0 }]));
    if (agentIds.length === 0) return loads;
    const rows = await db
      .selectFrom('conversations')
      .select((eb) => [
        'assignee_id',
        eb.fn.count<string>(sql`case when status = 'OPEN' then 1 end`).as('open'),
        eb.fn.max('assigned_at').as('last'),
      ])
      .where('assignee_id', 'in', agentIds)
      .groupBy('assignee_id')
      .execute();
    for (const row of rows)
      loads.set(row.assignee_id!, {
        open: Number(row.open),
        lastAssignedAt: row.last ? new Date(row.last as unknown as string).getTime() : 0,
      });
    return loads;
  }

  async assign(trx: Trx, id: string, agentId: string): Promise<ConversationRow> {
    return this.assigning(trx, id, agentId).executeTakeFirstOrThrow();
  }

  /** Automatic assignment: only while it is still WAITING (undefined when someone took it meanwhile). */
  takeFromQueue(trx: Trx, id: string, agentId: string): Promise<ConversationRow | undefined> {
    return this.assigning(trx, id, agentId).where('status', '=', 'WAITING').executeTakeFirst();
  }

  private assigning(trx: Trx, id: string, agentId: string) {
    return trx
      .updateTable('conversations')
      .set({
        status: 'OPEN',
        assignee_id: agentId,
        assigned_at: sql<Date>`clock_timestamp()`,
        assignee_away_since: null,
        updated_at: sql<Date>`clock_timestamp()`,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .returningAll();
  }

  async resolve(trx: Trx, id: string): Promise<ConversationRow> {
    return trx
      .updateTable('conversations')
      .set({
        status: 'RESOLVED',
        resolved_at: sql<Date>`clock_timestamp()`,
        updated_at: sql<Date>`clock_timestamp()`,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Back into the queue (at its end), unassigned: a customer wrote to a resolved conversation.
   * Undefined when the customer has another active one (committed after the caller looked).
   */
  async reopen(trx: Trx, id: string): Promise<ConversationRow | undefined> {
    try {
      return await this.reopening(trx, id);
    } catch (error) {
      if (isUniqueViolation(error, 'conversations_one_active')) return undefined;
      throw error;
    }
  }

  private reopening(trx: Trx, id: string): Promise<ConversationRow> {
    return this.backToQueue(trx, id)
      .set({ resolved_at: null, queued_at: sql<Date>`clock_timestamp()` })
      .executeTakeFirstOrThrow();
  }

  /** Back into the queue, unassigned, with every trace of its assignee cleared. */
  private backToQueue(trx: Trx, id: string) {
    return trx
      .updateTable('conversations')
      .set({
        status: 'WAITING',
        assignee_id: null,
        assigned_at: null,
        assignee_away_since: null,
        updated_at: sql<Date>`clock_timestamp()`,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .returningAll();
  }

  // ---- assignees who cannot answer ----

  /**
   * Notes since when each OPEN conversation's assignee has been away (not among `present`), forgets
   * it for those back, and says whether any has been away longer than `graceMs`. One statement (the
   * sweep's, on every instance), which writes only changes: nothing at idle.
   */
  async noteAway(present: readonly string[], graceMs: number): Promise<boolean> {
    const away = present.length ? sql`assignee_id not in (${sql.join(present)})` : sql`true`;
    // A data-modifying WITH runs whether or not the query reads it; the select sees the rows before it.
    const { rows } = await sql<{ due: boolean }>`
      with noted as (
        update conversations
        set assignee_away_since = case when ${away} then clock_timestamp() end
        where status = 'OPEN' and (assignee_away_since is null) = (${away})
        returning id)
      select exists (
        select 1 from conversations
        where status = 'OPEN' and ${away}
          and assignee_away_since < clock_timestamp() - make_interval(secs => ${graceMs / 1000})
      ) as due`.execute(this.db);
    return rows[0]?.due === true;
  }

  /**
   * OPEN conversations whose assignee has been away for more than `graceMs` and still is, locked
   * until commit; those another instance holds are skipped (it is giving them back).
   */
  awayTooLong(
    trx: Trx,
    present: readonly string[],
    graceMs: number,
    limit: number,
  ): Promise<ConversationRow[]> {
    let query = trx
      .selectFrom('conversations')
      .selectAll()
      .where('status', '=', 'OPEN')
      .where(
        'assignee_away_since',
        '<',
        sql<Date>`clock_timestamp() - make_interval(secs => ${graceMs / 1000})`,
      );
    if (present.length) query = query.where('assignee_id', 'not in', present);
    return query.orderBy('queued_at').limit(limit).forUpdate().skipLocked().execute();
  }

  /** The OPEN conversations `agentId` holds, locked until commit. */
  heldBy(trx: Trx, agentId: string): Promise<ConversationRow[]> {
    return trx
      .selectFrom('conversations')
      .selectAll()
      .where('status', '=', 'OPEN')
      .where('assignee_id', '=', agentId)
      .limit(LIST_LIMIT)
      .forUpdate()
      .execute();
  }

  /**
   * Back into the queue, unassigned, at its place by when it was queued (its customer has waited already):
   * only while it is still OPEN with `agentId` (undefined otherwise: someone moved it meanwhile).
   */
  requeue(trx: Trx, id: string, agentId: string): Promise<ConversationRow | undefined> {
    return this.backToQueue(trx, id)
      .where('status', '=', 'OPEN')
      .where('assignee_id', '=', agentId)
      .executeTakeFirst();
  }

  /** Average seconds from assignment to resolution over the latest resolved conversations (null: none yet). */
  async averageHandleSeconds(): Promise<number | null> {
    const row = await sql<{ avg: string | null }>`
      select avg(extract(epoch from resolved_at - assigned_at)) as avg from (
        select resolved_at, assigned_at from conversations
        where status = 'RESOLVED' and assigned_at is not null
        order by resolved_at desc limit 50) recent`.execute(this.db);
    const avg = row.rows[0]?.avg;
    return avg === null || avg === undefined ? null : Number(avg);
  }

  /** The newest seq of each conversation, and who may read it now. */
  async lastSeqs(
    ids: readonly string[],
  ): Promise<Map<string, { lastSeq: number; access: ConversationAccess }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('conversations')
      .select(['id', 'last_seq', 'customer_id', 'assignee_id', 'status'])
      .where('id', 'in', ids)
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          lastSeq: r.last_seq,
          access: { customerId: r.customer_id, assigneeId: r.assignee_id, status: r.status },
        },
      ]),
    );
  }

  /** The conversations a user takes part in (a customer's own, an agent's OPEN ones) with their newest seq. */
  async participating(userId: string, asAgent: boolean): Promise<ConversationRow[]> {
    const query = this.db.selectFrom('conversations').selectAll();
    return (
      asAgent
        ? query.where('assignee_id', '=', userId).where('status', '=', 'OPEN')
        : query.where('customer_id', '=', userId).where('status', '<>', 'RESOLVED')
    )
      .limit(LIST_LIMIT)
      .execute();
  }

  // ---- messages ----

  findMessage(
    db: Db | Trx,
    conversationId: string,
    senderId: string,
    clientMessageId: string,
  ): Promise<MessageRow | undefined> {
    return db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('sender_id', '=', senderId)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
  }

  /** Appends a message with the next seq (the caller holds the conversation's lock); the sender has read it. */
  async append(
    trx: Trx,
    conversation: ConversationRow,
    message: { senderId: string; senderRole: SenderRole; clientMessageId: string; text: string },
  ): Promise<{ message: MessageRow; conversation: ConversationRow }> {
    const seq = conversation.last_seq + 1;
    const inserted = await trx
      .insertInto('messages')
      .values({
        conversation_id: conversation.id,
        seq,
        sender_id: message.senderId,
        sender_role: message.senderRole,
        client_message_id: message.clientMessageId,
        text: message.text,
        created_at: sql<Date>`clock_timestamp()`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const readColumn = message.senderRole === 'CUSTOMER' ? 'customer_read_seq' : 'agent_read_seq';
    const updated = await trx
      .updateTable('conversations')
      .set({ last_seq: seq, [readColumn]: seq, updated_at: sql<Date>`clock_timestamp()` })
      .where('id', '=', conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { message: inserted, conversation: updated };
  }

  /**
   * Moves one side's read marker (forward only, never past the newest message); the agent side's only
   * while `assigneeId` holds the conversation. The row after, or undefined if unchanged.
   */
  async markRead(
    id: string,
    marker: { side: 'CUSTOMER' } | { side: 'AGENT'; assigneeId: string },
    seq: number,
  ): Promise<ConversationRow | undefined> {
    const column = marker.side === 'CUSTOMER' ? 'customer_read_seq' : 'agent_read_seq';
    let update = this.db
      .updateTable('conversations')
      .set({ [column]: sql<number>`least(${seq}, last_seq)` })
      .where('id', '=', id)
      .where(column, '<', sql<number>`least(${seq}, last_seq)`);
    if (marker.side === 'AGENT') update = update.where('assignee_id', '=', marker.assigneeId);
    return update.returningAll().executeTakeFirst();
  }

  /** Up to `limit` messages before `before` (the newest when unset), ascending; and whether older ones exist. */
  async page(conversationId: string, before: number | undefined, limit: number) {
    let query = this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (before !== undefined) query = query.where('seq', '<', before);
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
  }

  /**
   * Up to `limit` messages after `since`, ascending, each with who may read its conversation read in
   * the same statement (one snapshot). The one query behind `afterWithAccess` and `afterWithSenders`.
   */
  private messagesAfter(conversationId: string, since: number, limit: number) {
    return this.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .selectAll('m')
      .select(['c.customer_id', 'c.assignee_id', 'c.status'])
      .where('m.conversation_id', '=', conversationId)
      .where('m.seq', '>', since)
      .orderBy('m.seq')
      .limit(limit)
      .execute();
  }

  /**
   * Messages after `since`, with who may read the conversation read in the same statement: a
   * message stored after a reader lost the conversation is never returned with access they still had.
   * `access` is undefined when there is no newer message.
   */
  async afterWithAccess(
    conversationId: string,
    since: number,
    limit: number,
  ): Promise<{ messages: ChatMessage[]; access: ConversationAccess | undefined }> {
    const rows = await this.messagesAfter(conversationId, since, limit);
    const first = rows[0];
    return {
      messages: rows.map(toMessage),
      access: first && {
        customerId: first.customer_id,
        assigneeId: first.assignee_id,
        status: first.status,
      },
    };
  }

  /** Messages after `since`, each with its sender (the transcript names every line by who wrote it). */
  async afterWithSenders(conversationId: string, since: number, limit: number): Promise<SentMessage[]> {
    const rows = await this.messagesAfter(conversationId, since, limit);
    return rows.map((row) => ({ ...toMessage(row), senderId: row.sender_id }));
  }

  /** The newest message of each conversation. */
  async lastMessages(rows: readonly ConversationRow[]): Promise<Map<string, ChatMessage>> {
    const wanted = rows.filter((r) => r.last_seq > 0);
    if (wanted.length === 0) return new Map();
    const found = await this.db
      .selectFrom('messages')
      .selectAll()
      .where((eb) =>
        eb.or(wanted.map((r) => eb.and([eb('conversation_id', '=', r.id), eb('seq', '=', r.last_seq)]))),
      )
      .execute();
    return new Map(found.map((m) => [m.conversation_id, toMessage(m)]));
  }

  /** Messages of the other side after the viewer's side's read marker, per conversation. */
  async unread(rows: readonly ConversationRow[], side: SenderRole): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const other: SenderRole = side === 'CUSTOMER' ? 'AGENT' : 'CUSTOMER';
    const marker = side === 'CUSTOMER' ? 'c.customer_read_seq' : 'c.agent_read_seq';
    const result = await sql<{ id: string; n: string }>`
      select c.id, count(m.seq) as n from conversations c
      join messages m on m.conversation_id = c.id and m.sender_role = ${other} and m.seq > ${sql.raw(marker)}
      where c.id in (${sql.join(rows.map((r) => r.id))})
      group by c.id`.execute(this.db);
    return new Map(result.rows.map((r) => [r.id, Number(r.n)]));
  }
}
