import { infra } from '@sagamart/testkit';
import { describe } from 'vitest';
import { afterSaleInvariantSuite } from './after-sale-invariant-suite.ts';

// Real RabbitMQ and PostgreSQL (`npm run test:infra`); CI requires both.
describe.runIf(infra.available('rabbitmq'))('rabbitmq', () => {
  afterSaleInvariantSuite('RabbitMQ', () => ({
    amqp: infra.amqp(),
  }));
});
