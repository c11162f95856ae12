import {
  ChatConversationAssigned,
  ChatConversationOpened,
  ChatConversationResolved,
} from '@sagamart/contracts';
import type {
  AgentView,
  ChatErrorCode,
  ChatMessage,
  ConversationStatus,
  ConversationView,
  MessagePage,
  SenderRole,
  TranscriptLanguage,
} from '@sagamart/contracts/http/chat';
import {
  type Config,
  type Identity,
  type Kysely,
  lockForTransaction,
  type Page,
  Problem,
  type RateLimiter,
  type ServiceContext,
  type Transaction,
} from '@sagamart/kit';
import { type Assignment, estimateWaitSeconds, planAssignments } from '../domain/assignment.ts';
import {
  type ConversationFacts,
  canRead,
  checkText,
  isAgent,
  mayAssign,
  mayResolve,
  movesReadMarker,
  planMessage,
  sideOf,
  takesPart,
} from '../domain/conversation.ts';
import { type TranscriptFacts, transcriptHeading, transcriptLine } from '../domain/transcript.ts';
import type { ChatUsers } from '../infra/chat-users.ts';
import {
  type ConversationRow,
  type ConversationStore,
  type MessageRow,
  toMessage,
} from '../infra/conversation-store.ts';
import type { Orders } from '../infra/orders.ts';
import type { PresenceStore } from '../infra/presence.ts';
import type { ChatDb } from '../infra/schema.ts';
import type { ChatEvent, ConversationRef } from './chat-events.ts';

const STATUS_OF: Record<ChatErrorCode, number> = {
  'bad-frame': 400,
  'text-too-long': 400,
  'text-empty': 400,
  'rate-limited': 429,
  'not-found': 404,
  conflict: 409,
  internal: 500,
};

/** A refusal both REST (problem+json) and the socket (an error frame with the same code) understand. */
export function refusal(
  code: ChatErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return new Problem(STATUS_OF[code], message, { code, extensions });
}

const NOT_FOUND = () => refusal('not-found', 'No such conversation');
const AGENT_OFFLINE = () =>
  new Problem(409, '접속하지 않은 상담원에게는 넘길 수 없습니다. 접속 중인 상담원을 골라 주세요.', {
    code: 'agent-offline',
  });
const ANOTHER_ACTIVE = () =>
  refusal('conflict', '진행 중인 다른 상담이 있습니다. 그 상담에서 이어서 문의해 주세요.');

export function refOf(row: ConversationRow): ConversationRef {
  return { id: row.id, customerId: row.customer_id, assigneeId: row.assignee_id, status: row.status };
}

function facts(row: ConversationRow): ConversationFacts {
  return { customerId: row.customer_id, assigneeId: row.assignee_id, status: row.status };
}

const ASSIGN_LOCK = 'sagamart.chat.assign';

type SendOutcome =
  | { duplicate: ChatMessage }
  | { appended: { message: MessageRow; conversation: ConversationRow }; reopened: boolean };

export interface ChatDeps {
  db: Kysely<ChatDb>;
  transaction: <T>(fn: (trx: Transaction<ChatDb>) => Promise<T>) => Promise<T>;
  store: ConversationStore;
  users: ChatUsers;
  orders: Orders;
  presence: PresenceStore;
  limiter: RateLimiter;
  config: Config;
  /** Adds a conversation's state change to the outbox (the kit's), inside the transaction that made it. */
  publish: ServiceContext['publish'];
  /** Delivers events to this instance's sockets and fans them out to the other instances. */
  emit: (events: ChatEvent[]) => void;
}

/** The chat's use cases: every read and write checks the caller against the conversation. */
export class Chat {
  constructor(private readonly deps: ChatDeps) {}

  private get cap(): number {
    return this.deps.config.number('chat.assignment.maxOpenPerAgent');
  }

  /** Records a user from their token until user-service's events name them (agents are transfer targets at once). */
  seen(identity: Identity): Promise<void> {
    return this.deps.users.seen(identity);
  }

  // ---- customer ----

