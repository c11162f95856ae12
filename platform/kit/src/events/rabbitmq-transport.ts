import { createRequire } from 'node:module';
import type { Topology } from '@sagamart/contracts';
import type { AsyncMessage, Connection, Publisher } from 'rabbitmq-client';
import {
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
      // Unused delay queues go away on their own.
      'x-expires': delayMs + 10 * 60_000,
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
  private readonly declaredRetryQueues = new Map<string, Promise<unknown>>();
  /** Every consumer opened here; close() closes those their owners forgot. */
  private readonly consumers = new Set<{ close(): Promise<void> }>();
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
  }

  async declare(topology: Topology): Promise<void> {
    await this.connection.exchangeDeclare({ exchange: this.events, type: 'topic', durable: true });
    await this.connection.exchangeDeclare({ exchange: this.deadLetters, type: 'direct', durable: true });
    for (const [name, topics] of Object.entries(topology)) {
      const queue = this.queueName(name);
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
          const options = retryQueueOptions(queue, delayMs);
          await this.declareRetryQueue(options);
          // Confirmed before the ack: the message is never in neither queue.
          await this.publisher.send(
            {
              exchange: '',
              routingKey: options.queue,
              messageId: message.id,
              headers: { ...headers, [HEADER.attempt]: String(message.attempt) },
              durable: true,
              contentType: 'application/json',
            },
            raw.body,
          );
        }
        return rabbitmq().ConsumerStatus.ACK;
      },
    );
    return this.track(consumer);
  }

  private queueName(name: string): string {
    return `${this.prefix}${name}`;
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

  private declareRetryQueue(options: ReturnType<typeof retryQueueOptions>): Promise<unknown> {
    let declared = this.declaredRetryQueues.get(options.queue);
    if (!declared) {
      declared = this.connection.queueDeclare(options).catch((error) => {
        this.declaredRetryQueues.delete(options.queue);
        throw error;
      });
      this.declaredRetryQueues.set(options.queue, declared);
    }
    return declared;
  }

  async broadcast(channel: string, payload: unknown): Promise<void> {
    await this.publisher.send({ exchange: this.broadcasts, routingKey: channel }, { channel, payload });
  }

  async onBroadcast(channel: string, listener: (payload: unknown) => void): Promise<Subscription> {
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
    return this.track(consumer);
  }

  listening(): boolean {
    return this.connection.ready;
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
