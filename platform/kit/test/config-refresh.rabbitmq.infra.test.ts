import type { ConfigTree } from '@sagamart/kit';
import { infra, uniqueName } from '@sagamart/testkit';
import { configRefreshContract } from './config-refresh-contract.ts';

// Real RabbitMQ (AMQP_URL): broadcasts via the direct exchange, an exclusive queue per listener.
configRefreshContract('rabbitmq', () => ({ amqp: { url: infra.amqpUrl, prefix: `${uniqueName('t')}.` } }), {
  url: () => infra.amqpUrl,
  through: (shared, proxyUrl) => ({ amqp: { ...(shared.amqp as ConfigTree), url: proxyUrl } }),
});
