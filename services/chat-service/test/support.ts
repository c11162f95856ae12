import { randomUUID } from 'node:crypto';
import type { Topology } from '@sagamart/contracts';
import type { ChatClientFrame, ChatServerFrame } from '@sagamart/contracts/http/chat';
import { type ConfigTree, databaseUrl, PostgresTransport, type Service, type Transport } from '@sagamart/kit';
import {
  asUser,
  eventually,
  jsonClient,
  startTestService,
  transportWith,
  uniqueName,
} from '@sagamart/testkit';
import { JsonSocket } from '@sagamart/testkit/json-socket';
import chatService, { type ChatDb } from '../src/index.ts';

export { asUser, eventually, jsonClient } from '@sagamart/testkit';

/** Config shared by every instance of one chat "deployment" under test: one database, one bus. */
export function deployment(extra: ConfigTree = {}): ConfigTree {
  const { chat, ...rest } = extra as { chat?: ConfigTree };
  return {
    database: { name: uniqueName('t_chat') },
    bus: { database: uniqueName('t_bus'), pollMs: 200 },
    events: { baseDelayMs: 50 },
    chat: {
      presence: { heartbeatMs: 200, leaseMs: 2_000 },
      assignment: { sweepMs: 500 },
      socket: { sweepMs: 500 },
      ...(chat ?? {}),
    },
    ...rest,
  };
}

/**
 * One chat-service instance; `topology` routes its events (to an event recorder, say), and
 * `transport` replaces the one it would open (the test closes it).
 */
export function startChat(
  config: ConfigTree,
  topology?: Topology,
  transport?: Transport,
): Promise<Service<ChatDb>> {
  return startTestService(chatService, {
    config,
    ...(topology ? { topology } : {}),
    ...(transport ? { transport } : {}),
  });
}

/**
 * The bus of `service`'s deployment, for another instance, with its broadcasts (the other instances'
 * fan-out) held while `hold()` is in force: a fan-out that arrives late, at will.
 */
export function heldBroadcasts(service: Service<unknown>) {
  const { config } = service.context;
  const inner = new PostgresTransport({
    url: databaseUrl(config.string('database.url'), config.string('bus.database')),
    pollMs: config.number('bus.pollMs'),
  });
  let held: Array<() => void> | undefined;
  const transport = transportWith(inner, {
    onBroadcast: (channel, listener) =>
      inner.onBroadcast(channel, (payload) =>
        held ? held.push(() => listener(payload)) : listener(payload),
      ),
  });
  return {
    transport,
    hold: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const deliver of waiting) deliver();
    },
  };
}

export type Role = 'USER' | 'AGENT' | 'ADMIN';

/** A signed-in person of a role, with their service-token headers. */
export function person(role: Role = 'USER', name = role.toLowerCase()) {
  const userId = randomUUID();
  return { userId, role, headers: asUser(userId, role, `${name}-${userId.slice(0, 6)}@example.test`) };
}
export type Person = ReturnType<typeof person>;

type Frame = ChatServerFrame;

/** One /ws/chat socket (straight to a service, or through the gateway). */
export class ChatSocket extends JsonSocket<Frame> {
  static direct(service: Service<unknown>, who: Person) {
    return new ChatSocket(`${service.url.replace(/^http/, 'ws')}/ws/chat`, who.headers);
  }

  async send(frame: ChatClientFrame | Record<string, unknown> | string): Promise<void> {
    await this.opened;
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  of<T extends Frame['type']>(type: T, conversationId?: string): Extract<Frame, { type: T }>[] {
    return this.received.filter(
      (f): f is Extract<Frame, { type: T }> =>
        f.type === type &&
        (!conversationId || !('conversationId' in f) || f.conversationId === conversationId),
    );
  }

  /** The seqs of the messages received for a conversation, in arrival order. */
  seqs(conversationId: string): number[] {
    return this.of('message', conversationId).map((m) => m.seq);
  }

  /** Waits for a frame matching `test` (among all received so far) and returns it. */
  waitFor<T extends Frame['type']>(
    type: T,
    test: (frame: Extract<Frame, { type: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<Frame, { type: T }>> {
    return eventually(() => this.of(type).find(test), timeoutMs);
  }
}

/** The sockets a describe block opens straight to its instances; its afterAll calls `closeAll`. */
export class OpenSockets {
  private readonly sockets: ChatSocket[] = [];

  /** A socket to `service` as `who`, once it is open. */
  async open(service: Service<unknown>, who: Person): Promise<ChatSocket> {
    const socket = ChatSocket.direct(service, who);
    this.sockets.push(socket);
    await socket.opened;
    return socket;
  }

  closeAll(): void {
    for (const socket of this.sockets.splice(0)) socket.close();
  }
}

/** Waits until `who`'s socket has made them online (their presence reported), as the transfer picker shows. */
export async function agentOnline(service: Service<unknown>, who: Person): Promise<void> {
  await eventually(async () => {
    const agents = (await chatApi(service).api.get('/api/agent/agents', who.headers)).body.content;
    return agents?.some((x: { agentId: string; online: boolean }) => x.agentId === who.userId && x.online);
  });
}

/** REST helpers of one chat instance. */
export function chatApi(service: Service<unknown>) {
  const api = jsonClient(service);
  return {
    api,
    open: async (who: Person, body: Record<string, unknown> = {}) =>
      api.post('/api/chat/conversations', body, who.headers),
    get: async (who: Person, id: string) => api.get(`/api/chat/conversations/${id}`, who.headers),
    history: async (who: Person, id: string, query = '') =>
      api.get(`/api/chat/conversations/${id}/messages${query}`, who.headers),
    send: async (who: Person, id: string, text: string, clientMessageId: string = randomUUID()) =>
      api.post(`/api/chat/conversations/${id}/messages`, { clientMessageId, text }, who.headers),
    agentList: async (who: Person, status: string) =>
      api.get(`/api/agent/conversations?status=${status}`, who.headers),
    assign: async (who: Person, id: string, body: Record<string, unknown> = {}) =>
      api.post(`/api/agent/conversations/${id}/assign`, body, who.headers),
    transfer: async (who: Person, id: string, agentId: string) =>
      api.post(`/api/agent/conversations/${id}/transfer`, { agentId }, who.headers),
    resolve: async (who: Person, id: string) =>
      api.post(`/api/agent/conversations/${id}/resolve`, {}, who.headers),
  };
}
