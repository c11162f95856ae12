import { infra } from '@sagamart/testkit';
import { transportContract } from './transport-contract.ts';

// Real RabbitMQ (AMQP_URL); `npm run test:infra` runs this, and CI requires the broker.
transportContract('rabbitmq', () => ({ amqp: { url: infra.amqpUrl } }));
