import { CHAT_FANOUT_CHANNEL } from '@sagamart/contracts/http/chat';
import {
  MemoryRateLimiter,
  type Periodic,
  type RateLimiter,
  RedisRateLimiter,
  repeatEvery,
  type ServiceContext,
  type Subscription,
} from '@sagamart/kit';
import { Counter, Gauge } from 'prom-client';
import { CannedAnswers } from '../infra/canned-answers.ts';
import { ChatUsers } from '../infra/chat-users.ts';
import { ConversationStore } from '../infra/conversation-store.ts';
import { Orders } from '../infra/orders.ts';
import { PostgresPresence, type PresenceStore, RedisPresence } from '../infra/presence.ts';
import type { ChatDb } from '../infra/schema.ts';
import { Chat } from './chat.ts';
import { type ChatEvent, type FanoutMessage, MAX_FANOUT_BYTES } from './chat-events.ts';
import { ChatHub, type HubMetrics, type HubSettings } from './live-hub.ts';

export interface ChatModule {
  store: ConversationStore;
  users: ChatUsers;
  canned: CannedAnswers;
  chat: Chat;
  hub: ChatHub;
  presence: PresenceStore;
  limiter: RateLimiter;
  /** Whether the latest presence report read no agents (a failed one counts as not). */
  reportedNoAgents: boolean;
  /** While started: the fan-out subscription and the background loops. */
  running?: { fanout: Subscription | undefined; loops: Periodic[] } | undefined;
}

const modules = new WeakMap<ServiceContext<ChatDb>, ChatModule>();

export function chatModule(ctx: ServiceContext<ChatDb>): ChatModule {
  let module = modules.get(ctx);
  if (!module) module = createModule(ctx);
  modules.set(ctx, module);
  return module;
}

function createModule(ctx: ServiceContext<ChatDb>): ChatModule {
  const { config } = ctx;
  const redisUrl = config.optionalString('redis.url');
  const store = new ConversationStore(ctx.db);
  const users = new ChatUsers(ctx.db);
  const presence: PresenceStore = redisUrl
    ? new RedisPresence(redisUrl, config.string('chat.presence.keyPrefix'), ctx.instanceId)
    : new PostgresPresence(ctx.db, ctx.instanceId);
  const limiter: RateLimiter = redisUrl
    ? new RedisRateLimiter(redisUrl, config.string('chat.rateLimit.keyPrefix'), ctx.log)
    : new MemoryRateLimiter();
  let hub: ChatHub | undefined;
  const emit = (events: ChatEvent[]) => {
    hub?.apply(events);
    for (const batch of fanoutBatches(events.map(fitting))) {
      const message: FanoutMessage = { origin: ctx.instanceId, events: batch };
      ctx.transport
        ?.broadcast(CHAT_FANOUT_CHANNEL, message)
        .catch((error) => ctx.log.warn({ err: error }, 'chat fan-out failed; the sweep delivers messages'));
    }
  };
  const chat = new Chat({
    db: ctx.db,
    transaction: (fn) => ctx.transaction(fn),
    publish: ctx.publish,
    store,
    users,
    orders: new Orders(ctx as ServiceContext<unknown>),
    presence,
    limiter,
    config,
    emit,
  });
  const agentsChanged = () => {
    void reportPresence(ctx, module)
      .then(() => chat.autoAssign())
      .catch((error) => ctx.log.warn({ err: error }, 'chat presence or assignment failed'));
  };
  hub = new ChatHub(
    chat,
    store,
    (): HubSettings => ({
      pingMs: config.number('chat.socket.pingMs'),
      maxBufferedBytes: config.number('chat.socket.maxBufferedBytes'),
      replayBatch: config.number('chat.socket.replayBatch'),
      sweepMs: config.number('chat.socket.sweepMs'),
    }),
    ctx.log,
    agentsChanged,
    hubMetrics(ctx, () => hub?.typingConversations() ?? 0),
  );
  const module: ChatModule = {
    store,
    users,
    canned: new CannedAnswers(ctx.db),
    chat,
    hub,
    presence,
    limiter,
    reportedNoAgents: false,
  };
  return module;
}

/** `chat_typing_frames_dropped_total` and `chat_typing_conversations` (what the typing throttles hold). */
function hubMetrics(ctx: ServiceContext<ChatDb>, typingConversations: () => number): HubMetrics {
  new Gauge({
    name: 'chat_typing_conversations',
    help: 'Conversations whose typing frames the sockets on this instance are pacing (bounded per socket)',
    registers: [ctx.metrics.registry],
    collect() {
      this.set(typingConversations());
    },
  });
  const dropped = new Counter({
    name: 'chat_typing_frames_dropped_total',
    help: 'Typing frames dropped by their socket throttle (too many, or a flood of conversation ids)',
    registers: [ctx.metrics.registry],
  });
  return { typingDropped: () => dropped.inc() };
}

/** Events in broadcasts that each stay below MAX_FANOUT_BYTES (many assignments at once would not fit one). */
function fanoutBatches(events: ChatEvent[]): ChatEvent[][] {
  const batches: ChatEvent[][] = [];
  let batch: ChatEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (batch.length && bytes + size > MAX_FANOUT_BYTES) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** A message's text stays home when the broadcast would be too big: receivers read it from the database. */
function fitting(event: ChatEvent): ChatEvent {
  if (event.kind !== 'message' || !event.message) return event;
  return Buffer.byteLength(JSON.stringify(event)) > MAX_FANOUT_BYTES
    ? { ...event, message: undefined }
    : event;
}

/**
 * Reports this instance's agents, as the sockets are when the report's turn comes (reports land in
 * that order). With none now and none at the latest report, there is nothing to renew or remove: an
 * instance without agents writes nothing at idle.
 */
async function reportPresence(ctx: ServiceContext<ChatDb>, module: ChatModule): Promise<void> {
  if (module.reportedNoAgents && module.hub.agentConnections().size === 0) return;
  try {
    await module.presence.report(() => {
      const agents = module.hub.agentConnections();
      module.reportedNoAgents = agents.size === 0;
      return agents;
    }, ctx.config.number('chat.presence.leaseMs'));
  } catch (error) {
    module.reportedNoAgents = false;
    throw error;
  }
}

/** Starts the hub, the fan-out listener, the presence heartbeat and the assignment sweep. */
export async function startChat(ctx: ServiceContext<ChatDb>): Promise<void> {
  const module = chatModule(ctx);
  module.hub.start();
  const fanout = await ctx.transport?.onBroadcast(CHAT_FANOUT_CHANNEL, (payload) => {
    const message = payload as FanoutMessage;
    if (message?.origin && message.origin !== ctx.instanceId && Array.isArray(message.events))
      module.hub.apply(message.events);
  });
  const warn = (what: string) => (error: unknown) => ctx.log.warn({ err: error }, `chat ${what} failed`);
  const loops = [
    repeatEvery(
      () => ctx.config.number('chat.presence.heartbeatMs'),
      () => reportPresence(ctx, module).catch(warn('presence heartbeat')),
    ),
    repeatEvery(
      () => ctx.config.number('chat.assignment.sweepMs'),
      () => module.chat.sweep().catch(warn('assignment sweep')),
    ),
  ];
  module.running = { fanout, loops };
}

export async function stopChat(ctx: ServiceContext<ChatDb>): Promise<void> {
  const module = chatModule(ctx);
  module.hub.stop();
  await Promise.all(module.running?.loops.map((loop) => loop.stop()) ?? []);
  await module.running?.fanout?.close();
  await module.presence.clear().catch(() => undefined);
  await Promise.all([module.presence.close(), module.limiter.close()]);
}
