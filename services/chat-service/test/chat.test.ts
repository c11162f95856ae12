import { randomUUID } from 'node:crypto';
import { UserUpdated } from '@sagamart/contracts';
import { type Service, sql } from '@sagamart/kit';
import { EventProbe, eventsHandled } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import {
  ChatSocket,
  chatApi,
  deployment,
  eventually,
  heldBroadcasts,
  OpenSockets,
  type Person,
  person,
  startChat,
} from './support.ts';

describe('chat-service: queue and assignment', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();
  const connect = (who: Person) => sockets.open(service, who);

  beforeAll(async () => {
    service = await startChat(deployment({ chat: { assignment: { maxOpenPerAgent: 2 } } }));
    chat = chatApi(service);
  });
  afterAll(async () => {
    sockets.closeAll();
    await service?.stop();
  });

  it('queues a customer with a position and no estimate while no agent is online; one active conversation each', async () => {
    const first = person();
    const second = person();
    const a = await chat.open(first);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      status: 'WAITING',
      orderId: null,
      queuePosition: 1,
      estimatedWaitSeconds: null,
      agentsOnline: false,
    });
    const again = await chat.open(first);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(a.body.id);
    const b = await chat.open(second);
    expect(b.body.queuePosition).toBe(2);
    // Messages wait in the queue for the next agent.
    expect((await chat.send(first, a.body.id, '배송이 언제 되나요?')).status).toBe(201);

    // The least busy online agent takes them, up to the cap (2); the third waits.
    const third = person();
    const c = await chat.open(third);
    const agent = person('AGENT', '상담원');
    const console = await connect(agent);
    await eventually(async () => (await chat.get(second, b.body.id)).body.status === 'OPEN');
    expect((await chat.get(first, a.body.id)).body).toMatchObject({
      status: 'OPEN',
      assigneeId: agent.userId,
    });
    const waiting = (await chat.get(third, c.body.id)).body;
    expect(waiting).toMatchObject({ status: 'WAITING', queuePosition: 1, agentsOnline: true });
    expect(waiting.estimatedWaitSeconds).toBeGreaterThan(0);
    await console.waitFor('assigned', (f) => f.conversationId === a.body.id);

    // A second agent comes online: the waiting one goes to them (the least busy).
    const colleague = person('AGENT', '동료');
    await connect(colleague);
    await eventually(async () => (await chat.get(third, c.body.id)).body.assigneeId === colleague.userId);

    // The first agent transfers one to the colleague (manual: over the cap is fine), then cannot read it.
    const moved = await chat.transfer(agent, a.body.id, colleague.userId);
    expect(moved.status).toBe(200);
    expect(moved.body.assigneeId).toBe(colleague.userId);
    expect((await chat.get(agent, a.body.id)).status).toBe(404);
    expect((await chat.agentList(colleague, 'OPEN')).body.totalElements).toBe(2);
    // The customer heard who took over.
    const customerSocket = await connect(first);
    await customerSocket.send({ type: 'resume', conversationId: a.body.id, since: 0 });
    await customerSocket.waitFor('resumed');
    expect(customerSocket.seqs(a.body.id)).toEqual([1]);
  });

  it('lets an agent take a waiting conversation by hand and resolve it; the customer reopens it by writing', async () => {
    // The first agent holds one (after the transfer), the colleague two: the next goes to the first agent.
    const before = person();
    const { body: assigned } = await chat.open(before);
    expect(assigned.status).toBe('OPEN');
    const customer = person();
    const admin = person('ADMIN');
    const { body: opened } = await chat.open(customer);
    // Both agents are at the cap (2 each) now, so it waits.
    expect(opened).toMatchObject({ status: 'WAITING', queuePosition: 1 });
    const taken = await chat.assign(admin, opened.id);
    expect(taken.body).toMatchObject({ status: 'OPEN', assigneeId: admin.userId });
    const resolved = await chat.resolve(admin, opened.id);
    expect(resolved.body.status).toBe('RESOLVED');
    expect((await chat.send(customer, opened.id, '하나 더 물어볼게요')).status).toBe(201);
    const reopened = (await chat.get(customer, opened.id)).body;
    expect(reopened.status).toBe('WAITING');
    expect(reopened.lastSeq).toBe(1);
  });
});

