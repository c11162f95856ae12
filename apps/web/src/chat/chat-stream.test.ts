import type { ChatServerFrame } from '@sagamart/contracts/http/chat';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSockets } from '../testing/fake-socket.ts';
import { clearSessionOutboxes, sessionOutbox } from './chat-outbox.ts';
import { ChatStream, type ChatStreamOptions, type OutgoingMessage, SeqTracker } from './chat-stream.ts';

// The chat socket's client logic against a scripted server: what it sends after each (re)connect,
// and what it hands the page.

const CONVERSATION = '7d0c4a52-3c1e-4b8e-9a57-0f7c1e2d3b4a';
const OTHER = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';

function message(seq: number, text: string, clientMessageId = `c-${seq}`, conversationId = CONVERSATION) {
  return {
    type: 'message',
    conversationId,
    seq,
    clientMessageId,
    senderRole: 'AGENT',
    text,
    at: '2026-12-04T10:00:00.000Z',
  } satisfies ChatServerFrame;
}

/** A tab's sessionStorage, as much of it as the outbox uses. */
class TabStorage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

function harness(outbox?: ChatStreamOptions['outbox'], firstId = 0) {
  const sockets = new FakeSockets<ChatServerFrame>();
  const frames: ChatServerFrame[] = [];
  let outgoing: readonly OutgoingMessage[] = [];
  let ids = firstId;
  const stream = new ChatStream({
    url: 'ws://shop.test/ws/chat',
    token: async () => 'access-token',
    createSocket: sockets.create,
    onBrowserOnline: () => () => {},
    onFrame: (frame) => frames.push(frame),
    onOutgoing: (list) => {
      outgoing = list;
    },
    onStatus: () => {},
    newClientMessageId: () => `mine-${++ids}`,
    ...(outbox && { outbox }),
  });
  const connected = () => sockets.openNewest();
  const reconnected = async (count: number) => {
    await vi.advanceTimersByTimeAsync(31_000);
    expect(sockets.created).toHaveLength(count);
    return sockets.openNewest();
  };
  return {
    stream,
    sockets: sockets.created,
    frames,
    connected,
    reconnected,
    get outgoing() {
      return outgoing;
    },
  };
}