  /** The customer's active conversation (created: false), or a new WAITING one about `orderId` if given. */
  async open(identity: Identity, orderId?: string): Promise<{ view: ConversationView; created: boolean }> {
    if (isAgent(identity.role))
      throw new Problem(403, 'Agents answer conversations; only customers open them', {
        code: 'agents-answer',
      });
    const { store } = this.deps;
    const existing = await store.active(identity.userId);
    if (existing) return { view: await this.view(identity, existing), created: false };
    const order = orderId ? await this.deps.orders.customersOwn(orderId) : null;
    await this.deps.users.seen(identity);
    const created = await this.deps.transaction(async (trx) => {
      const row = await store.create(trx, {
        customerId: identity.userId,
        orderId: order?.orderId ?? null,
        orderNumber: order?.orderNumber ?? null,
      });
      if (row) await this.announce(trx, row);
      return row;
    });
    if (!created) {
      // Opened concurrently (another tab): answer with the one that won.
      const winner = await store.active(identity.userId);
      if (winner) return { view: await this.view(identity, winner), created: false };
      throw refusal('conflict', 'Try again');
    }
    this.deps.emit([{ kind: 'queued', conversation: refOf(created) }, { kind: 'queue' }]);
    await this.autoAssign();
    const fresh = (await store.get(created.id)) ?? created;
    return { view: await this.view(identity, fresh), created: true };
  }

  async mine(identity: Identity): Promise<ConversationView[]> {
    return this.views(identity, await this.deps.store.mine(identity.userId));
  }

  /** The conversation if the caller may read it; 404 otherwise (someone else's is as unknown as a missing one). */
  async readable(identity: Identity, id: string): Promise<ConversationRow> {
    const row = await this.deps.store.get(id);
    if (!row || !canRead(identity, facts(row))) throw NOT_FOUND();
    return row;
  }

  async get(identity: Identity, id: string): Promise<ConversationView> {
    return this.view(identity, await this.readable(identity, id));
  }

  async history(
    identity: Identity,
    id: string,
    before: number | undefined,
    limit: number,
  ): Promise<MessagePage> {
    const row = await this.readable(identity, id);
    const page = await this.deps.store.page(id, before, limit);
    return { ...page, customerReadSeq: row.customer_read_seq, agentReadSeq: row.agent_read_seq };
  }

  /**
   * Every message after `since`, in order, in batches (the socket's resume); it ends early once the
   * caller may no longer read the conversation (taken by another agent, say).
   */
  async replay(
    identity: Identity,
    id: string,
    since: number,
    batch: number,
  ): Promise<AsyncIterable<ChatMessage[]>> {
    await this.readable(identity, id);
    const store = this.deps.store;
    return {
      async *[Symbol.asyncIterator]() {
        let after = since;
        for (;;) {
          const { messages, access } = await store.afterWithAccess(id, after, batch);
          if (access && !canRead(identity, access)) return;
          if (messages.length) yield messages;
          if (messages.length < batch) return;
          after = messages.at(-1)!.seq;
        }
      },
    };
  }

  /** The whole conversation as plain text, oldest first, in the reader's language. */
  async transcript(
    identity: Identity,
    id: string,
    language: TranscriptLanguage,
  ): Promise<{ text: string; filename: string }> {
    const row = await this.readable(identity, id);
    const facts: TranscriptFacts = {
      createdAt: row.created_at,
      orderNumber: row.order_number,
      status: row.status,
    };
    const lines = transcriptHeading(language, facts);
    // Each line is named by whoever wrote it: the agent of the time, not the one assigned now.
    const names = new Map<string, string | undefined>();
    for (let after = 0; ; ) {
      const messages = await this.deps.store.afterWithSenders(id, after, 500);
      const unknown = messages.map((m) => m.senderId).filter((sender) => !names.has(sender));
      if (unknown.length) {
        const found = await this.deps.users.names(unknown);
        for (const sender of unknown) names.set(sender, found.get(sender));
      }
      for (const m of messages)
        lines.push(
          transcriptLine(language, {
            at: new Date(m.at),
            senderRole: m.senderRole,
            senderName: names.get(m.senderId) ?? null,
            text: m.text,
          }),
        );
      if (messages.length < 500) break;
      after = messages.at(-1)!.seq;
    }
    return {
      text: `${lines.join('\n')}\n`,
      filename: `chat-${row.created_at.toISOString().slice(0, 10)}.txt`,
    };
  }

  // ---- messages, read markers, typing (REST and socket alike) ----

