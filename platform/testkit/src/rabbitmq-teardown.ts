import { afterAll, inject } from 'vitest';
import { infra } from './index.ts';
import { deleteTestRabbitObjects } from './rabbitmq-objects.ts';

// A setup file of the infra project. Registered first, this hook runs last: after the file's own
// hooks have stopped its services, it deletes the RabbitMQ queues and exchanges its tests declared
// under the prefixes `infra.amqp()` gave them.
afterAll(async () => {
  if (inject('infraUp').rabbitmq) await deleteTestRabbitObjects(infra.amqpUrl);
});
