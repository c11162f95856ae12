import type { Service } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import {
  agentOnline,
  chatApi,
  deployment,
  eventually,
  OpenSockets,
  type Person,
  person,
  startChat,
} from './support.ts';

// The console showed a chat transferred away, or one taken over elsewhere, as still the agent's, with
// 이관 and 상담 종료 at hand. chat-service itself must refuse them: only the conversation's assignee
// (or an admin) transfers or ends an open conversation, whatever a stale page offers.

describe('chat-service: who may transfer or end a conversation', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();
  const holder = person('AGENT', 'holder');
  const colleague = person('AGENT', 'colleague');
  const bystander = person('AGENT', 'bystander');
  const admin = person('ADMIN', 'admin');

  beforeAll(async () => {
    service = await startChat(deployment());
    chat = chatApi(service);
    // Everyone online (transfer targets); the holder first, so that nothing is offered to the others.
    for (const who of [holder, colleague, bystander, admin]) {
      await sockets.open(service, who);
      await agentOnline(service, who);
    }
  });
  afterAll(async () => {
    sockets.closeAll();
    await service?.stop();
  });

  /** A customer's open conversation, held by `who`. */
  async function heldBy(who: Person): Promise<string> {
    const { body: opened } = await chat.open(person());
    const id = opened.id as string;
    const assigned = await chat.assign(admin, id, { agentId: who.userId });
    expect(assigned.status).toBe(200);
    await eventually(async () => (await chat.get(admin, id)).body.assigneeId === who.userId);
    return id;
  }

  it('refuses the agent who transferred it another transfer, an end, a take-back and a message (404)', async () => {
    const id = await heldBy(holder);
    expect((await chat.transfer(holder, id, colleague.userId)).status).toBe(200);

    expect((await chat.transfer(holder, id, bystander.userId)).status).toBe(404);
    expect((await chat.resolve(holder, id)).status).toBe(404);
    expect((await chat.assign(holder, id)).status).toBe(404);
    expect((await chat.send(holder, id, '이관 후 보낸 메시지')).status).toBe(404);
    const now = (await chat.get(admin, id)).body;
    expect(now).toMatchObject({ status: 'OPEN', assigneeId: colleague.userId, lastSeq: 0 });
  });

  it('refuses an agent who never held it (404); the assignee and an admin may', async () => {
    const id = await heldBy(colleague);
    expect((await chat.transfer(bystander, id, bystander.userId)).status).toBe(404);
    expect((await chat.resolve(bystander, id)).status).toBe(404);
    expect((await chat.get(admin, id)).body).toMatchObject({ status: 'OPEN', assigneeId: colleague.userId });

    // An admin hands it on, and the new assignee ends it.
    const moved = await chat.transfer(admin, id, holder.userId);
    expect(moved.status).toBe(200);
    expect(moved.body.assigneeId).toBe(holder.userId);
    expect((await chat.resolve(colleague, id)).status).toBe(404);
    expect((await chat.resolve(holder, id)).status).toBe(200);
  });

  it('refuses to transfer or end a conversation already ended, even to its last assignee (409)', async () => {
    const id = await heldBy(holder);
    expect((await chat.resolve(holder, id)).body.status).toBe('RESOLVED');
    expect((await chat.transfer(holder, id, colleague.userId)).status).toBe(409);
    expect((await chat.resolve(holder, id)).status).toBe(409);
    expect((await chat.transfer(admin, id, colleague.userId)).status).toBe(409);
  });
});
