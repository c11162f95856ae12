import { infra } from '@sagamart/testkit';
import { describe } from 'vitest';
import { gatewayCacheSuite } from './catalog-through-gateway-suite.ts';

// Real RabbitMQ: the catalog's generation reaches the gateway on the broadcast exchange.
describe.runIf(infra.available('rabbitmq'))('rabbitmq', () => {
  gatewayCacheSuite('RabbitMQ', () => ({ amqp: infra.amqp() }));
});
