import type { ConfigTree } from '@sagamart/kit';
import { infra } from '@sagamart/testkit';
import { configRefreshContract } from './config-refresh-contract.ts';

// Real RabbitMQ (AMQP_URL): broadcasts via the direct exchange, an exclusive queue per listener.
configRefreshContract('rabbitmq', () => ({ amqp: infra.amqp() }), {
  url: () => infra.amqpUrl,
  through: (shared, proxyUrl) => ({ amqp: { ...(shared.amqp as ConfigTree), url: proxyUrl } }),
});
