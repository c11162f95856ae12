export {
  defaultRetryPolicy,
  EventConsumer,
  type EventContext,
  type EventHandler,
  NonRetryableError,
  on,
  type RetryPolicy,
  retryDelay,
} from './consumer.ts';
export { type DeadLetter, DeadLetterStore } from './dead-letters.ts';
export {
  ContractViolation,
  createEventPublisher,
  OutboxRelay,
  type PublishEvent,
  publishedIn,
} from './outbox.ts';
export { LISTENER_NAME, PostgresTransport } from './postgres-transport.ts';
export { RabbitTransport } from './rabbitmq-transport.ts';
export { type MessagingTables, messagingMigrations } from './schema.ts';
export {
  type BroadcastOptions,
  type DeliveredMessage,
  type Disposition,
  HEADER,
  type MessageHandler,
  type OutgoingMessage,
  type Subscription,
  type Transport,
} from './transport.ts';