describe('ChatStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the token as a subprotocol and resumes each followed conversation from what is shown', async () => {
    const chat = harness();
    chat.stream.start();
    const socket = await chat.connected();
    expect(socket.protocols).toEqual(['bearer', 'access-token']);

    chat.stream.follow(CONVERSATION, 12);
    expect(socket.sent).toEqual([{ type: 'resume', conversationId: CONVERSATION, since: 12 }]);
    chat.stream.stop();
  });

  it('after a drop, resumes from the highest seq received without a gap', async () => {
    const chat = harness();
    chat.stream.start();
    const first = await chat.connected();
    chat.stream.follow(CONVERSATION, 2);
    first.deliver(message(3, '안녕하세요'));
    first.deliver(message(5, '5번 (4번보다 먼저)'));
    first.drop();

    const second = await chat.reconnected(2);
    expect(second.sent).toEqual([{ type: 'resume', conversationId: CONVERSATION, since: 3 }]);
    chat.stream.stop();
  });

  it('delivers each message once although the replay repeats some', async () => {
    const chat = harness();
    chat.stream.start();
    const socket = await chat.connected();
    chat.stream.follow(CONVERSATION, 0);
    for (const seq of [1, 2, 2, 1, 4, 3, 4]) socket.deliver(message(seq, `m${seq}`));
    socket.deliver(message(1, 'other conversation', 'x-1', OTHER));

    const delivered = chat.frames
      .filter((f) => f.type === 'message')
      .map((f) => `${f.conversationId === OTHER ? 'o' : ''}${f.seq}`);
    expect(delivered).toEqual(['1', '2', '4', '3', 'o1']);
    expect(chat.stream.lastSeq(CONVERSATION)).toBe(4);
    chat.stream.stop();
  });

  it('sends an unconfirmed message again after a reconnect, with the same clientMessageId', async () => {
    const chat = harness();
    chat.stream.start();
    const first = await chat.connected();
    chat.stream.follow(CONVERSATION, 0);
    chat.stream.send(CONVERSATION, '배송은 언제 오나요?');
    expect(chat.outgoing.map((m) => m.clientMessageId)).toEqual(['mine-1']);
    first.drop();

    // Written while offline: kept, and sent after the resume.
    chat.stream.send(CONVERSATION, '답변 부탁드려요');
    const second = await chat.reconnected(2);
    expect(second.sent).toEqual([
      { type: 'resume', conversationId: CONVERSATION, since: 0 },
      {
        type: 'message',
        conversationId: CONVERSATION,
        clientMessageId: 'mine-1',
        text: '배송은 언제 오나요?',
      },
      { type: 'message', conversationId: CONVERSATION, clientMessageId: 'mine-2', text: '답변 부탁드려요' },
    ]);

    // The server's echo confirms it: not outgoing any more, not sent a third time.
    second.deliver({ ...message(1, '배송은 언제 오나요?', 'mine-1'), senderRole: 'CUSTOMER' });
    expect(chat.outgoing.map((m) => m.clientMessageId)).toEqual(['mine-2']);
    second.drop();
    const third = await chat.reconnected(3);
    expect(third.sent.filter((f) => f.type === 'message').map((f) => f.clientMessageId)).toEqual(['mine-2']);
    chat.stream.stop();
  });

  it('sends a read mark made while connecting once the socket opens, and again after every reconnect', async () => {
    const chat = harness();
    chat.stream.start();
    chat.stream.follow(CONVERSATION, 3);
    // The panel shows the history and marks it read before the socket is open.
    chat.stream.read(CONVERSATION, 3);
    const first = await chat.connected();
    expect(first.sent).toEqual([
      { type: 'resume', conversationId: CONVERSATION, since: 3 },
      { type: 'read', conversationId: CONVERSATION, seq: 3 },
    ]);

    // A newer mark sent just before a drop may never have arrived: the next socket sends the newest.
    first.deliver(message(4, '확인해 보겠습니다'));
    chat.stream.read(CONVERSATION, 4);
    expect(first.sent.at(-1)).toEqual({ type: 'read', conversationId: CONVERSATION, seq: 4 });
    first.drop();
    const second = await chat.reconnected(2);
    expect(second.sent).toEqual([
      { type: 'resume', conversationId: CONVERSATION, since: 4 },
      { type: 'read', conversationId: CONVERSATION, seq: 4 },
    ]);
    chat.stream.stop();
  });

  it('marks a refused message failed, does not resend it by itself, and retries it on request', async () => {
    const chat = harness();
    chat.stream.start();
    const first = await chat.connected();
    chat.stream.send(CONVERSATION, '잠시만요');
    first.deliver({
      type: 'error',
      code: 'rate-limited',
      message: 'Too many messages',
      conversationId: CONVERSATION,
      clientMessageId: 'mine-1',
    });
    expect(chat.outgoing[0]?.error?.code).toBe('rate-limited');
    first.drop();

    const second = await chat.reconnected(2);
    expect(second.sent.filter((f) => f.type === 'message')).toEqual([]);
    chat.stream.retry('mine-1');
    expect(second.sent.at(-1)).toMatchObject({
      type: 'message',
      clientMessageId: 'mine-1',
      text: '잠시만요',
    });
    expect(chat.outgoing[0]?.error).toBeUndefined();
    chat.stream.stop();
  });

  it('marks the message an error frame names failed (a conflict or an internal error), and only that one', async () => {
    const chat = harness();
    chat.stream.start();
    const first = await chat.connected();
    chat.stream.send(CONVERSATION, '첫 번째');
    chat.stream.send(CONVERSATION, '다른 탭에서 새 상담을 열었어요');
    // Another tab opened a conversation as this message reopened the resolved one.
    first.deliver({
      type: 'error',
      code: 'conflict',
      message: '진행 중인 다른 상담이 있습니다. 그 상담에서 이어서 문의해 주세요.',
      conversationId: CONVERSATION,
      clientMessageId: 'mine-2',
    });
    expect(chat.outgoing.map((m) => [m.clientMessageId, m.error?.code])).toEqual([
      ['mine-1', undefined],
      ['mine-2', 'conflict'],
    ]);
    first.deliver({
      type: 'error',
      code: 'internal',
      message: 'Something went wrong; try again',
      conversationId: CONVERSATION,
      clientMessageId: 'mine-1',
    });
    expect(chat.outgoing.map((m) => m.error?.code)).toEqual(['internal', 'conflict']);
    // Failed, not "sending": neither goes again by itself after a reconnect; each can be discarded.
    first.drop();
    const second = await chat.reconnected(2);
    expect(second.sent.filter((f) => f.type === 'message')).toEqual([]);
    chat.stream.discard('mine-2');
    expect(chat.outgoing.map((m) => m.clientMessageId)).toEqual(['mine-1']);
    chat.stream.stop();
  });

  it('stops sending by itself a message the socket closes on each time (reloads too), and offers to discard it', async () => {
    const tab = new TabStorage();
    const messageFrames = (socket: { sent: Array<Record<string, unknown>> }) =>
      socket.sent.filter((f) => f.type === 'message');
    const before = harness(sessionOutbox('user-1', tab));
    before.stream.start();
    const first = await before.connected();
    // A server (or proxy) that closes the socket on this frame (1009: too big) instead of answering.
    before.stream.send(CONVERSATION, `a${'\u0001'.repeat(1_600)}`);
    expect(messageFrames(first)).toHaveLength(1);
    first.drop(1009);
    const second = await before.reconnected(2);
    expect(messageFrames(second)).toHaveLength(1);
    second.drop(1009);
    before.stream.stop();

    // The reloaded page goes on counting where the last one stopped.
    const after = harness(sessionOutbox('user-1', tab), 100);
    after.stream.start();
    const third = await after.connected();
    expect(messageFrames(third)).toHaveLength(1);
    third.drop(1009);
    const fourth = await after.reconnected(2);
    expect(messageFrames(fourth)).toEqual([]);
    expect(after.outgoing.map((m) => [m.clientMessageId, m.error?.code])).toEqual([['mine-1', 'unanswered']]);

    // Failed, not "sending": the user discards it (or retries it by hand).
    after.stream.discard('mine-1');
    expect(after.outgoing).toEqual([]);
    expect(sessionOutbox('user-1', tab).load()).toEqual([]);
    after.stream.stop();
  });

  it('sends a message written before a reload again from the tab, once the new page connects', async () => {
    const tab = new TabStorage();
    const before = harness(sessionOutbox('user-1', tab));
    before.stream.start();
    // Written while the socket is still connecting, then the page goes away before it opens.
    before.stream.send(CONVERSATION, '주소를 바꾸고 싶어요');
    before.stream.stop();

    // The reloaded page shows it as pending at once and sends it when its socket opens.
    const after = harness(sessionOutbox('user-1', tab), 100);
    after.stream.start();
    expect(after.outgoing.map((m) => [m.clientMessageId, m.text])).toEqual([
      ['mine-1', '주소를 바꾸고 싶어요'],
    ]);
    const socket = await after.connected();
    expect(socket.sent.filter((f) => f.type === 'message')).toEqual([
      {
        type: 'message',
        conversationId: CONVERSATION,
        clientMessageId: 'mine-1',
        text: '주소를 바꾸고 싶어요',
      },
    ]);

    // Echoed: the tab keeps nothing, and a third page sends nothing.
    socket.deliver({ ...message(1, '주소를 바꾸고 싶어요', 'mine-1'), senderRole: 'CUSTOMER' });
    expect(after.outgoing).toEqual([]);
    after.stream.stop();
    const third = harness(sessionOutbox('user-1', tab));
    third.stream.start();
    expect((await third.connected()).sent.filter((f) => f.type === 'message')).toEqual([]);
    third.stream.stop();
  });

  it("keeps each user's unsent messages apart, ignores a damaged entry, and forgets them all at sign-out", () => {
    const tab = new TabStorage();
    const texts = (userId: string) =>
      sessionOutbox(userId, tab)
        .load()
        .map((m) => m.text);
    sessionOutbox('user-1', tab).save([{ conversationId: CONVERSATION, clientMessageId: 'a', text: '하나' }]);
    expect(texts('user-2')).toEqual([]);
    expect(texts('user-1')).toEqual(['하나']);

    tab.setItem('sagamart.chat.outbox:user-3', '{"not": "a list"');
    expect(texts('user-3')).toEqual([]);
    tab.setItem(
      'sagamart.chat.outbox:user-4',
      JSON.stringify([{ text: 1 }, { conversationId: 'c', clientMessageId: 'b', text: '둘' }]),
    );
    expect(texts('user-4')).toEqual(['둘']);

    tab.setItem('sagamart.checkout', '{}');
    clearSessionOutboxes(tab);
    expect(texts('user-1')).toEqual([]);
    expect(tab.length).toBe(1);
  });

  it('answers nothing to pongs and passes the other frames through', async () => {
    const chat = harness();
    chat.stream.start();
    const socket = await chat.connected();
    socket.deliver({ type: 'pong' });
    socket.deliver({ type: 'typing', conversationId: CONVERSATION, typing: true, by: 'AGENT' });
    socket.deliver({ type: 'read', conversationId: CONVERSATION, seq: 3, by: 'AGENT' });
    expect(chat.frames.map((f) => f.type)).toEqual(['typing', 'read']);
    chat.stream.stop();
  });
});

describe('SeqTracker', () => {
  it('fills gaps and moves the watermark only over contiguous seqs', () => {
    const tracker = new SeqTracker(2);
    expect(tracker.accept(2)).toBe(false);
    expect(tracker.accept(4)).toBe(true);
    expect(tracker.watermark).toBe(2);
    expect(tracker.accept(3)).toBe(true);
    expect(tracker.watermark).toBe(4);
    tracker.raise(10);
    expect(tracker.accept(9)).toBe(false);
    expect(tracker.accept(11)).toBe(true);
    expect(tracker.watermark).toBe(11);
  });
});
