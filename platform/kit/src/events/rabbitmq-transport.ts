import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Topology } from '@sagamart/contracts';
import type { AsyncMessage, Connection, Envelope, MessageBody, Publisher } from 'rabbitmq-client';
import {
  type BroadcastOptions,
  type ConsumeOptions,
  HEADER,
  type MessageHandler,
  type OutgoingMessage,
  type Subscription,
  type Transport,
} from './transport.ts';

const EVENTS_EXCHANGE = 'sagamart.events';
const DEAD_LETTER_EXCHANGE = 'sagamart.dlx';
/** Direct, keyed by channel: an instance gets only the channels it listens to (was the fanout `sagamart.broadcast`). */
const BROADCAST_EXCHANGE = 'sagamart.broadcasts';
/** Quorum queues count deliveries; a message that keeps crashing its consumer is dead-lettered by the broker. */
const DELIVERY_LIMIT = 50;
/** A delay queue is deleted this long after its last declaration (its `x-expires`, beyond its delay). */
const RETRY_QUEUE_IDLE_MS = 10 * 60_000;
/**
 * A delay queue is declared again before a retry once its last declaration is this old: the
 * declaration renews its `x-expires`, so it cannot be deleted while a retry waits in it.
 */
const RETRY_QUEUE_REDECLARE_MS = 60_000;
/**
 * No queue can have this name (names beginning `amq.` are reserved to the broker), so a mandatory
 * message sent to it always comes back: see returnsFlushed.
 */
const UNROUTABLE_QUEUE = 'amq.sagamart.unroutable';

/**
 * The queues and exchanges RabbitTransports with a prefix declared in this process (a deployment
 * without one keeps no record). AMQP cannot list a broker's queues: this is how a test deletes what
 * its prefix made (see rabbitObjectNames).
 */
const declaredUnderPrefix = new Map<string, { queues: Set<string>; exchanges: Set<string> }>();

/**
 * Every queue and exchange under `prefix`: those RabbitTransports declared in this process, and those
 * `declare(topology)` makes in any process (delay queues, `<queue>.retry.<ms>`, are known only from
 * this process's: elsewhere they expire on their own). Server-named broadcast queues go with their
 * connection and are never listed.
 */
export function rabbitObjectNames(
  prefix: string,
  topology: Topology = {},
): { queues: string[]; exchanges: string[] } {
  const declared = declaredUnderPrefix.get(prefix);
  const queues = new Set(declared?.queues);
  for (const name of Object.keys(topology))
    for (const queue of [name, `${name}.dlq`, `${name}.bindings`]) queues.add(`${prefix}${queue}`);
  const exchanges = new Set(declared?.exchanges);
  for (const exchange of [EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE, BROADCAST_EXCHANGE])
    exchanges.add(`${prefix}${exchange}`);
  return { queues: [...queues], exchanges: [...exchanges] };
}

export interface RabbitTransportOptions {
  url: string;
  connectionName?: string;
  /** Prefixed to every exchange and queue name, so test runs never touch a real deployment's queues. */
  prefix?: string;
  onError?: (error: unknown) => void;
}

function mainQueueOptions(queue: string, deadLetterExchange: string) {
  return {
    queue,
    durable: true,
    arguments: {
      'x-queue-type': 'quorum' as const,
      'x-delivery-limit': DELIVERY_LIMIT,
      'x-dead-letter-exchange': deadLetterExchange,
      'x-dead-letter-routing-key': queue,
    },
  };
}

/** A delay queue per (queue, delay): expired messages dead-letter back to the work queue. */
function retryQueueOptions(queue: string, delayMs: number) {
  return {
    queue: `${queue}.retry.${delayMs}`,
    durable: true,
    arguments: {
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': queue,
      // Unused delay queues go away on their own; declareRetryQueue renews this before it expires.
      'x-expires': delayMs + RETRY_QUEUE_IDLE_MS,
    },
  };
}