  /**
   * Stores a message with the next seq, once per clientMessageId (a resend answers the stored one with
   * `duplicate`). A customer's message reopens a RESOLVED conversation into the queue.
   */
  async send(
    identity: Identity,
    id: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const { store } = this.deps;
    const textRefusal = checkText(text);
    if (textRefusal) throw refusal(textRefusal.code, textRefusal.message);
    // A resend of a stored message takes no token (it stores nothing): the sender's own messages are
    // looked up first, by their unique key; then the token, before the conversation is read.
    const earlier = await store.findMessage(this.deps.db, id, identity.userId, clientMessageId);
    if (!earlier) await this.takeMessageToken(identity.userId);
    const row = await store.get(id);
    if (!row || !canRead(identity, facts(row))) throw NOT_FOUND();
    if (earlier) return { message: toMessage(earlier), duplicate: true };
    const senderRole = sideOf(identity.role);
    const outcome = await this.deps.transaction(async (trx): Promise<SendOutcome> => {
      const locked = await store.lock(trx, id);
      if (!locked) throw NOT_FOUND();
      const again = await store.findMessage(trx, id, identity.userId, clientMessageId);
      if (again) return { duplicate: toMessage(again) };
      const plan = planMessage(identity, facts(locked));
      if (plan.kind === 'refuse') throw refusal(plan.code, plan.message);
      let current = locked;
      if (plan.kind === 'reopen') {
        const other = await store.active(locked.customer_id, trx);
        if (other) throw ANOTHER_ACTIVE();
        // Another tab may open one after the look above: the unique index refuses the reopen then.
        const reopened = await store.reopen(trx, id);
        if (!reopened) throw ANOTHER_ACTIVE();
        current = reopened;
        await this.announce(trx, current);
      }
      const appended = await store.append(trx, current, {
        senderId: identity.userId,
        senderRole,
        clientMessageId,
        text,
      });
      return { appended, reopened: plan.kind === 'reopen' };
    });
    if ('duplicate' in outcome) return { message: outcome.duplicate, duplicate: true };
    const { appended, reopened } = outcome;
    const message = toMessage(appended.message);
    const ref = refOf(appended.conversation);
    const events: ChatEvent[] = [{ kind: 'message', conversation: ref, seq: message.seq, message }];
    if (reopened)
      events.push(
        { kind: 'status', conversation: ref },
        { kind: 'queued', conversation: ref },
        { kind: 'queue' },
      );
    this.deps.emit(events);
    if (reopened) await this.autoAssign();
    return { message, duplicate: false };
  }

  private async takeMessageToken(userId: string): Promise<void> {
    const { config, limiter } = this.deps;
    const messages = config.number('chat.rateLimit.messages');
    const perSeconds = config.number('chat.rateLimit.perSeconds');
    const decision = await limiter.take(`message:${userId}`, {
      capacity: messages,
      refillPerSecond: messages / perSeconds,
    });
    if (!decision.allowed)
      throw refusal(
        'rate-limited',
        `메시지를 너무 빨리 보내고 있습니다. ${decision.retryAfterSeconds}초 후에 다시 보내 주세요.`,
        {
          retryAfterSeconds: decision.retryAfterSeconds,
        },
      );
  }

  /**
   * The caller's side has read up to `seq`; the other side is told (read receipts). The agent side's
   * marker is its assignee's: an admin's read of another's conversation is accepted and changes nothing.
   */
  async markRead(identity: Identity, id: string, seq: number): Promise<void> {
    const row = await this.deps.store.get(id);
    if (!row || !takesPart(identity, facts(row))) throw NOT_FOUND();
    if (!movesReadMarker(identity, facts(row))) return;
    const by = sideOf(identity.role);
    const updated = await this.deps.store.markRead(
      id,
      by === 'CUSTOMER' ? { side: by } : { side: by, assigneeId: identity.userId },
      seq,
    );
    if (updated)
      this.deps.emit([
        {
          kind: 'read',
          conversation: refOf(updated),
          seq: by === 'CUSTOMER' ? updated.customer_read_seq : updated.agent_read_seq,
          by,
        },
      ]);
  }

  async typing(identity: Identity, id: string, typing: boolean): Promise<void> {
    const row = await this.deps.store.get(id);
    if (!row || !takesPart(identity, facts(row))) throw NOT_FOUND();
    this.deps.emit([{ kind: 'typing', conversation: refOf(row), by: sideOf(identity.role), typing }]);
  }

  // ---- agents ----

