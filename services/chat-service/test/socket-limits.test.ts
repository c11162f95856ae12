import { randomUUID } from 'node:crypto';
import type { Service } from '@sagamart/kit';
import { asService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatDb } from '../src/index.ts';
import {
  type ChatSocket,
  chatApi,
  deployment,
  OpenSockets,
  type Person,
  person,
  startChat,
} from './support.ts';

// What one socket may send: floods and oversized or malformed frames are answered or dropped, and
// never stall the instance or close the socket in a way its client would repeat.

describe('chat-service: socket limits', () => {
  let service: Service<ChatDb>;
  let chat: ReturnType<typeof chatApi>;
  const sockets = new OpenSockets();
  const connect = (who: Person) => sockets.open(service, who);
  const metric = async (name: string) => {
    const text = await (await fetch(`${service.url}/metrics`, { headers: asService() })).text();
    return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  };
  const pong = async (socket: ChatSocket) => {
    const before = socket.of('pong').length;
    await socket.send({ type: 'ping' });
    await socket.waitFor('pong', () => socket.of('pong').length > before, 30_000);
  };

  beforeAll(async () => {
    service = await startChat(deployment());
    chat = chatApi(service);
  });
  afterAll(async () => {
    sockets.closeAll();
    await service?.stop();
  });

  it('drops a flood of typing frames for made-up conversations without keeping anything per id', async () => {
    const flooder = await connect(person());
    const other = person();
    const otherConversation = (await chat.open(other)).body.id;
    const otherSocket = await connect(other);
    const droppedBefore = await metric('chat_typing_frames_dropped_total');
    const started = Date.now();
    const frames = 3_000;
    for (let i = 0; i < frames; i++)
      await flooder.send({ type: 'typing', conversationId: randomUUID(), typing: true });
    await pong(flooder);
    // Another user's message goes through the same instance meanwhile.
    const clientMessageId = randomUUID();
    await otherSocket.send({
      type: 'message',
      conversationId: otherConversation,
      clientMessageId,
      text: '안녕하세요',
    });
    await otherSocket.waitFor('message', (m) => m.clientMessageId === clientMessageId);

    // The work done, not the time it took: a socket paces a bounded number of conversations (32)
    // however many ids it sends, and drops all but the few a second its overall budget lets through.
    expect(await metric('chat_typing_conversations')).toBeLessThanOrEqual(32);
    const seconds = Math.ceil((Date.now() - started) / 1_000);
    const dropped = (await metric('chat_typing_frames_dropped_total')) - droppedBefore;
    expect(dropped).toBeGreaterThanOrEqual(frames - (6 + 3 * seconds));
  });

  it('refuses control characters in a message with a 400 (REST) and an error frame naming it (socket)', async () => {
    const customer = person();
    const conversationId = (await chat.open(customer)).body.id;
    const text = `a${'\u0001'.repeat(1_600)}`;
    const rest = await chat.send(customer, conversationId, text);
    expect(rest.status).toBe(400);
    expect(rest.body).toMatchObject({
      type: 'urn:sagamart:problem:validation',
      errors: [{ field: 'text', message: expect.stringMatching(/^must match pattern/) }],
    });
    // Line breaks and tabs are text.
    expect((await chat.send(customer, conversationId, '첫 줄\r\n둘째 줄\t끝')).status).toBe(201);

    const socket = await connect(customer);
    const clientMessageId = randomUUID();
    await socket.send({ type: 'message', conversationId, clientMessageId, text });
    const error = await socket.waitFor('error', (e) => e.clientMessageId === clientMessageId);
    expect(error).toMatchObject({ code: 'bad-frame', conversationId });
    expect(error.message).toMatch(/control character/);
    await pong(socket);
  });

  it('answers an oversized frame with an error frame naming the message, and keeps the socket open', async () => {
    const customer = person();
    const conversationId = (await chat.open(customer)).body.id;
    const socket = await connect(customer);
    let closed: number | undefined;
    void socket.closed.then(({ code }) => {
      closed = code;
    });
    const clientMessageId = randomUUID();
    await socket.send({ type: 'message', conversationId, clientMessageId, text: 'x'.repeat(40_000) });
    const error = await socket.waitFor('error', (e) => e.clientMessageId === clientMessageId);
    expect(error).toMatchObject({ code: 'bad-frame', conversationId });
    await pong(socket);
    expect(closed).toBeUndefined();
  });

  it('takes the longest message however its client escapes it (every code point as \\u escapes)', async () => {
    const customer = person();
    const conversationId = (await chat.open(customer)).body.id;
    const socket = await connect(customer);
    const clientMessageId = randomUUID();
    const text = '😀'.repeat(2_000);
    // As Python's json.dumps writes it: every UTF-16 unit outside ASCII as a six-byte escape.
    const frame = JSON.stringify({ type: 'message', conversationId, clientMessageId, text }).replace(
      /[\u0080-\uffff]/g,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(frame.length).toBeGreaterThan(24_000);
    await socket.send(frame);
    const echoed = await socket.waitFor('message', (m) => m.clientMessageId === clientMessageId);
    expect(echoed.text).toBe(text);
  });
});
