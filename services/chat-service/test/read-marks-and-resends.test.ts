import { randomUUID } from 'node:crypto';
import type { Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import { ChatSocket, chatApi, deployment, person, startChat } from './support.ts';

describe('chat-service: whose read marks count, and resends under the rate limit', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;

  beforeAll(async () => {
    service = await startChat(deployment({ chat: { rateLimit: { messages: 3, perSeconds: 60 } } }));
    chat = chatApi(service);
  });
  afterAll(async () => {
    await service?.stop();
  });

  const read = (who: { headers: Record<string, string> }, id: string, seq: number) =>
    chat.api.post(`/api/chat/conversations/${id}/read`, { seq }, who.headers);

  it('moves the agent side’s read mark only for the assigned agent: an admin looking in reads without a receipt', async () => {
    const customer = person();
    const agent = person('AGENT');
    const admin = person('ADMIN');
    const { body: opened } = await chat.open(customer);
    const id = opened.id as string;
    expect((await chat.assign(agent, id)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await chat.send(customer, id, `질문 ${i}`)).status).toBe(201);

    // Accepted (the console marks what it shows) and ignored.
    expect((await read(admin, id, 3)).status).toBe(204);
    expect((await chat.get(agent, id)).body).toMatchObject({ agentReadSeq: 0, unreadCount: 3 });
    expect((await chat.get(customer, id)).body.agentReadSeq).toBe(0);
    const history = (await chat.history(customer, id)).body;
    expect(history.agentReadSeq).toBe(0);

    // The assigned agent's read is the receipt.
    expect((await read(agent, id, 2)).status).toBe(204);
    expect((await chat.get(agent, id)).body).toMatchObject({ agentReadSeq: 2, unreadCount: 1 });
    // An admin who holds the conversation is its agent.
    expect((await chat.assign(admin, id)).status).toBe(200);
    expect((await read(admin, id, 3)).status).toBe(204);
    expect((await chat.get(customer, id)).body.agentReadSeq).toBe(3);
  });

  it('answers a resend of a stored message even when the sender has no message tokens left', async () => {
    const customer = person();
    const id = (await chat.open(customer)).body.id as string;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, clientMessageId] of ids.entries())
      expect((await chat.send(customer, id, `메시지 ${i}`, clientMessageId)).status).toBe(201);
    expect((await chat.send(customer, id, '하나 더')).status).toBe(429);

    const resent = await chat.send(customer, id, '메시지 0', ids[0]);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ clientMessageId: ids[0], seq: 1 });
    // Over the socket alike: the stored copy, no error frame.
    const socket = ChatSocket.direct(service, customer);
    try {
      await socket.send({ type: 'message', conversationId: id, clientMessageId: ids[2]!, text: '메시지 2' });
      const echoed = await socket.waitFor('message', (m) => m.clientMessageId === ids[2]);
      expect(echoed.seq).toBe(3);
      expect(socket.of('error')).toEqual([]);
    } finally {
      socket.close();
    }
  });
});
