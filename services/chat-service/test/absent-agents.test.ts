import { CHAT_EVENTS, type Topology, topology, UserUpdated } from '@sagamart/contracts';
import type { Service } from '@sagamart/kit';
import {
  defineEventRecorder,
  EventProbe,
  eventsHandled,
  type SeenEvent,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import {
  agentOnline,
  chatApi,
  deployment,
  eventually,
  jsonClient,
  OpenSockets,
  type Person,
  person,
  startChat,
} from './support.ts';

type AgentChange = { role: 'AGENT' | 'USER'; status: 'ACTIVE' | 'SUSPENDED' };

/** user-service announces an agent's new role or status; resolves once chat-service has handled it. */
async function agentChanged(service: Service<ChatDb>, probe: EventProbe, who: Person, change: AgentChange) {
  const handled = await eventsHandled(service, 'user.updated');
  await probe.publish(UserUpdated, {
    userId: who.userId,
    version: 2,
    email: `${who.userId.slice(0, 6)}@example.test`,
    name: '바뀐 상담원',
    phone: null,
    ...change,
    grade: 'NORMAL',
    changes: ['role', 'status'],
    updatedAt: new Date().toISOString(),
  });
  await eventually(async () => (await eventsHandled(service, 'user.updated')) > handled);
}

/**
 * A conversation never stays with an agent who cannot answer it: one who went offline gives it back
 * to the queue after a grace period, one suspended or demoted at once; either way the next online
 * agent takes it (Chatwoot's model: an unassigned open conversation is the queue's).
 */
describe('chat-service: an agent who went offline', () => {
  let a: Service<ChatDb>;
  let b: Service<ChatDb>;
  let recorder: Service<unknown>;
  const sockets = new OpenSockets();
  const on = async (service: Service<unknown>, who: Person) => {
    const socket = await sockets.open(service, who);
    if (who.role !== 'USER') await agentOnline(service, who);
    return socket;
  };

  beforeAll(async () => {
    const recorderName = uniqueName('chat-recorder').replaceAll('_', '-');
    const routes: Topology = {
      'chat-service': topology['chat-service']!,
      [recorderName]: CHAT_EVENTS,
    };
    const config = deployment({ chat: { assignment: { sweepMs: 500, releaseOfflineAfterMs: 1_000 } } });
    const { database: _own, ...shared } = config;
    recorder = await startTestService(defineEventRecorder(recorderName, CHAT_EVENTS), {
      topology: routes,
      config: shared,
    });
    // Two instances: both sweep, and the conversation is given back once.
    [a, b] = await Promise.all([startChat(config, routes), startChat(config, routes)]);
  });
  afterAll(async () => {
    sockets.closeAll();
    await Promise.all([a?.stop(), b?.stop(), recorder?.stop()]);
  });

  const eventsOf = async (conversationId: string): Promise<SeenEvent[]> => {
    const seen: SeenEvent[] = (await jsonClient(recorder, { anonymous: true }).get('/events')).body;
    return seen
      .filter((e) => e.payload.conversationId === conversationId)
      .sort((x, y) => x.payload.version - y.payload.version);
  };

  it('puts their conversation back in the queue after the grace period, for the agent online; once, with a higher version', async () => {
    const customer = person();
    const leaving = person('AGENT', 'leaving');
    const leavingSocket = await on(a, leaving);
    const { body: opened } = await chatApi(a).open(customer);
    expect(opened).toMatchObject({ status: 'OPEN', assigneeId: leaving.userId });
    const customerSocket = await on(b, customer);
    const left = Date.now();
    leavingSocket.close();

    const staying = person('AGENT', 'staying');
    await on(b, staying);
    const taken = await eventually(async () => {
      const view = (await chatApi(a).get(customer, opened.id)).body;
      return view.assigneeId === staying.userId ? view : undefined;
    }, 15_000);
    expect(taken.status).toBe('OPEN');
    // Not before the grace period (a reload or a short drop keeps the conversation).
    expect(Date.now() - left).toBeGreaterThanOrEqual(1_000);
    await customerSocket.waitFor('assigned', (f) => f.agentId === staying.userId);
    // The customer is answered now, and the agent who left holds nothing.
    expect((await chatApi(b).send(customer, opened.id, '아무도 없나요?')).status).toBe(201);
    expect((await chatApi(b).send(staying, opened.id, '제가 도와드릴게요')).status).toBe(201);
    const agents = (await chatApi(a).api.get('/api/agent/agents', staying.headers)).body.content;
    expect(agents.find((x: { agentId: string }) => x.agentId === leaving.userId)).toMatchObject({
      online: false,
      openConversations: 0,
    });

    const seen = await eventually(async () => {
      const events = await eventsOf(opened.id);
      return events.length >= 4 ? events : undefined;
    });
    expect(seen.map((e) => [e.topic, e.payload.version, e.payload.assigneeId ?? null])).toEqual([
      ['chat.conversation-opened', 1, null],
      ['chat.conversation-assigned', 2, leaving.userId],
      ['chat.conversation-opened', 3, null],
      ['chat.conversation-assigned', 4, staying.userId],
    ]);
  });
});

describe('chat-service: an agent suspended or demoted, and transfers', () => {
  let service: Service<ChatDb>;
  let probe: EventProbe;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();
  const connect = async (who: Person) => {
    const socket = await sockets.open(service, who);
    await agentOnline(service, who);
    return socket;
  };
  const changed = (who: Person, change: AgentChange) => agentChanged(service, probe, who, change);

  beforeAll(async () => {
    // The bundled grace period (a minute): what happens within a test's wait is not the offline sweep.
    const config = deployment();
    [service, probe] = await Promise.all([startChat(config), EventProbe.start(config)]);
    chat = chatApi(service);
  });
  afterAll(async () => {
    sockets.closeAll();
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  it('gives a suspended or demoted agent’s conversations back to the queue at once, to an online agent', async () => {
    const suspended = person('AGENT', 'suspended');
    const demoted = person('AGENT', 'demoted');
    const admin = person('ADMIN');
    // Each holds a conversation, handed to them by an admin: whom the queue picks at open (a sweep
    // may assign with presence read a moment earlier) is not what this is about.
    const holding = async (customer: Person, agent: Person) => {
      const { body: opened } = await chat.open(customer);
      const assigned = await chat.assign(admin, opened.id, { agentId: agent.userId });
      expect(assigned.body).toMatchObject({ status: 'OPEN', assigneeId: agent.userId });
      return opened.id as string;
    };
    const first = person();
    const second = person();
    await connect(suspended);
    await connect(demoted);
    const one = await holding(first, suspended);
    const two = await holding(second, demoted);
    const colleague = person('AGENT', 'colleague');
    await connect(colleague);

    // Their sockets are still open here (the gateway closes them a moment later). Given back in the
    // transaction that handled the change, so at once; then the colleague, the least busy, takes it.
    await changed(suspended, { role: 'AGENT', status: 'SUSPENDED' });
    expect((await chat.get(first, one)).body.assigneeId).not.toBe(suspended.userId);
    await eventually(async () => (await chat.get(first, one)).body.assigneeId === colleague.userId);
    await changed(demoted, { role: 'USER', status: 'ACTIVE' });
    expect((await chat.get(second, two)).body.assigneeId).not.toBe(demoted.userId);
    await eventually(async () => (await chat.get(second, two)).body.assigneeId === colleague.userId);
    expect((await chat.agentList(colleague, 'OPEN')).body.totalElements).toBe(2);
  });

  it('refuses to transfer a conversation to an agent who is offline (409), and transfers once they are online', async () => {
    const holder = person('AGENT', 'holder');
    const away = person('AGENT', 'away');
    const customer = person();
    // The target is a known agent (they called the service) but holds no socket.
    expect((await chat.agentList(away, 'WAITING')).status).toBe(200);
    await connect(holder);
    const { body: opened } = await chat.open(customer);
    const id = opened.id as string;
    if (opened.assigneeId !== holder.userId) expect((await chat.assign(holder, id)).status).toBe(200);

    const refused = await chat.transfer(holder, id, away.userId);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:sagamart:problem:agent-offline' });
    expect(refused.body.detail).toMatch(/접속/);
    expect((await chat.get(customer, id)).body.assigneeId).toBe(holder.userId);
    // Handing it over by assignment is refused alike.
    expect((await chat.assign(holder, id, { agentId: away.userId })).status).toBe(409);

    await connect(away);
    const moved = await chat.transfer(holder, id, away.userId);
    expect(moved.status).toBe(200);
    expect(moved.body.assigneeId).toBe(away.userId);
  });
});

/**
 * What a conversation given back looks like while nobody online can take it (ADR 0015): it waits in
 * the queue with no assignee, to its customer, to agents and in the queue itself, not still named
 * for the agent who left. Each block's only agent is the one who goes, so no one takes it meanwhile.
 */
async function expectBackInQueueUnassigned(
  chat: ReturnType<typeof chatApi>,
  customer: Person,
  conversationId: string,
): Promise<void> {
  const mine = (await chat.get(customer, conversationId)).body;
  expect(mine).toMatchObject({
    status: 'WAITING',
    assigneeId: null,
    assigneeName: null,
    queuePosition: expect.any(Number),
  });
  const admin = person('ADMIN');
  const seen = await chat.api.get(`/api/agent/conversations/${conversationId}`, admin.headers);
  expect(seen.body).toMatchObject({ status: 'WAITING', assigneeId: null, assigneeName: null });
  const queue = (await chat.agentList(admin, 'WAITING')).body.content;
  expect(queue).toContainEqual(
    expect.objectContaining({ id: conversationId, assigneeId: null, assigneeName: null }),
  );
  const open = (await chat.agentList(admin, 'OPEN')).body.content;
  expect(open.map((c: { id: string }) => c.id)).not.toContain(conversationId);
}

/** Waits until the conversation is `agent`'s (on open, or by the sweep if presence lagged under load). */
async function assignedTo(chat: ReturnType<typeof chatApi>, customer: Person, id: string, agent: Person) {
  await eventually(async () => (await chat.get(customer, id)).body.assigneeId === agent.userId);
}

describe('chat-service: a conversation given back by an agent gone offline, with nobody online', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();

  beforeAll(async () => {
    service = await startChat(
      deployment({ chat: { assignment: { sweepMs: 200, releaseOfflineAfterMs: 500 } } }),
    );
    chat = chatApi(service);
  });
  afterAll(async () => {
    sockets.closeAll();
    await service?.stop();
  });

  it('waits in the queue with no assignee', async () => {
    const leaving = person('AGENT', 'leaving');
    const customer = person();
    const agentSocket = await sockets.open(service, leaving);
    await agentOnline(service, leaving);
    const { body: opened } = await chat.open(customer);
    await assignedTo(chat, customer, opened.id, leaving);
    const customerSocket = await sockets.open(service, customer);

    const before = customerSocket.received.length;
    agentSocket.close();
    // The customer hears it is waiting again (a frame after the agent left).
    await eventually(() =>
      customerSocket.received
        .slice(before)
        .some((f) => f.type === 'status' && f.conversationId === opened.id && f.status === 'WAITING'),
    );
    await expectBackInQueueUnassigned(chat, customer, opened.id);
    // The agent who left may look at it as any agent may look at the queue: nobody holds it.
    const theirs = await chat.api.get(`/api/agent/conversations/${opened.id}`, leaving.headers);
    expect(theirs.body).toMatchObject({ status: 'WAITING', assigneeId: null });
    expect((await chat.agentList(leaving, 'OPEN')).body.totalElements).toBe(0);
  });
});

describe('chat-service: a conversation given back by an agent suspended or demoted, with nobody online', () => {
  let service: Service<ChatDb>;
  let probe: EventProbe;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();

  beforeAll(async () => {
    // The bundled grace period (a minute): what the test sees is the user.updated handler's doing.
    // The sweep runs often, so one is under way (its agents read) whenever an agent loses the right.
    const config = deployment({ chat: { assignment: { sweepMs: 20 } } });
    [service, probe] = await Promise.all([startChat(config), EventProbe.start(config)]);
    chat = chatApi(service);
  });
  afterAll(async () => {
    sockets.closeAll();
    await Promise.all([service?.stop(), probe?.stop()]);
  });

  const changed = (who: Person, change: AgentChange) => agentChanged(service, probe, who, change);

  it('waits in the queue with no assignee, and is not handed back to them by a sweep that read them as able', async () => {
    const admin = person('ADMIN');
    const suspend = { role: 'AGENT', status: 'SUSPENDED' } as const;
    const demote = { role: 'USER', status: 'ACTIVE' } as const;
    for (const change of [suspend, demote, suspend, demote, suspend, demote]) {
      const agent = person('AGENT');
      const customer = person();
      // Their socket stays open (the gateway closes it a moment later): only the change gives it back.
      await sockets.open(service, agent);
      await agentOnline(service, agent);
      const { body: opened } = await chat.open(customer);
      await assignedTo(chat, customer, opened.id, agent);

      await changed(agent, change);
      // Given back in the transaction that handled the event: so once it is handled.
      await expectBackInQueueUnassigned(chat, customer, opened.id);
      // Closing it ends any assignment still under way: an assignment after this finds it not WAITING,
      // one before shows on the closed conversation.
      const closed = await chat.resolve(admin, opened.id);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'RESOLVED', assigneeId: null });
    }
  });
});
