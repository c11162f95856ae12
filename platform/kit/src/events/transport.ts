import type { Topology } from '@sagamart/contracts';

/** A message as it travels: the payload plus string headers (id, event name, version, trace context). */
export interface OutgoingMessage {
  id: string;
  topic: string;
  headers: Record<string, string>;
  payload: unknown;
}

export interface DeliveredMessage extends OutgoingMessage {
  /** 1 on first delivery, counting every redelivery (retries and crashed handlers). */
  attempt: number;
}

/** What the consumer decided: done, or try again later. Dead-lettering is decided above the transport. */
export type Disposition = { type: 'ack' } | { type: 'retry'; delayMs: number };

export type MessageHandler = (message: DeliveredMessage) => Promise<Disposition>;

export interface ConsumeOptions {
  /** Messages handled at once by this consumer. */
  concurrency: number;
}

export interface BroadcastOptions {
  /**
   * Called each time the connection that carries broadcasts is back after it was lost (once it listens
   * again): broadcasts sent meanwhile may be lost, so the subscriber reads the current state itself
   * (the config client re-reads its config). Not called at the first connection.
   */
  missed?: () => void;
}

export interface Subscription {
  /** Stops taking messages and waits for handlers in flight. */
  close(): Promise<void>;
}

/**
 * The durable event transport. Implementations: a PostgreSQL-backed queue (embedded default) and
 * RabbitMQ. Both deliver at least once; see docs/events.md for ordering.
 */
export interface Transport {
  readonly kind: 'postgres' | 'rabbitmq';
  /**
   * Creates queues and bindings (idempotent). The `owner`'s queue is bound to exactly its topology
   * entry: a topic it no longer lists is unbound. Other queues only gain bindings, so an older
   * instance of another service never unbinds what a newer consumer bound.
   */
  declare(topology: Topology, owner?: string): Promise<void>;
  /** Resolves once the transport has durably accepted every message (commit or publisher confirm). */
  publish(messages: OutgoingMessage[]): Promise<void>;
  /** Puts a message straight onto one queue (dead-letter replay). */
  send(queue: string, message: OutgoingMessage): Promise<void>;
  consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<Subscription>;
  /**
   * Fire-and-forget fan-out to every live instance (config refresh); not durable: an instance whose
   * connection is down when it is sent never gets it, and hears `missed` once it is back instead.
   */
  broadcast(channel: string, payload: unknown): Promise<void>;
  onBroadcast(
    channel: string,
    listener: (payload: unknown) => void,
    options?: BroadcastOptions,
  ): Promise<Subscription>;
  healthy(): Promise<boolean>;
  /**
   * Whether wake-ups and broadcasts reach this instance now: its LISTEN connection listens, or its broker
   * connection is up and every broadcast queue consumes on it again. Never true after a loss before each
   * broadcast subscriber has heard `missed`.
   * Pollers that back up a broadcast poll slowly while it is true and fast while it is false.
   */
  listening(): boolean;
  close(): Promise<void>;
}

export const HEADER = {
  messageId: 'x-message-id',
  event: 'x-event',
  version: 'x-event-version',
  source: 'x-source',
  occurredAt: 'x-occurred-at',
  attempt: 'x-attempt',
} as const;
