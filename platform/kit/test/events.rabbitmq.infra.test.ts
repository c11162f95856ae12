import { infra } from '@sagamart/testkit';
import { Connection } from 'rabbitmq-client';
import { afterAll, describe } from 'vitest';
import { transportContract } from './transport-contract.ts';

// Real RabbitMQ (AMQP_URL); `npm run test:infra` runs this, and CI requires the broker.
describe.runIf(infra.available('rabbitmq'))('rabbitmq', () => {
  let admin: Connection | undefined;
  afterAll(() => admin?.close());
  transportContract('rabbitmq', () => ({ amqp: infra.amqp() }), {
    // Where the broker dead-letters a message past its delivery limit.
    parkedByBroker: async (config, queue) => {
      admin ??= new Connection(infra.amqpUrl);
      const prefix = (config.amqp as { prefix: string }).prefix;
      return (await admin.queueDeclare({ queue: `${prefix}${queue}.dlq`, passive: true })).messageCount;
    },
  });
});
