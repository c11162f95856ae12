import { infra, uniqueName } from '@sagamart/testkit';
import { describe } from 'vitest';
import { transportContract } from './transport-contract.ts';

// Real RabbitMQ (AMQP_URL); `npm run test:infra` runs this, and CI requires the broker.
describe.runIf(infra.available('rabbitmq'))('rabbitmq', () => {
  transportContract('rabbitmq', () => ({ amqp: { url: infra.amqpUrl, prefix: `${uniqueName('t')}.` } }));
});