  /** WAITING: the queue; OPEN/RESOLVED: the caller's own (an admin's: everyone's). */
  async forAgent(
    identity: Identity,
    status: ConversationStatus,
    page: number,
    size: number,
  ): Promise<Page<ConversationView>> {
    await this.deps.users.seen(identity);
    const assignee = identity.role === 'ADMIN' ? null : identity.userId;
    const rows = await this.deps.store.forAgents(status, assignee, page, size);
    return { ...rows, content: await this.views(identity, rows.content) };
  }

  /**
   * Manual assignment: empty `agentId` takes it; the cap applies only to automatic assignment. It is
   * handed only to a colleague who is online (an offline one's would go back to the queue).
   */
  async assign(identity: Identity, id: string, agentId: string | undefined): Promise<ConversationView> {
    await this.deps.users.seen(identity);
    const target = agentId ?? identity.userId;
    if (target !== identity.userId) {
      if (!(await this.deps.users.agent(target)))
        throw new Problem(422, 'The assignee must be an active agent or admin', { code: 'not-an-agent' });
      if (!(await this.deps.presence.online()).includes(target)) throw AGENT_OFFLINE();
    }
    const before = await this.deps.store.get(id);
    const row = await this.deps.transaction(async (trx) => {
      const locked = await this.deps.store.lock(trx, id);
      if (!locked) throw NOT_FOUND();
      const refused = mayAssign(identity, facts(locked));
      if (refused) throw refusal(refused.code, refused.message);
      if (locked.status === 'OPEN' && locked.assignee_id === target) return locked;
      const assigned = await this.deps.store.assign(trx, id, target);
      await this.announce(trx, assigned);
      return assigned;
    });
    if (before?.status !== row.status || before?.assignee_id !== row.assignee_id)
      await this.emitAssigned([row], before?.status === 'WAITING');
    // The previous assignee has a free place now.
    await this.autoAssign();
    return this.view(identity, row);
  }

  async transfer(identity: Identity, id: string, agentId: string): Promise<ConversationView> {
    const row = await this.readable(identity, id);
    if (row.status !== 'OPEN') throw refusal('conflict', 'Only an OPEN conversation can be transferred');
    return this.assign(identity, id, agentId);
  }

  async resolve(identity: Identity, id: string): Promise<ConversationView> {
    const row = await this.deps.transaction(async (trx) => {
      const locked = await this.deps.store.lock(trx, id);
      if (!locked) throw NOT_FOUND();
      const refused = mayResolve(identity, facts(locked));
      if (refused) throw refusal(refused.code, refused.message);
      const resolved = await this.deps.store.resolve(trx, id);
      await this.announce(trx, resolved);
      return { wasWaiting: locked.status === 'WAITING', row: resolved };
    });
    this.deps.emit([
      { kind: 'status', conversation: refOf(row.row) },
      ...(row.wasWaiting ? [{ kind: 'queue' } as const] : []),
    ]);
    await this.autoAssign();
    return this.view(identity, row.row);
  }

  /** Every active agent and admin, with presence and load (the transfer picker). */
  async agents(): Promise<AgentView[]> {
    const [agents, online] = await Promise.all([this.deps.users.agents(), this.deps.presence.online()]);
    const onlineSet = new Set(online);
    const loads = await this.deps.store.loads(
      this.deps.db,
      agents.map((a) => a.userId),
    );
    return agents.map((a) => ({
      agentId: a.userId,
      name: a.name,
      role: a.role === 'ADMIN' ? 'ADMIN' : 'AGENT',
      online: onlineSet.has(a.userId),
      openConversations: loads.get(a.userId)?.open ?? 0,
    }));
  }

  /**
   * A customer's orders for the console. An agent reads them only while one of that customer's
   * conversations is assigned to them (OPEN); an admin always. Otherwise 404, as for a conversation.
   */
  async customerOrders(identity: Identity, customerId: string, page: number, size: number) {
    if (identity.role !== 'ADMIN') {
      const talking = await this.deps.db
        .selectFrom('conversations')
        .select('id')
        .where('customer_id', '=', customerId)
        .where('assignee_id', '=', identity.userId)
        .where('status', '=', 'OPEN')
        .executeTakeFirst();
      if (!talking) throw new Problem(404, 'No conversation with this customer is assigned to you');
    }
    return this.deps.orders.ofCustomer(customerId, page, size);
  }

  // ---- automatic assignment ----

