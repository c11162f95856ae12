import { infra, uniqueName } from '@sagamart/testkit';
import { configRefreshContract } from './config-refresh-contract.ts';

// Real RabbitMQ (AMQP_URL): broadcasts via the fanout exchange.
configRefreshContract('rabbitmq', () => ({ amqp: { url: infra.amqpUrl, prefix: `${uniqueName('t')}.` } }));