describe('chat-service: who is assigned', () => {
  let service: Service<ChatDb>;
  let probe: EventProbe;
  const sockets = new OpenSockets();
  beforeAll(async () => {
    const config = deployment();
    [service, probe] = await Promise.all([startChat(config), EventProbe.start(config)]);
  });
  afterAll(async () => {
    sockets.closeAll();
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  it('assigns nothing to an agent suspended while their console is open', async () => {
    const chat = chatApi(service);
    const suspended = person('AGENT', 'suspended');
    await sockets.open(service, suspended);
    // The admin suspends them; chat-service hears of it (their socket is still open here).
    const handled = await eventsHandled(service, 'user.updated');
    await probe.publish(UserUpdated, {
      userId: suspended.userId,
      version: 2,
      email: `suspended-${suspended.userId.slice(0, 6)}@example.test`,
      name: '정지된 상담원',
      phone: null,
      role: 'AGENT',
      status: 'SUSPENDED',
      grade: 'NORMAL',
      changes: ['status'],
      updatedAt: new Date().toISOString(),
    });
    await eventually(async () => (await eventsHandled(service, 'user.updated')) > handled);

    const customer = person();
    const { body: opened } = await chat.open(customer);
    // The next agent to come online takes it: it was left in the queue for them.
    const active = person('AGENT', 'active');
    await sockets.open(service, active);
    const taken = await eventually(async () => {
      const view = (await chat.get(customer, opened.id)).body;
      return view.status === 'OPEN' ? view : undefined;
    });
    expect(taken.assigneeId).toBe(active.userId);
  });
});

describe('chat-service: messages and authorization', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();
  const connect = (who: Person) => sockets.open(service, who);
  let customer: Person;
  let agent: Person;
  let conversationId: string;

  beforeAll(async () => {
    service = await startChat(deployment({ chat: { rateLimit: { messages: 20, perSeconds: 10 } } }));
    chat = chatApi(service);
    customer = person();
    agent = person('AGENT');
    conversationId = (await chat.open(customer)).body.id;
    await connect(agent);
    await eventually(async () => (await chat.get(customer, conversationId)).body.status === 'OPEN');
  });
  afterAll(async () => {
    sockets.closeAll();
    await service?.stop();
  });

  it('answers 404 for another customer’s conversation, over REST and over the socket (which stays open)', async () => {
    const stranger = person();
    expect((await chat.get(stranger, conversationId)).status).toBe(404);
    expect((await chat.history(stranger, conversationId)).status).toBe(404);
    expect((await chat.send(stranger, conversationId, '안녕')).status).toBe(404);
    expect((await chat.get(person('AGENT'), conversationId)).status).toBe(404);
    expect((await chat.get(person('ADMIN'), conversationId)).status).toBe(200);
    expect((await chat.agentList(stranger, 'WAITING')).status).toBe(403);

    const socket = await connect(stranger);
    for (const frame of [
      { type: 'resume', conversationId, since: 0 },
      { type: 'message', conversationId, clientMessageId: 'x1', text: '몰래' },
      { type: 'read', conversationId, seq: 1 },
      { type: 'typing', conversationId, typing: true },
    ])
      await socket.send(frame);
    await eventually(() => socket.of('error').length === 4);
    expect(socket.of('error').map((e) => e.code)).toEqual([
      'not-found',
      'not-found',
      'not-found',
      'not-found',
    ]);
    expect(socket.of('message')).toEqual([]);
    await socket.send({ type: 'ping' });
    await socket.waitFor('pong');
    await socket.send('not json');
    await socket.waitFor('error', (e) => e.code === 'bad-frame');
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
  });

  it('stores a resent message once (same clientMessageId) and answers the resend with the stored one', async () => {
    const socket = await connect(customer);
    const clientMessageId = randomUUID();
    const frame = { type: 'message', conversationId, clientMessageId, text: '주문 취소하고 싶어요' } as const;
    await socket.send(frame);
    const first = await socket.waitFor('message', (m) => m.clientMessageId === clientMessageId);
    await socket.send(frame);
    await eventually(
      () => socket.of('message').filter((m) => m.clientMessageId === clientMessageId).length === 2,
    );
    const [a, b] = socket.of('message').filter((m) => m.clientMessageId === clientMessageId);
    expect(b).toEqual(a);
    expect(first.senderRole).toBe('CUSTOMER');
    const http = await chat.send(customer, conversationId, frame.text, clientMessageId);
    expect(http.status).toBe(200);
    expect(http.body.seq).toBe(first.seq);
    const history = (await chat.history(customer, conversationId)).body;
    expect(
      history.messages.filter((m: { clientMessageId: string }) => m.clientMessageId === clientMessageId),
    ).toHaveLength(1);
  });

  it('refuses a too-long message with an error frame and keeps the socket; 2,000 code points pass', async () => {
    const socket = await connect(customer);
    await socket.send({
      type: 'message',
      conversationId,
      clientMessageId: 'long-1',
      text: '😀'.repeat(2_001),
    });
    const error = await socket.waitFor('error', (e) => e.clientMessageId === 'long-1');
    expect(error.code).toBe('text-too-long');
    await socket.send({
      type: 'message',
      conversationId,
      clientMessageId: 'long-2',
      text: '😀'.repeat(2_000),
    });
    const ok = await socket.waitFor('message', (m) => m.clientMessageId === 'long-2');
    expect([...ok.text]).toHaveLength(2_000);
  });

  it('resumes after a disconnect: exactly the missed messages, in order, then live ones', async () => {
    const agentSocket = await connect(agent);
    const customerSocket = await connect(customer);
    await customerSocket.send({
      type: 'message',
      conversationId,
      clientMessageId: randomUUID(),
      text: '하나',
    });
    const seen = await agentSocket.waitFor('message', (m) => m.text === '하나');
    agentSocket.close();
    await agentSocket.closed;
    for (const text of ['둘', '셋', '넷'])
      await customerSocket.send({ type: 'message', conversationId, clientMessageId: randomUUID(), text });
    await eventually(
      () => customerSocket.of('message').filter((m) => ['둘', '셋', '넷'].includes(m.text)).length === 3,
    );

    const again = await connect(agent);
    await again.send({ type: 'resume', conversationId, since: seen.seq });
    await again.waitFor('resumed');
    await customerSocket.send({
      type: 'message',
      conversationId,
      clientMessageId: randomUUID(),
      text: '다섯',
    });
    await again.waitFor('message', (m) => m.text === '다섯');
    const order = again.received
      .filter((f) => f.type === 'message' || f.type === 'resumed')
      .map((f) => (f.type === 'message' ? f.text : f.type));
    expect(order).toEqual(['둘', '셋', '넷', 'resumed', '다섯']);
    expect(again.seqs(conversationId)).toEqual([seen.seq + 1, seen.seq + 2, seen.seq + 3, seen.seq + 4]);

    // Typing and read marks reach the other side.
    await again.send({ type: 'typing', conversationId, typing: true });
    await customerSocket.waitFor('typing', (t) => t.by === 'AGENT' && t.typing);
    await again.send({ type: 'read', conversationId, seq: seen.seq + 4 });
    await customerSocket.waitFor('read', (r) => r.by === 'AGENT' && r.seq === seen.seq + 4);
    const view = (await chat.get(agent, conversationId)).body;
    expect(view).toMatchObject({ agentReadSeq: seen.seq + 4, unreadCount: 0 });
  });

  it('pages history: ascending within a page, older pages by before', async () => {
    const last = (await chat.get(customer, conversationId)).body.lastSeq as number;
    const newest = (await chat.history(customer, conversationId, '?limit=3')).body;
    expect(newest.messages.map((m: { seq: number }) => m.seq)).toEqual([last - 2, last - 1, last]);
    expect(newest.hasMore).toBe(true);
    const older = (await chat.history(customer, conversationId, `?limit=3&before=${last - 2}`)).body;
    expect(older.messages.map((m: { seq: number }) => m.seq)).toEqual([last - 5, last - 4, last - 3]);
  });

  it('limits messages per user and says when to retry', async () => {
    const limited = await startChat(deployment({ chat: { rateLimit: { messages: 3, perSeconds: 60 } } }));
    try {
      const api = chatApi(limited);
      const who = person();
      const id = (await api.open(who)).body.id;
      for (let i = 0; i < 3; i++) expect((await api.send(who, id, `${i}`)).status).toBe(201);
      const refused = await api.send(who, id, 'too many');
      expect(refused.status).toBe(429);
      expect(refused.body.type).toBe('urn:sagamart:problem:rate-limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const socket = new ChatSocket(`${limited.url.replace(/^http/, 'ws')}/ws/chat`, who.headers);
      await socket.send({ type: 'message', conversationId: id, clientMessageId: 'r1', text: '또' });
      expect((await socket.waitFor('error')).code).toBe('rate-limited');
      // The token comes before the conversation is read: a made-up conversation is limited too.
      expect((await api.send(who, randomUUID(), 'made up')).status).toBe(429);
      await socket.send({ type: 'message', conversationId: randomUUID(), clientMessageId: 'r2', text: '또' });
      expect((await socket.waitFor('error', (e) => e.clientMessageId === 'r2')).code).toBe('rate-limited');
      socket.close();
    } finally {
      await limited.stop();
    }
  });

  it('keeps canned answers, and shows a customer’s orders only to the agent talking to them', async () => {
    const api = chat.api;
    const created = await api.post(
      '/api/agent/canned-answers',
      { shortCode: '인사', content: '안녕하세요, 상담원입니다.' },
      agent.headers,
    );
    expect(created.status).toBe(201);
    expect(
      (await api.post('/api/agent/canned-answers', { shortCode: '인사', content: 'x' }, agent.headers))
        .status,
    ).toBe(409);
    // An answer with nothing to see is refused, as a message would be.
    const blank = await api.post(
      '/api/agent/canned-answers',
      { shortCode: 'blank', content: '  \u200b ' },
      agent.headers,
    );
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([{ field: 'content', message: '메시지를 입력해 주세요.' }]);
    const changed = await api.put(
      `/api/agent/canned-answers/${created.body.id}`,
      { shortCode: '인사', content: '반갑습니다' },
      agent.headers,
    );
    expect(changed.body.content).toBe('반갑습니다');
    expect((await api.get('/api/agent/canned-answers', agent.headers)).body.content).toHaveLength(1);
    expect((await api.get('/api/agent/canned-answers', customer.headers)).status).toBe(403);
    expect((await api.delete(`/api/agent/canned-answers/${created.body.id}`, agent.headers)).status).toBe(
      204,
    );

    const other = person('AGENT');
    expect((await api.get(`/api/agent/customers/${customer.userId}/orders`, other.headers)).status).toBe(404);
    expect((await api.get(`/api/agent/customers/${customer.userId}/orders`, customer.headers)).status).toBe(
      403,
    );

    // A message that tries to pass one of its lines off as the agent's stays one message.
    const forged = '네\n[2026. 12. 7. 14시 41분] 상담원: 전액 환불해 드렸습니다';
    expect(
      (
        await api.post(
          `/api/chat/conversations/${conversationId}/messages`,
          { clientMessageId: randomUUID(), text: forged },
          customer.headers,
        )
      ).status,
    ).toBe(201);

    const res = await fetch(`${service.url}/api/chat/conversations/${conversationId}/transcript`, {
      headers: customer.headers,
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('주문 취소하고 싶어요');
    expect(text).toContain('상담 기록');
    expect(text).toContain(': 네\n    [2026. 12. 7. 14시 41분] 상담원: 전액 환불해 드렸습니다\n');
    expect(text.split('\n').filter((line) => line.includes('전액 환불'))).toEqual([
      '    [2026. 12. 7. 14시 41분] 상담원: 전액 환불해 드렸습니다',
    ]);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="chat-\d{4}-\d{2}-\d{2}\.txt"$/,
    );

    // In English: the transcript's own words change, the messages stay as written.
    const english = await fetch(
      `${service.url}/api/chat/conversations/${conversationId}/transcript?lang=en`,
      { headers: customer.headers },
    );
    const englishText = await english.text();
    expect(englishText).toMatch(/^Chat transcript \(\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2} KST\)\n/);
    expect(englishText).toContain('Status: ');
    expect(englishText).toContain('주문 취소하고 싶어요');
    expect(englishText).not.toContain('상담 기록');
    const unknown = await fetch(
      `${service.url}/api/chat/conversations/${conversationId}/transcript?lang=fr`,
      { headers: customer.headers },
    );
    expect(unknown.status).toBe(400);
  });

  it('names each transcript line by who wrote it, across a transfer and a reopen', async () => {
    const who = person('USER', '고객');
    const admin = person('ADMIN');
    const first = person('AGENT', '첫상담');
    const second = person('AGENT', '둘상담');
    // Both are online (transfer targets): their consoles hold sockets.
    for (const a of [first, second]) {
      await connect(a);
      await eventually(async () =>
        (await chat.api.get('/api/agent/agents', a.headers)).body.content.some(
          (x: { agentId: string; online: boolean }) => x.agentId === a.userId && x.online,
        ),
      );
    }
    const id = (await chat.open(who)).body.id as string;
    expect((await chat.assign(admin, id, { agentId: first.userId })).body.assigneeId).toBe(first.userId);
    expect((await chat.send(first, id, '첫 상담원의 답')).status).toBe(201);
    expect((await chat.transfer(first, id, second.userId)).status).toBe(200);
    expect((await chat.send(second, id, '둘째 상담원의 답')).status).toBe(201);
    expect((await chat.resolve(second, id)).status).toBe(200);
    // Reopened: nobody (or another agent) is assigned now; the lines keep their writers.
    expect((await chat.send(who, id, '다시 질문합니다')).status).toBe(201);

    const res = await fetch(`${service.url}/api/chat/conversations/${id}/transcript`, {
      headers: who.headers,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\n');
    const nameOf = (p: Person, name: string) => `${name}-${p.userId.slice(0, 6)}`;
    const lineOf = (text: string) => lines.find((line) => line.endsWith(`: ${text}`));
    expect(lineOf('첫 상담원의 답')).toMatch(new RegExp(`\\] ${nameOf(first, '첫상담')}: `));
    expect(lineOf('둘째 상담원의 답')).toMatch(new RegExp(`\\] ${nameOf(second, '둘상담')}: `));
    expect(lineOf('다시 질문합니다')).toMatch(new RegExp(`\\] ${nameOf(who, '고객')}: `));
  });

  it('answers 409 (over the socket: conflict, naming the message) when another tab opened a conversation as a message reopened a resolved one', async () => {
    const admin = person('ADMIN');
    const { db } = service.context;
    /**
     * Runs `send` while another tab's new conversation of the customer is inserted and not yet
     * committed: the message finds no other active one, its reopen waits on the unique index, and the
     * insert commits then.
     */
    const racing = async <T>(who: Person, send: () => Promise<T>): Promise<T> => {
      let commit = () => {};
      const inserted = new Promise<void>((resolve, reject) => {
        db.transaction()
          .execute(async (trx) => {
            await sql`insert into conversations (customer_id, status, queued_at)
              values (${who.userId}, 'WAITING', now())`.execute(trx);
            resolve();
            await new Promise<void>((r) => {
              commit = r;
            });
          })
          .catch(reject);
      });
      await inserted;
      try {
        const sending = send();
        await eventually(async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event = 'transactionid'`.execute(db);
          return rows[0]!.n > 0;
        });
        commit();
        return await sending;
      } finally {
        commit();
      }
    };
    const resolvedOf = async (who: Person) => {
      const id = (await chat.open(who)).body.id as string;
      expect((await chat.resolve(admin, id)).status).toBe(200);
      return id;
    };

    const viaRest = person();
    const restId = await resolvedOf(viaRest);
    const refused = await racing(viaRest, () => chat.send(viaRest, restId, '하나 더 물어볼게요'));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: 'urn:sagamart:problem:conflict',
      detail: '진행 중인 다른 상담이 있습니다. 그 상담에서 이어서 문의해 주세요.',
    });

    const viaSocket = person();
    const socketId = await resolvedOf(viaSocket);
    const socket = await connect(viaSocket);
    const error = await racing(viaSocket, async () => {
      await socket.send({
        type: 'message',
        conversationId: socketId,
        clientMessageId: 'other-tab-1',
        text: '하나 더 물어볼게요',
      });
      return socket.waitFor('error');
    });
    expect(error).toMatchObject({
      code: 'conflict',
      conversationId: socketId,
      clientMessageId: 'other-tab-1',
    });
  });

  it('passes on about one typing frame a second of a burst', async () => {
    const customerSocket = await connect(customer);
    const agentSocket = await connect(agent);
    const started = Date.now();
    for (let i = 0; i < 30; i++)
      await customerSocket.send({ type: 'typing', conversationId, typing: i % 2 === 0 });
    // Frames of one conversation are handled in order: the message comes after every typing frame.
    const clientMessageId = randomUUID();
    await customerSocket.send({ type: 'message', conversationId, clientMessageId, text: '다 썼어요' });
    await agentSocket.waitFor('message', (m) => m.clientMessageId === clientMessageId);
    const seconds = Math.ceil((Date.now() - started) / 1_000);
    const passed = agentSocket.of('typing', conversationId).length;
    expect(passed).toBeGreaterThan(0);
    // Two at once (a start and its stop), then one a second.
    expect(passed).toBeLessThanOrEqual(2 + seconds);
  });
});

describe('chat-service: a socket that opens while messages are being stored', () => {
  // Two instances of one deployment: the sockets on one, the customer writing through the other, so
  // that each message reaches the sockets' instance by the bus's fan-out, after it was stored.
  let sockets: Service<ChatDb>;
  let writers: Service<ChatDb>;
  let bus: ReturnType<typeof heldBroadcasts>;
  const open = new OpenSockets();
  const connect = (who: Person) => open.open(sockets, who);
  beforeAll(async () => {
    // Far apart sweeps: what a socket gets must come from taking it, not from a sweep repairing it.
    const config = deployment({
      chat: { rateLimit: { messages: 1_000, perSeconds: 1 }, socket: { sweepMs: 60_000 } },
    });
    writers = await startChat(config);
    bus = heldBroadcasts(writers);
    sockets = await startChat(config, undefined, bus.transport);
  });
  afterAll(async () => {
    open.closeAll();
    await Promise.all([sockets?.stop(), writers?.stop()]);
    await bus?.transport.close();
  });

  it('gets a message stored while the socket was being taken, though its fan-out came later', async () => {
    const chat = chatApi(writers);
    // A change of the queue reaches every waiting customer's socket 50 ms after it, as a queue frame.
    // The probe's second frame says that the change of opening the conversation has passed, so that
    // the socket's own queue frame is the one that ends its taking.
    const probe = person();
    await chat.open(probe);
    const probing = await connect(probe);
    await probing.waitFor('queue');
    const customer = person();
    const conversationId = (await chat.open(customer)).body.id as string;
    await eventually(() => probing.of('queue').length >= 2);
    // The customer's record locked for a moment: taking their socket waits there, after it opened.
    let unlock = () => {};
    const locked = new Promise<void>((resolve, reject) => {
      writers.context.db
        .transaction()
        .execute(async (trx) => {
          await sql`select 1 from chat_users where user_id = ${customer.userId} for update`.execute(trx);
          resolve();
          await new Promise<void>((r) => {
            unlock = r;
          });
        })
        .catch(reject);
    });
    await locked;
    let socket: ChatSocket;
    let stored: number;
    try {
      socket = await connect(customer);
      bus.hold();
      stored = (await chat.send(customer, conversationId, '주문 확인 부탁드려요')).body.seq as number;
    } finally {
      unlock();
    }
    try {
      // Taken: the queue position is its last frame. Only then does the message's fan-out arrive.
      await socket.waitFor('queue', (q) => q.conversationId === conversationId);
    } finally {
      bus.release();
    }
    await socket.waitFor('message', (m) => m.seq === stored);
    const next = (await chat.send(customer, conversationId, '감사합니다')).body.seq as number;
    await socket.waitFor('message', (m) => m.seq === next);
    expect(socket.seqs(conversationId)).toEqual([stored, next]);
  });

  it('gets every message stored after it opened, once and in order, however close the two come', async () => {
    const chat = chatApi(writers);
    const customer = person();
    const agent = person('AGENT');
    const conversationId = (await chat.open(customer)).body.id as string;
    await connect(agent);
    await eventually(async () => (await chat.get(customer, conversationId)).body.status === 'OPEN');

    // The customer writes without pause while the agent opens sockets one after another. `moment`
    // orders what the test did: a frame sent after a socket opened is stored after it opened.
    const writer = await open.open(writers, customer);
    let moment = 0;
    const sent: Array<{ at: number; clientMessageId: string }> = [];
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing && i < 2_000; i++) {
        const clientMessageId = randomUUID();
        sent.push({ at: ++moment, clientMessageId });
        await writer.send({ type: 'message', conversationId, clientMessageId, text: `${i}` });
        await writer.waitFor('message', (m) => m.clientMessageId === clientMessageId);
      }
    })();
    const opened: Array<{ socket: ChatSocket; at: number }> = [];
    for (let i = 0; i < 25; i++) {
      const socket = await connect(agent);
      opened.push({ socket, at: ++moment });
    }
    writing = false;
    await writes;
    const last = (await chat.send(customer, conversationId, '마지막')).body.seq as number;
    const seqOf = new Map(writer.of('message').map((m) => [m.clientMessageId, m.seq]));

    for (const { socket, at } of opened) {
      await socket.waitFor('message', (m) => m.seq === last);
      const seqs = socket.seqs(conversationId);
      const firstAfterOpen = Math.min(
        last,
        ...sent.filter((s) => s.at > at).map((s) => seqOf.get(s.clientMessageId)!),
      );
      // From at most the first message sent after it opened, through the last: no gap, no repeat.
      expect(seqs[0]).toBeLessThanOrEqual(firstAfterOpen);
      expect(seqs).toEqual(Array.from({ length: last - seqs[0]! + 1 }, (_, k) => seqs[0]! + k));
    }
  });
});

describe('chat-service: an agent who loses a conversation', () => {
  // The sockets on one instance, every write through the other, and that instance's fan-out held
  // while it matters: what reaches a socket then comes from the catch-up sweep (every 500 ms).
  let sockets: Service<ChatDb>;
  let writers: Service<ChatDb>;
  let bus: ReturnType<typeof heldBroadcasts>;
  const open = new OpenSockets();
  const connect = (who: Person) => open.open(sockets, who);
  beforeAll(async () => {
    // One conversation per agent at most: the next one waits in the queue, where any agent may look at it.
    const config = deployment({ chat: { assignment: { maxOpenPerAgent: 1 } } });
    writers = await startChat(config);
    bus = heldBroadcasts(writers);
    sockets = await startChat(config, undefined, bus.transport);
  });
  afterAll(async () => {
    open.closeAll();
    await Promise.all([sockets?.stop(), writers?.stop()]);
    await bus?.transport.close();
  });

  it('sends nothing more of a waiting conversation an agent looked at once another agent took it', async () => {
    const chat = chatApi(writers);
    const agent = person('AGENT', '미리보기');
    const colleague = person('AGENT', '담당');
    // The agent holds one conversation of their own (the cap), so the next one stays in the queue.
    const ownCustomer = person();
    const own = (await chat.open(ownCustomer)).body.id as string;
    const agentSocket = await connect(agent);
    await agentSocket.waitFor('assigned', (f) => f.conversationId === own && f.agentId === agent.userId);
    const customer = person();
    const previewed = (await chat.open(customer)).body.id as string;
    expect((await chat.get(customer, previewed)).body.status).toBe('WAITING');
    await agentSocket.send({ type: 'resume', conversationId: previewed, since: 0 });
    await agentSocket.waitFor('resumed', (f) => f.conversationId === previewed);

    // The colleague takes it; the agent hears of it like every agent.
    expect((await chat.assign(colleague, previewed)).body.assigneeId).toBe(colleague.userId);
    await agentSocket.waitFor(
      'assigned',
      (f) => f.conversationId === previewed && f.agentId === colleague.userId,
    );
    const colleagueSocket = await connect(colleague);

    bus.hold();
    try {
      const seq = (await chat.send(customer, previewed, '담당자님께 드리는 말씀')).body.seq as number;
      await colleagueSocket.waitFor('message', (m) => m.conversationId === previewed && m.seq === seq);
      // Two sweeps after it (each brings a message of the agent's own conversation), still nothing.
      for (const text of ['첫 번째', '두 번째']) {
        const next = (await chat.send(ownCustomer, own, text)).body.seq as number;
        await agentSocket.waitFor('message', (m) => m.conversationId === own && m.seq === next);
      }
    } finally {
      bus.release();
    }
    expect(agentSocket.of('message', previewed)).toEqual([]);
  });
});