  /**
   * Gives queued conversations, oldest first, to the least busy online agents under the cap. Runs
   * when the queue or an agent's load changes and when an agent comes online (and on a timer, for
   * triggers another instance missed). One instance at a time assigns (an advisory lock). `present`:
   * the agents who may answer, when the caller has just read them.
   */
  async autoAssign(present?: readonly string[]): Promise<Assignment[]> {
    const online = present ?? (await this.present());
    if (online.length === 0) return [];
    const cap = this.cap;
    const assigned = await this.deps.transaction(async (trx) => {
      await lockForTransaction(trx, ASSIGN_LOCK);
      const queue = await this.deps.store.queue(trx);
      if (queue.length === 0) return [];
      // Who may answer, read again under the lock: one suspended or demoted since `online` was read
      // has had their conversations given back (releaseIfRevoked takes this lock) and gets none again.
      const able = await this.deps.users.activeAgents(online, trx);
      if (able.length === 0) return [];
      const loads = await this.deps.store.loads(trx, able);
      const agents = [...loads]
        .sort(([a, x], [b, y]) => x.lastAssignedAt - y.lastAssignedAt || a.localeCompare(b))
        .map(([agentId, load]) => ({ agentId, open: load.open }));
      const plan = planAssignments(
        queue.map((q) => q.id),
        agents,
        cap,
      );
      const rows: ConversationRow[] = [];
      for (const step of plan) {
        const row = await this.deps.store.takeFromQueue(trx, step.conversationId, step.agentId);
        if (row) {
          await this.announce(trx, row);
          rows.push(row);
        }
      }
      return rows;
    });
    if (assigned.length) await this.emitAssigned(assigned, true);
    return assigned.map((r) => ({ conversationId: r.id, agentId: r.assignee_id! }));
  }

  // ---- agents who cannot answer ----

  /**
   * The assignment sweep (every chat.assignment.sweepMs, on every instance): conversations of agents
   * away too long go back to the queue, then the queue is offered to the online agents.
   */
  async sweep(): Promise<void> {
    const present = await this.present();
    try {
      await this.releaseAbsent(present);
    } finally {
      await this.autoAssign(present);
    }
  }

  /**
   * The agents who may answer now: online, and ACTIVE agents or admins (online is not enough: a
   * suspended or demoted agent's socket may still be open for a moment).
   */
  private async present(): Promise<string[]> {
    return this.deps.users.activeAgents(await this.deps.presence.online());
  }

  /**
   * Gives back to the queue the OPEN conversations of agents away (offline, or no longer allowed to
   * answer) for longer than chat.assignment.releaseOfflineAfterMs. What it gives back it has locked
   * (SKIP LOCKED: another instance sweeping skips it) and gives back only while still OPEN with that
   * agent, so a conversation is given back once.
   */
  private async releaseAbsent(present: readonly string[]): Promise<void> {
    const { store, config } = this.deps;
    const graceMs = config.number('chat.assignment.releaseOfflineAfterMs');
    if (!(await store.noteAway(present, graceMs))) return;
    const released = await this.deps.transaction(async (trx) =>
      this.requeueAll(trx, await store.awayTooLong(trx, present, graceMs, 500)),
    );
    this.emitRequeued(released);
  }

  /**
   * In the transaction that learnt of a change to `userId` (user.updated): if they may no longer
   * answer (suspended, demoted), their OPEN conversations go back to the queue at once. Returns them
   * for `requeued`, after commit.
   */
  async releaseIfRevoked(trx: Transaction<ChatDb>, userId: string): Promise<ConversationRow[]> {
    if ((await this.deps.users.activeAgents([userId], trx)).length) return [];
    // Under the assignment lock: an assignment under way commits first (what it gave them is given back
    // here), or runs after this commits and reads them as unable.
    await lockForTransaction(trx, ASSIGN_LOCK);
    return this.requeueAll(trx, await this.deps.store.heldBy(trx, userId));
  }

  private async requeueAll(trx: Transaction<ChatDb>, rows: ConversationRow[]): Promise<ConversationRow[]> {
    const requeued: ConversationRow[] = [];
    for (const held of rows) {
      const row = await this.deps.store.requeue(trx, held.id, held.assignee_id!);
      if (!row) continue;
      await this.announce(trx, row);
      requeued.push(row);
    }
    return requeued;
  }

  /** After commit: sockets hear the conversations are waiting again, and online agents are offered them. */
  async requeued(rows: ConversationRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.emitRequeued(rows);
    await this.autoAssign();
  }