function stringHeaders(headers: AsyncMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * rabbitmq-client, loaded when a RabbitTransport is made: the embedded default never needs it, and
 * every service process would otherwise carry it (about 1.3 MB of heap).
 */
let rabbitmqClient: typeof import('rabbitmq-client') | undefined;
const rabbitmq = () =>
  (rabbitmqClient ??= createRequire(import.meta.url)('rabbitmq-client') as typeof import('rabbitmq-client'));

/** RabbitMQ: topic exchange, durable quorum queues, publisher confirms, manual acks, dead-lettering. */
export class RabbitTransport implements Transport {
  readonly kind = 'rabbitmq' as const;
  private readonly connection: Connection;
  private readonly publisher: Publisher;
  private readonly declaredRetryQueues = new Map<string, { declared: Promise<unknown>; at: number }>();
  /** Mandatory publishes awaiting their outcome, by correlation id; a return from the broker marks one. */
  private readonly mandatory = new Map<string, { returned: boolean; onReturn?: () => void }>();
  /** Every consumer opened here; close() closes those their owners forgot. */
  private readonly consumers = new Set<{ close(): Promise<void> }>();
  /** Each broadcast consumer, with the consumer tag it last reported `ready` (and `missed`) under. */
  private readonly broadcastConsumers = new Map<{ readonly consumerTag: string }, { readyTag: string }>();
  private readonly onError: (error: unknown) => void;
  private readonly prefix: string;
  private readonly events: string;
  private readonly deadLetters: string;
  private readonly broadcasts: string;

  constructor(options: RabbitTransportOptions) {
    this.onError = options.onError ?? (() => {});
    this.prefix = options.prefix ?? '';
    this.events = `${this.prefix}${EVENTS_EXCHANGE}`;
    this.deadLetters = `${this.prefix}${DEAD_LETTER_EXCHANGE}`;
    this.broadcasts = `${this.prefix}${BROADCAST_EXCHANGE}`;
    // The publisher declares these two whenever it connects.
    this.noteDeclared('exchanges', this.events, this.broadcasts);
    this.connection = new (rabbitmq().Connection)({
      url: options.url,
      connectionName: options.connectionName ?? 'sagamart',
      retryLow: 200,
      retryHigh: 5_000,
    });
    this.connection.on('error', (error) => this.onError(error));
    this.publisher = this.connection.createPublisher({
      confirm: true,
      maxAttempts: 3,
      exchanges: [
        { exchange: this.events, type: 'topic', durable: true },
        { exchange: this.broadcasts, type: 'direct', durable: true },
      ],
    });
    this.publisher.on('basic.return', (message) => {
      const pending = message.correlationId ? this.mandatory.get(message.correlationId) : undefined;
      if (!pending) return;
      pending.returned = true;
      pending.onReturn?.();
    });
  }

  async declare(topology: Topology, owner?: string): Promise<void> {
    this.noteDeclared('exchanges', this.deadLetters);
    await this.connection.exchangeDeclare({ exchange: this.events, type: 'topic', durable: true });
    await this.connection.exchangeDeclare({ exchange: this.deadLetters, type: 'direct', durable: true });
    for (const [name, topics] of Object.entries(topology)) {
      const queue = this.queueName(name);
      this.noteDeclared('queues', queue, `${queue}.dlq`);
      await this.connection.queueDeclare(mainQueueOptions(queue, this.deadLetters));
      await this.connection.queueDeclare({ queue: `${queue}.dlq`, durable: true });
      await this.connection.queueBind({
        queue: `${queue}.dlq`,
        exchange: this.deadLetters,
        routingKey: queue,
      });
      for (const topic of topics) {
        await this.connection.queueBind({ queue, exchange: this.events, routingKey: topic });
      }
    }
    const owned = owner === undefined ? undefined : topology[owner];
    if (owner !== undefined && owned) await this.unbindDropped(this.queueName(owner), owned, topology);
  }

  /**
   * Unbinds from the owner's queue every topic it no longer consumes. AMQP cannot list a queue's
   * bindings, so the topics the owner ever bound are kept in a record, one message in the queue
   * `<queue>.bindings`; those and the topology's other topics (a deployment from before the record)
   * are unbound unless listed now. Unbinding what is not bound is a no-op.
   */
  private async unbindDropped(queue: string, topics: readonly string[], topology: Topology): Promise<void> {
    const record = `${queue}.bindings`;
    this.noteDeclared('queues', record);
    const channel = await this.connection.acquire();
    try {
      await channel.queueDeclare({ queue: record, durable: true, arguments: { 'x-max-length': 1 } });
      await channel.confirmSelect();
      // Left unacked until the new record is written: if this stops half-way, the old one comes back.
      const previous = await channel.basicGet({ queue: record });
      const recorded = Array.isArray(previous?.body)
        ? (previous.body as unknown[]).filter((t): t is string => typeof t === 'string')
        : [];
      const wanted = new Set(topics);
      const candidates = new Set([...recorded, ...Object.values(topology).flat()]);
      for (const topic of candidates) {
        if (!wanted.has(topic))
          await channel.queueUnbind({ queue, exchange: this.events, routingKey: topic });
      }
      await channel.basicPublish({ exchange: '', routingKey: record, durable: true }, [
        ...new Set([...recorded, ...topics]),
      ]);
      // The queue keeps one ready message: the new record replaces any other written meanwhile.
      if (previous) channel.basicAck({ deliveryTag: previous.deliveryTag });
    } finally {
      await channel.close();
    }
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    // Each send resolves on the broker's confirm; a nack or lost connection rejects.
    await Promise.all(
      messages.map((m) =>
        this.publisher.send(
          {
            exchange: this.events,
            routingKey: m.topic,
            messageId: m.id,
            headers: m.headers,
            durable: true,
            contentType: 'application/json',
          },
          m.payload ?? null,
        ),
      ),
    );
  }

  async send(queue: string, message: OutgoingMessage): Promise<void> {
    await this.publisher.send(
      {
        exchange: '',
        routingKey: this.queueName(queue),
        messageId: message.id,
        headers: message.headers,
        durable: true,
        contentType: 'application/json',
      },
      message.payload ?? null,
    );
  }

  async consume(name: string, handler: MessageHandler, options: ConsumeOptions): Promise<Subscription> {
    const queue = this.queueName(name);
    // The consumer declares its queue (again, whenever it reconnects).
    this.noteDeclared('queues', queue);
    const consumer = this.connection.createConsumer(
      {
        queue,
        queueOptions: mainQueueOptions(queue, this.deadLetters),
        qos: { prefetchCount: options.concurrency },
        concurrency: options.concurrency,
        requeue: true,
      },
      async (raw) => {
        const headers = stringHeaders(raw.headers);
        const retries = Number(headers[HEADER.attempt] ?? 0);
        const redeliveries = Number(raw.headers?.['x-delivery-count'] ?? 0);
        const message = {
          id: raw.messageId ?? headers[HEADER.messageId] ?? '',
          topic: headers[HEADER.event] ?? raw.routingKey,
          headers,
          payload: raw.body,
          attempt: retries + redeliveries + 1,
        };
        const disposition = await handler(message);
        if (disposition.type === 'retry') {
          const delayMs = Math.max(1, Math.round(disposition.delayMs));
          const retry = {
            messageId: message.id,
            headers: { ...headers, [HEADER.attempt]: String(message.attempt) },
            durable: true,
            contentType: 'application/json',
          };
          // Confirmed and routed before the ack: the message is never in neither queue.
          if (!(await this.sendRetry(queue, delayMs, retry, raw.body))) {
            this.onError(new Error(`no delay queue of ${queue} took a retry of ${message.id}; requeued`));
            return rabbitmq().ConsumerStatus.REQUEUE;
          }
        }
        return rabbitmq().ConsumerStatus.ACK;
      },
    );
    return this.track(consumer);
  }

  private queueName(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Noted before the declaration is sent: a declaration that fails half-way may still have made it. */
  private noteDeclared(kind: 'queues' | 'exchanges', ...names: string[]): void {
    if (this.prefix === '') return;
    const declared = declaredUnderPrefix.get(this.prefix) ?? { queues: new Set(), exchanges: new Set() };
    declaredUnderPrefix.set(this.prefix, declared);
    for (const name of names) declared[kind].add(name);
  }

  /** Waits for the consumer to be set up, and remembers it so close() can close it. */
  private async track(consumer: ReturnType<Connection['createConsumer']>): Promise<Subscription> {
    consumer.on('error', (error) => this.onError(error));
    await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
    this.consumers.add(consumer);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.close();
      },
    };
  }

  /**
   * Puts a retry into its delay queue; false when the broker could route it to none. A delay queue
   * has no consumer, so the broker deletes it once unused for its `x-expires`, and a message sent by
   * name to a queue that is gone is dropped (yet confirmed): hence `mandatory`, and one declaration
   * and resend when the broker returns it.
   */
  private async sendRetry(
    queue: string,
    delayMs: number,
    envelope: Envelope,
    body: MessageBody,
  ): Promise<boolean> {
    const options = retryQueueOptions(queue, delayMs);
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.declareRetryQueue(options);
      if (await this.sendRouted({ ...envelope, exchange: '', routingKey: options.queue }, body)) return true;
      this.declaredRetryQueues.delete(options.queue);
    }
    return false;
  }

  /** Publishes with `mandatory`; resolves false when the broker returned the message as unroutable. */
  private async sendRouted(envelope: Envelope, body: MessageBody): Promise<boolean> {
    const correlationId = randomUUID();
    const pending = { returned: false };
    this.mandatory.set(correlationId, pending);
    try {
      await this.publisher.send({ ...envelope, mandatory: true, correlationId }, body);
      // The broker returns a message before it confirms it, yet the client may emit the return after
      // it resolved the confirm (rabbitmq-client 5 defers it by a setImmediate).
      if (!pending.returned) await this.returnsFlushed();
      return !pending.returned;
    } finally {
      this.mandatory.delete(correlationId);
    }
  }

  /**
   * Resolves once the client has emitted every return the broker sent before now. The broker returns
   * a channel's messages in order and the client emits them in order, so once a message that cannot
   * be routed comes back, all returned before it have been seen; no count of event-loop turns is
   * assumed. Its confirm failing (a lost connection) rejects.
   */
  private async returnsFlushed(): Promise<void> {
    const correlationId = randomUUID();
    const returned = new Promise<void>((resolve) => {
      this.mandatory.set(correlationId, { returned: false, onReturn: resolve });
    });
    try {
      await Promise.all([
        this.publisher.send(
          { exchange: '', routingKey: UNROUTABLE_QUEUE, mandatory: true, correlationId },
          null,
        ),
        returned,
      ]);
    } finally {
      this.mandatory.delete(correlationId);
    }
  }

  private declareRetryQueue(options: ReturnType<typeof retryQueueOptions>): Promise<unknown> {
    const cached = this.declaredRetryQueues.get(options.queue);
    if (cached && Date.now() - cached.at < RETRY_QUEUE_REDECLARE_MS) return cached.declared;
    this.noteDeclared('queues', options.queue);
    const entry = { declared: this.connection.queueDeclare(options), at: Date.now() };
    this.declaredRetryQueues.set(options.queue, entry);
    entry.declared.catch(() => {
      if (this.declaredRetryQueues.get(options.queue) === entry)
        this.declaredRetryQueues.delete(options.queue);
    });
    return entry.declared;
  }

  async broadcast(channel: string, payload: unknown): Promise<void> {
    await this.publisher.send({ exchange: this.broadcasts, routingKey: channel }, { channel, payload });
  }

  async onBroadcast(
    channel: string,
    listener: (payload: unknown) => void,
    options: BroadcastOptions = {},
  ): Promise<Subscription> {
    // A server-named, exclusive queue per instance: every live instance gets its own copy.
    const consumer = this.connection.createConsumer(
      {
        queue: '',
        queueOptions: { exclusive: true, autoDelete: true },
        exchanges: [{ exchange: this.broadcasts, type: 'direct', durable: true }],
        queueBindings: [{ exchange: this.broadcasts, routingKey: channel }],
        noAck: true,
      },
      (raw) => {
        const body = raw.body as { channel?: string; payload?: unknown } | undefined;
        if (body?.channel === channel) listener(body.payload);
      },
    );
    // The queue goes with the connection (or channel) that declared it, and the client declares a new
    // one when it is back: what was sent in between reached no queue of ours, so each later `ready`
    // tells the subscriber it may have missed broadcasts.
    let readyBefore = false;
    const state = { readyTag: '' };
    this.broadcastConsumers.set(consumer, state);
    consumer.on('ready', () => {
      state.readyTag = consumer.consumerTag;
      if (!readyBefore) {
        readyBefore = true;
        return;
      }
      try {
        options.missed?.();
      } catch (error) {
        this.onError(error);
      }
    });
    const subscription = await this.track(consumer);
    return {
      close: async () => {
        this.broadcastConsumers.delete(consumer);
        await subscription.close();
      },
    };
  }

  /**
   * The connection is up and every broadcast consumer consumes on it again and has told its subscriber
   * `missed`: the connection is back well before a consumer's queue is (the client sets it up again
   * afterwards, with a new consumer tag), and a broadcast in between reaches nobody.
   */
  listening(): boolean {
    if (!this.connection.ready) return false;
    for (const [consumer, { readyTag }] of this.broadcastConsumers)
      if (consumer.consumerTag === '' || consumer.consumerTag !== readyTag) return false;
    return true;
  }

  async healthy(): Promise<boolean> {
    return this.connection.ready;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.close()));
    this.consumers.clear();
    await this.publisher.close().catch(() => {});
    await this.connection.close().catch(() => {});
  }
}
