import { infra } from '@sagamart/testkit';
import { describe } from 'vitest';
import { sagaInvariantSuite } from './invariant-suite.ts';

// Real RabbitMQ and PostgreSQL (`npm run test:infra`); CI requires both.
describe.runIf(infra.available('rabbitmq'))('rabbitmq', () => {
  sagaInvariantSuite('RabbitMQ', () => ({ amqp: infra.amqp() }));
});