  private emitRequeued(rows: ConversationRow[]): void {
    if (rows.length === 0) return;
    const events: ChatEvent[] = [];
    for (const row of rows)
      events.push({ kind: 'status', conversation: refOf(row) }, { kind: 'queued', conversation: refOf(row) });
    events.push({ kind: 'queue' });
    this.deps.emit(events);
  }

  private async emitAssigned(rows: ConversationRow[], leftQueue: boolean): Promise<void> {
    const names = await this.deps.users.names(rows.map((r) => r.assignee_id));
    const events: ChatEvent[] = [];
    for (const row of rows)
      events.push(
        {
          kind: 'assigned',
          conversation: refOf(row),
          agentId: row.assignee_id!,
          agentName: names.get(row.assignee_id!) ?? '상담원',
          lastSeq: row.last_seq,
        },
        { kind: 'status', conversation: refOf(row) },
      );
    if (leftQueue) events.push({ kind: 'queue' });
    this.deps.emit(events);
  }

  /** Publishes the conversation's new state through the outbox, in the transaction that changed it. */
  private async announce(trx: Transaction<ChatDb>, row: ConversationRow): Promise<void> {
    const { publish } = this.deps;
    const ref = { conversationId: row.id, customerId: row.customer_id, version: row.version };
    switch (row.status) {
      case 'WAITING':
        await publish(trx, ChatConversationOpened, {
          ...ref,
          orderId: row.order_id,
          queuedAt: row.queued_at.toISOString(),
        });
        return;
      case 'OPEN':
        await publish(trx, ChatConversationAssigned, {
          ...ref,
          assigneeId: row.assignee_id!,
          assignedAt: (row.assigned_at ?? row.updated_at).toISOString(),
        });
        return;
      case 'RESOLVED':
        await publish(trx, ChatConversationResolved, {
          ...ref,
          assigneeId: row.assignee_id,
          resolvedAt: (row.resolved_at ?? row.updated_at).toISOString(),
        });
        return;
    }
  }

  // ---- views ----

  /** Queue positions (1 = next) of every waiting conversation, and the figures of the wait estimate. */
  async queueState(): Promise<{
    positions: Map<string, { position: number; customerId: string }>;
    estimate: (position: number) => number | null;
    agentsOnline: boolean;
  }> {
    const [queue, online, average] = await Promise.all([
      this.deps.store.queue(),
      this.deps.presence.online(),
      this.deps.store.averageHandleSeconds(),
    ]);
    const handle = average ?? this.deps.config.number('chat.queue.defaultHandleSeconds');
    const cap = this.cap;
    return {
      positions: new Map(queue.map((q, i) => [q.id, { position: i + 1, customerId: q.customer_id }])),
      estimate: (position) => estimateWaitSeconds(position, online.length, cap, handle),
      agentsOnline: online.length > 0,
    };
  }

  async view(identity: Identity, row: ConversationRow): Promise<ConversationView> {
    return (await this.views(identity, [row]))[0]!;
  }

  async views(identity: Identity, rows: ConversationRow[]): Promise<ConversationView[]> {
    if (rows.length === 0) return [];
    const side: SenderRole = sideOf(identity.role);
    const [names, last, unread, queue] = await Promise.all([
      this.deps.users.names(rows.flatMap((r) => [r.customer_id, r.assignee_id])),
      this.deps.store.lastMessages(rows),
      this.deps.store.unread(rows, side),
      this.queueState(),
    ]);
    return rows.map((row) => {
      const waiting = row.status === 'WAITING' ? queue.positions.get(row.id)?.position : undefined;
      return {
        id: row.id,
        status: row.status,
        orderId: row.order_id,
        orderNumber: row.order_number,
        customerId: row.customer_id,
        customerName: names.get(row.customer_id) ?? '고객',
        assigneeId: row.assignee_id,
        assigneeName: row.assignee_id ? (names.get(row.assignee_id) ?? '상담원') : null,
        queuePosition: waiting ?? null,
        estimatedWaitSeconds: waiting ? queue.estimate(waiting) : null,
        agentsOnline: queue.agentsOnline,
        lastSeq: row.last_seq,
        lastMessage: last.get(row.id) ?? null,
        customerReadSeq: row.customer_read_seq,
        agentReadSeq: row.agent_read_seq,
        unreadCount: unread.get(row.id) ?? 0,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
        resolvedAt: row.resolved_at?.toISOString() ?? null,
      };
    });
  }
}
