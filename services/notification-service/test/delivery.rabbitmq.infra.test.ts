import { infra } from '@sagamart/testkit';
import { describe } from 'vitest';
import { deliverySuite } from './delivery-suite.ts';

// Real RabbitMQ (`npm run test:infra`): events on quorum queues, the fan-out on the broadcast exchange.
describe.runIf(infra.available('rabbitmq'))('rabbitmq', () => {
  deliverySuite('RabbitMQ', () => ({ amqp: infra.amqp() }));
});
