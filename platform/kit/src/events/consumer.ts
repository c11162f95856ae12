import type { EventContract, EventPayload } from '@sagamart/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { Value } from 'typebox/value';
import { afterCommit, trackedTransaction } from '../after-commit.ts';
import type { ServiceMetrics } from '../metrics.ts';
import { isDatabaseContention } from '../sql-text.ts';
import { extractTraceContext, SpanKind, type Tracing, withSpan } from '../tracing.ts';
import type { MessagingTables } from './schema.ts';
import {
  type DeliveredMessage,
  type Disposition,
  HEADER,
  type Subscription,
  type Transport,
} from './transport.ts';

export interface EventContext<DB> {
  /** The handler's transaction; the inbox row is written in it too. */
  trx: Transaction<DB>;
  messageId: string;
  attempt: number;
  headers: Record<string, string>;
  log: Logger;
  /** Runs fn once the handler's transaction has committed (e.g. to wake a worker that must see the change). */
  afterCommit(fn: () => void): void;
}

export interface EventHandler<DB = any> {
  contract: EventContract;
  handle(payload: unknown, context: EventContext<DB>): Promise<void>;
}

/** Declares a handler for one event contract. */
export function on<C extends EventContract, DB = any>(
  contract: C,
  handle: (payload: EventPayload<C>, context: EventContext<DB>) => Promise<void>,
): EventHandler<DB> {
  return { contract, handle: handle as EventHandler<DB>['handle'] };
}

/** Throw from a handler when retrying cannot help; the message goes straight to the dead-letter store. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

export interface RetryPolicy {
  maxAttempts: number;
  /**
   * Attempts for an event whose handler failed only on contention (isDatabaseContention: a lock
   * wait past the statement bound, a deadlock): it says nothing against the event, so it is tried
   * for longer, out waiting long work such as a catalog rebuild's swap, before it is dead-lettered.
   */
  maxContendedAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  maxContendedAttempts: 40,
  baseDelayMs: 200,
  maxDelayMs: 30_000,
};

export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export interface EventConsumerOptions<DB> {
  queue: string;
  db: Kysely<DB & MessagingTables>;
  transport: Transport;
  handlers: EventHandler<DB>[];
  retry: RetryPolicy;
  concurrency: number;
  tracing: Tracing;
  metrics: ServiceMetrics;
  log: Logger;
}

/**
 * The payload as this release's contract knows it (tolerant reader, ADR 0012): fields the schema does
 * not know, at any depth, are dropped, as a newer producer may add some during a rolling deploy; a
 * missing or mistyped field or another version is still refused. The delivered payload stays whole,
 * so a dead letter keeps everything for a replay. Publishers still validate the exact schema.
 */
function readPayload(
  contract: EventContract,
  message: DeliveredMessage,
): { payload: unknown } | { rejection: string } {
  const version = Number(message.headers[HEADER.version] ?? contract.version);
  if (version !== contract.version)
    return { rejection: `unsupported version ${version} of ${contract.name}` };
  // Every contract is closed at every depth (contracts' closed-event-schemas test), so a payload
  // that passes as it is has no unknown field: only one that does not is copied and cleaned.
  if (contract.validate(message.payload).length === 0) return { payload: message.payload };
  const payload = Value.Clean(contract.schema, structuredClone(message.payload));
  const problems = contract.validate(payload);
  return problems.length ? { rejection: `contract violation: ${problems.join('; ')}` } : { payload };
}

/**
 * Runs a service's handlers: reads each message as its contract knows it, dedupes through the inbox
 * in the handler's own transaction, retries with exponential backoff and dead-letters after N attempts.
 */
export class EventConsumer<DB> {
  private subscription: Subscription | undefined;
  private readonly byTopic = new Map<string, EventHandler<DB>>();

  constructor(private readonly options: EventConsumerOptions<DB>) {
    for (const handler of options.handlers) {
      if (this.byTopic.has(handler.contract.name))
        throw new Error(`Two handlers for ${handler.contract.name}`);
      this.byTopic.set(handler.contract.name, handler);
    }
  }

