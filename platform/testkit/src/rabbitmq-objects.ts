import type { Topology } from '@sagamart/contracts';
import { rabbitObjectNames } from '@sagamart/kit';
import { Connection } from 'rabbitmq-client';
import { uniqueName } from './test-names.ts';

// A test's queues and exchanges are named under a prefix of its own (`t_<run>_<random>.`), and deleted
// when its file ends (rabbitmq-teardown.ts): quorum queues left behind pile up on a shared broker,
// which then recovers every one of them at each restart.

/** The prefixes this process's tests were given, each with the topology its other processes declare. */
const given = new Map<string, Topology>();

/**
 * AMQP settings of a test's own: a prefix no other test or deployment uses. What is declared under it
 * is deleted when the test file ends: whatever this process's transports declared, and what
 * `topology` makes, for services the test runs as processes of their own.
 */
export function testAmqp(url: string, topology: Topology = {}): { url: string; prefix: string } {
  const prefix = `${uniqueName('t')}.`;
  given.set(prefix, topology);
  return { url, prefix };
}

/**
 * Deletes the queues and exchanges under every prefix given out so far, and only those (a deployment's
 * names have no prefix, other tests' another one). Call it once the services that use them are stopped:
 * a consumer still open would declare its queue again.
 */
export async function deleteTestRabbitObjects(url: string): Promise<void> {
  if (given.size === 0) return;
  const broker = new Connection({ url, connectionName: 'testkit teardown', retryHigh: 1_000 });
  const failures: string[] = [];
  try {
    await broker.onConnect(10_000);
    for (const [prefix, topology] of given) {
      const { queues, exchanges } = rabbitObjectNames(prefix, topology);
      for (const queue of queues)
        await broker
          .queueDelete({ queue })
          .catch((e: Error) => failures.push(`queue ${queue}: ${e.message}`));
      for (const exchange of exchanges)
        await broker
          .exchangeDelete({ exchange })
          .catch((e: Error) => failures.push(`exchange ${exchange}: ${e.message}`));
      given.delete(prefix);
    }
  } finally {
    await broker.close();
  }
  if (failures.length)
    throw new Error(`could not delete the test's RabbitMQ objects:\n${failures.join('\n')}`);
}
