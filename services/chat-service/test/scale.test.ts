import { randomUUID } from 'node:crypto';
import type { Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAuth, startFakeAuth, startGateway, TestDiscovery } from '../../gateway/test/harness.ts';
import type { ChatDb } from '../src/index.ts';
import { ChatSocket, chatApi, deployment, eventually, type Person, person, startChat } from './support.ts';

/**
 * Scaled out: a customer on one instance and an agent on another talk normally (the chat-message
 * fan-out), and an instance that restarts mid-conversation loses nothing.
 */
describe('chat-service: two instances', () => {
  const config = deployment({ chat: { socket: { sweepMs: 60_000 } } });
  let a: Service<ChatDb>;
  let b: Service<ChatDb>;
  const sockets: ChatSocket[] = [];
  const on = async (service: Service<unknown>, who: Person) => {
    const socket = ChatSocket.direct(service, who);
    sockets.push(socket);
    await socket.opened;
    return socket;
  };

  beforeAll(async () => {
    // The sweep is off (one minute): live delivery across instances must come through the fan-out.
    [a, b] = await Promise.all([startChat(config), startChat(config)]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('delivers across instances: the customer on one, the agent on the other', async () => {
    const customer = person();
    const agent = person('AGENT', '김상담');
    const { body: opened } = await chatApi(a).open(customer);
    const customerSocket = await on(a, customer);
    const agentSocket = await on(b, agent);
    // The agent came online on b: the assignment reaches the customer's socket on a.
    const assigned = await customerSocket.waitFor('assigned', (f) => f.conversationId === opened.id);
    expect(assigned.agentName).toMatch(/^김상담-/);
    await customerSocket.waitFor('status', (f) => f.status === 'OPEN');

    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      await customerSocket.send({
        type: 'message',
        conversationId: opened.id,
        clientMessageId: randomUUID(),
        text: `고객 ${i}`,
      });
      await agentSocket.waitFor('message', (m) => m.text === `고객 ${i}`);
      await agentSocket.send({
        type: 'message',
        conversationId: opened.id,
        clientMessageId: randomUUID(),
        text: `상담원 ${i}`,
      });
      await customerSocket.waitFor('message', (m) => m.text === `상담원 ${i}`);
    }
    const all = Array.from({ length: rounds * 2 }, (_, i) => i + 1);
    await eventually(() => customerSocket.seqs(opened.id).length === rounds * 2);
    await eventually(() => agentSocket.seqs(opened.id).length === rounds * 2);
    expect(customerSocket.seqs(opened.id)).toEqual(all);
    expect(agentSocket.seqs(opened.id)).toEqual(all);

    await customerSocket.send({ type: 'typing', conversationId: opened.id, typing: true });
    await agentSocket.waitFor('typing', (t) => t.by === 'CUSTOMER');
    await customerSocket.send({ type: 'read', conversationId: opened.id, seq: rounds * 2 });
    await agentSocket.waitFor('read', (r) => r.by === 'CUSTOMER' && r.seq === rounds * 2);
  });

  it('loses nothing when the instance of the customer restarts mid-conversation', async () => {
    const customer = person();
    // An admin takes it by hand (the agent above, still online, may have been given it automatically).
    const agent = person('ADMIN');
    const c = await startChat(config);
    const { body: opened } = await chatApi(c).open(customer);
    const agentSocket = await on(b, agent);
    expect((await chatApi(b).assign(agent, opened.id)).body.assigneeId).toBe(agent.userId);
    const customerSocket = await on(c, customer);
    for (const text of ['안녕하세요', '환불 문의입니다'])
      await customerSocket.send({
        type: 'message',
        conversationId: opened.id,
        clientMessageId: randomUUID(),
        text,
      });
    await eventually(() => agentSocket.seqs(opened.id).length === 2);
    await agentSocket.send({ type: 'read', conversationId: opened.id, seq: 2 });
    await eventually(async () => (await chatApi(b).get(agent, opened.id)).body.agentReadSeq === 2);

    // c stops: its sockets close with 1001 (going away); the agent keeps writing meanwhile.
    const stopping = c.stop();
    expect((await customerSocket.closed).code).toBe(1001);
    await stopping;
    for (const text of ['확인해 보겠습니다', '환불 접수되었습니다'])
      await agentSocket.send({
        type: 'message',
        conversationId: opened.id,
        clientMessageId: randomUUID(),
        text,
      });
    await eventually(() => agentSocket.seqs(opened.id).length === 4);

    // Back (a new process on the same database): the customer resumes from what they hold.
    const restarted = await startChat(config);
    try {
      const view = (await chatApi(restarted).get(customer, opened.id)).body;
      expect(view).toMatchObject({ status: 'OPEN', assigneeId: agent.userId, lastSeq: 4, unreadCount: 2 });
      // The agent's own messages count as read by the agent; the customer has two unread.
      expect(view).toMatchObject({ agentReadSeq: 4, customerReadSeq: 2 });
      // The agent on b is still online, as seen from the restarted instance.
      const agents = (await chatApi(restarted).api.get('/api/agent/agents', agent.headers)).body.content;
      expect(agents.find((x: { agentId: string }) => x.agentId === agent.userId)).toMatchObject({
        online: true,
        openConversations: 1,
      });
      const again = await on(restarted, customer);
      await again.send({ type: 'resume', conversationId: opened.id, since: 2 });
      await again.waitFor('resumed');
      expect(again.of('message').map((m) => m.text)).toEqual(['확인해 보겠습니다', '환불 접수되었습니다']);
      await again.send({
        type: 'message',
        conversationId: opened.id,
        clientMessageId: randomUUID(),
        text: '감사합니다',
      });
      await agentSocket.waitFor('message', (m) => m.text === '감사합니다');
      expect(agentSocket.seqs(opened.id)).toEqual([1, 2, 3, 4, 5]);
      again.close();
    } finally {
      await restarted.stop();
    }
  });

  describe('through the gateway', () => {
    let auth: FakeAuth;
    let gateway: Service<unknown>;
    // A deployment of its own: no agent of the tests above is online there.
    let d: Service<ChatDb>;
    let e: Service<ChatDb>;
    const discovery = new TestDiscovery();
    beforeAll(async () => {
      const own = deployment();
      [auth, d, e] = await Promise.all([startFakeAuth(), startChat(own), startChat(own)]);
      discovery.set('auth-service', auth.service.url);
      discovery.set('chat-service', d.url, e.url);
      gateway = await startGateway(discovery);
    });
    afterAll(async () => {
      for (const s of sockets) s.close();
      await Promise.all([gateway?.stop(), auth?.service.stop(), d?.stop(), e?.stop()]);
    });

    it('lets agents (and admins) into /api/agent and customers only into /api/chat; the socket carries the role', async () => {
      const customerId = randomUUID();
      const agentId = randomUUID();
      const customerToken = await auth.sign({ sub: customerId, email: 'c@example.test' });
      const agentToken = await auth.sign({ sub: agentId, role: 'AGENT', email: 'agent@example.test' });
      const call = (path: string, token: string, init: RequestInit = {}) =>
        fetch(`${gateway.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        });
      expect((await call('/api/agent/conversations?status=WAITING', customerToken)).status).toBe(403);
      expect((await call('/api/agent/conversations?status=WAITING', agentToken)).status).toBe(200);
      const opened = await (
        await call('/api/chat/conversations', customerToken, { method: 'POST', body: '{}' })
      ).json();
      expect(opened.status).toBe('WAITING');

      const ws = (token: string) =>
        new ChatSocket(`${gateway.url.replace(/^http/, 'ws')}/ws/chat?access_token=${token}`);
      const agentSocket = ws(agentToken);
      const customerSocket = ws(customerToken);
      sockets.push(agentSocket, customerSocket);
      await customerSocket.waitFor(
        'assigned',
        (f) => f.conversationId === opened.id && f.agentId === agentId,
      );
      await agentSocket.send({
        type: 'message',
        conversationId: opened.id,
        clientMessageId: 'gw-1',
        text: '무엇을 도와드릴까요?',
      });
      const message = await customerSocket.waitFor('message', (m) => m.clientMessageId === 'gw-1');
      expect(message).toMatchObject({ senderRole: 'AGENT', seq: 1, text: '무엇을 도와드릴까요?' });
      expect((await call(`/api/agent/customers/${customerId}/orders`, customerToken)).status).toBe(403);
    });
  });
});
