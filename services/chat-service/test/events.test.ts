import { CHAT_EVENTS, type Topology, topology } from '@sagamart/contracts';
import type { Service } from '@sagamart/kit';
import { defineEventRecorder, type SeenEvent, startTestService, uniqueName } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import { ChatSocket, chatApi, deployment, eventually, jsonClient, person, startChat } from './support.ts';

/**
 * chat-service's own state changes leave through its outbox: a recorder standing in for their
 * consumers (the admin dashboard) receives them off the bus, with a version per conversation.
 */
describe('chat-service: conversation events', () => {
  let service: Service<ChatDb>;
  let recorder: Service<unknown>;
  let chat: ReturnType<typeof chatApi>;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const recorderName = uniqueName('chat-recorder').replaceAll('_', '-');
    const routes: Topology = {
      'chat-service': topology['chat-service']!,
      [recorderName]: CHAT_EVENTS,
    };
    const config = deployment();
    const { database: _own, ...shared } = config;
    recorder = await startTestService(defineEventRecorder(recorderName, CHAT_EVENTS), {
      topology: routes,
      config: shared,
    });
    service = await startChat(config, routes);
    chat = chatApi(service);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([service?.stop(), recorder?.stop()]);
  });

  const eventsOf = async (conversationId: string): Promise<SeenEvent[]> => {
    const seen: SeenEvent[] = (await jsonClient(recorder, { anonymous: true }).get('/events')).body;
    return seen
      .filter((e) => e.payload.conversationId === conversationId)
      .sort((a, b) => a.payload.version - b.payload.version);
  };
  /** Waits until `count` events of the conversation have arrived. */
  const arrived = (conversationId: string, count: number) =>
    eventually(async () => {
      const seen = await eventsOf(conversationId);
      return seen.length >= count ? seen : undefined;
    });

  it('publishes opening, assignment and resolution, and a reopening by the customer’s message', async () => {
    const customer = person();
    const admin = person('ADMIN');
    const { body: opened } = await chat.open(customer);
    expect(opened.status).toBe('WAITING');
    const [first] = await arrived(opened.id, 1);
    expect(first).toMatchObject({
      topic: 'chat.conversation-opened',
      payload: { conversationId: opened.id, customerId: customer.userId, orderId: null, version: 1 },
    });
    // Asking again answers the active conversation: no second opening.
    expect((await chat.open(customer)).status).toBe(200);

    expect((await chat.assign(admin, opened.id)).body.status).toBe('OPEN');
    expect((await chat.resolve(admin, opened.id)).body.status).toBe('RESOLVED');
    expect((await chat.send(customer, opened.id, '하나 더 물어볼게요')).status).toBe(201);
    const seen = await arrived(opened.id, 4);
    expect(seen.map((e) => [e.topic, e.payload.version])).toEqual([
      ['chat.conversation-opened', 1],
      ['chat.conversation-assigned', 2],
      ['chat.conversation-resolved', 3],
      ['chat.conversation-opened', 4],
    ]);
    expect(seen[1]!.payload.assigneeId).toBe(admin.userId);
    expect(seen[2]!.payload.assigneeId).toBe(admin.userId);
  });

  it('publishes the automatic assignment when an agent comes online over the socket', async () => {
    const customer = person();
    const { body: opened } = await chat.open(customer);
    await arrived(opened.id, 1);
    const agent = person('AGENT');
    const socket = ChatSocket.direct(service, agent);
    sockets.push(socket);
    await socket.opened;
    const seen = await arrived(opened.id, 2);
    expect(seen[1]).toMatchObject({
      topic: 'chat.conversation-assigned',
      payload: { conversationId: opened.id, assigneeId: agent.userId, version: 2 },
    });
  });
});