  get topics(): string[] {
    return [...this.byTopic.keys()];
  }

  async start(): Promise<void> {
    this.subscription = await this.options.transport.consume(this.options.queue, (m) => this.deliver(m), {
      concurrency: this.options.concurrency,
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  private async deliver(message: DeliveredMessage): Promise<Disposition> {
    const { metrics, log, tracing } = this.options;
    metrics.working();
    const handler = this.byTopic.get(message.topic);
    const parent = extractTraceContext(message.headers);
    return withSpan(
      tracing.tracer,
      `consume ${message.topic}`,
      {
        kind: SpanKind.CONSUMER,
        parent,
        attributes: { 'messaging.message.id': message.id, 'messaging.destination.name': this.options.queue },
      },
      async () => {
        const read = handler
          ? readPayload(handler.contract, message)
          : { rejection: `no handler for ${message.topic}` };
        if ('rejection' in read) return this.deadLetter(message, read.rejection);
        try {
          const processed = await trackedTransaction(
            this.options.db,
            async (trx) => {
              const fresh = await (trx as unknown as Kysely<MessagingTables>)
                .insertInto('inbox')
                .values({ message_id: message.id, topic: message.topic })
                .onConflict((oc) => oc.column('message_id').doNothing())
                .returning('message_id')
                .executeTakeFirst();
              if (!fresh) return false;
              await handler!.handle(read.payload, {
                trx: trx as unknown as Transaction<DB>,
                messageId: message.id,
                attempt: message.attempt,
                headers: message.headers,
                log: log.child({ event: message.topic, messageId: message.id }),
                afterCommit: (fn) => afterCommit(trx, fn),
              });
              return true;
            },
            (error) => log.warn({ err: error, event: message.topic }, 'afterCommit callback failed'),
          );
          metrics.eventsConsumed.inc({ event: message.topic, result: processed ? 'ok' : 'duplicate' });
          return { type: 'ack' } as const;
        } catch (error) {
          const err = error as Error;
          const { retry } = this.options;
          const attempts = isDatabaseContention(error) ? retry.maxContendedAttempts : retry.maxAttempts;
          if (error instanceof NonRetryableError || message.attempt >= attempts) {
            log.error(
              { err, event: message.topic, messageId: message.id, attempt: message.attempt },
              'event failed for the last time; dead-lettering it',
            );
            return this.deadLetter(message, err.stack ?? err.message);
          }
          const delayMs = retryDelay(retry, message.attempt);
          log.warn(
            { err, event: message.topic, attempt: message.attempt, delayMs },
            'event handler failed; retrying',
          );
          metrics.eventsConsumed.inc({ event: message.topic, result: 'retry' });
          return { type: 'retry', delayMs } as const;
        }
      },
    );
  }

  /**
   * Stores the message as a dead letter and acks it; while the store cannot take it (the database is
   * down), keeps it on the transport and tries again after the longest retry delay. Thrown, it would
   * come back at once, and RabbitMQ would move it after its delivery limit to `<queue>.dlq`, out of
   * the admin's reach.
   */
  private async deadLetter(message: DeliveredMessage, error: string): Promise<Disposition> {
    try {
      await (this.options.db as unknown as Kysely<MessagingTables>)
        .insertInto('dead_letters')
        .values({
          message_id: message.id,
          queue: this.options.queue,
          topic: message.topic,
          headers: JSON.stringify(message.headers) as never,
          payload: JSON.stringify(message.payload ?? null) as never,
          error: error.slice(0, 8_000),
          attempts: message.attempt,
        })
        .execute();
    } catch (err) {
      const delayMs = this.options.retry.maxDelayMs;
      this.options.log.warn(
        { err, event: message.topic, messageId: message.id, attempt: message.attempt, delayMs },
        'cannot store the dead letter; the event stays queued',
      );
      this.options.metrics.eventsConsumed.inc({ event: message.topic, result: 'retry' });
      return { type: 'retry', delayMs };
    }
    this.options.metrics.eventsConsumed.inc({ event: message.topic, result: 'dead_lettered' });
    return { type: 'ack' };
  }
}
