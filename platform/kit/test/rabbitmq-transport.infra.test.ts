import { EventEmitter } from 'node:events';
import { HEADER, type OutgoingMessage } from '@sagamart/kit';
import { deleteTestRabbitObjects, eventually, infra, uniqueName } from '@sagamart/testkit';
import { Connection } from 'rabbitmq-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RabbitTransport } from '../src/events/rabbitmq-transport.ts';

/** What the RabbitMQ transport does with the broker's own objects: delay queues, bindings. */
describe.runIf(infra.available('rabbitmq'))('rabbitmq transport', () => {
  let admin: Connection | undefined;
  const broker = () => (admin ??= new Connection(infra.amqpUrl));
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(() => admin?.close());

  /** A transport of the test's own; what it declares goes when the file ends (infra.amqp()). */
  function setup() {
    const { prefix } = infra.amqp();
    const transport = new RabbitTransport({ url: infra.amqpUrl, prefix });
    cleanups.push(() => transport.close());
    const message = (topic: string): OutgoingMessage => {
      const id = uniqueName('msg');
      return { id, topic, headers: { [HEADER.messageId]: id, [HEADER.event]: topic }, payload: {} };
    };
    return { prefix, transport, message };
  }

  /** A `work` queue whose consumer retries each message once after 50 ms, its delay queue in place. */
  async function retryingOnce(concurrency: number) {
    const { prefix, transport, message } = setup();
    await transport.declare({ work: ['test.retried'] });
    const deliveries = new Map<string, number>();
    await transport.consume(
      'work',
      async (m) => {
        const count = (deliveries.get(m.id) ?? 0) + 1;
        deliveries.set(m.id, count);
        return count === 1 ? { type: 'retry', delayMs: 50 } : { type: 'ack' };
      },
      { concurrency },
    );
    // One retry first, so the delay queue exists before a test deletes it.
    const first = message('test.retried');
    await transport.publish([first]);
    await eventually(() => deliveries.get(first.id) === 2);
    return { prefix, transport, message, deliveries };
  }

  it('retries a message after its delay queue is gone', async () => {
    const { prefix, transport, message, deliveries } = await retryingOnce(2);

    // The broker deletes a delay queue no one declared for its x-expires; this deletes it at once.
    await broker().queueDelete({ queue: `${prefix}work.retry.50` });
    const second = message('test.retried');
    await transport.publish([second]);
    await eventually(() => deliveries.get(second.id) === 2);
  });

  it('retries every message of a burst sent while its delay queue is gone', async () => {
    const { prefix, transport, message, deliveries } = await retryingOnce(16);

    // Many retries in flight at once, each returned by the broker: every one must be noticed.
    await broker().queueDelete({ queue: `${prefix}work.retry.50` });
    const burst = Array.from({ length: 32 }, () => message('test.retried'));
    await transport.publish(burst);
    await eventually(() => burst.every((m) => deliveries.get(m.id) === 2));
  });

  it('retries a message whose return the client reports only well after the confirm', async () => {
    const { prefix, transport, message, deliveries } = await retryingOnce(2);

    // As a client could: it reports returns in order, but some event-loop turns after it read them.
    const channel = await broker().acquire();
    const channels = Object.getPrototypeOf(channel) as EventEmitter;
    await channel.close();
    expect(Object.hasOwn(channels, 'emit')).toBe(false);
    channels.emit = function (this: EventEmitter, name: string | symbol, ...args: unknown[]) {
      if (name !== 'basic.return') return EventEmitter.prototype.emit.call(this, name, ...args);
      setTimeout(() => EventEmitter.prototype.emit.call(this, name, ...args), 20);
      return true;
    };
    cleanups.unshift(async () => {
      delete (channels as Partial<EventEmitter>).emit;
    });

    await broker().queueDelete({ queue: `${prefix}work.retry.50` });
    const second = message('test.retried');
    await transport.publish([second]);
    await eventually(() => deliveries.get(second.id) === 2);
  });

  it("deletes at teardown what was declared under a test's prefixes, and nothing else", async () => {
    const { prefix, transport } = await retryingOnce(2);
    // As services the test runs as processes of their own declare their topology: not seen here.
    const elsewhere = infra.amqp({ billing: ['test.billed'] });
    await broker().exchangeDeclare({ exchange: `${elsewhere.prefix}sagamart.dlx`, type: 'direct' });
    for (const queue of ['billing', 'billing.dlq', 'billing.bindings'])
      await broker().queueDeclare({ queue: `${elsewhere.prefix}${queue}`, durable: true });
    // A queue of another run (or of a deployment with that prefix), not given to this test.
    const another = `${uniqueName('t')}.work`;
    await broker().queueDeclare({ queue: another, durable: true });
    cleanups.push(async () => void (await broker().queueDelete({ queue: another })));
    // A test's services stop before its file's teardown.
    await transport.close();

    await deleteTestRabbitObjects(infra.amqpUrl);

    const queueExists = (queue: string) =>
      broker()
        .queueDeclare({ queue, passive: true })
        .then(
          () => true,
          () => false,
        );
    const exchangeExists = (exchange: string) =>
      broker()
        .exchangeDeclare({ exchange, passive: true })
        .then(
          () => true,
          () => false,
        );
    const declared = [
      ...['work', 'work.dlq', 'work.retry.50'].map((q) => `${prefix}${q}`),
      ...['billing', 'billing.dlq', 'billing.bindings'].map((q) => `${elsewhere.prefix}${q}`),
    ];
    for (const queue of declared) expect(await queueExists(queue), queue).toBe(false);
    for (const exchange of ['sagamart.events', 'sagamart.dlx', 'sagamart.broadcasts'])
      expect(await exchangeExists(`${prefix}${exchange}`), exchange).toBe(false);
    expect(await exchangeExists(`${elsewhere.prefix}sagamart.dlx`)).toBe(false);
    expect(await queueExists(another)).toBe(true);
  });

  it("unbinds a topic its owner dropped before the transport kept a record of the queue's bindings", async () => {
    const { transport, message } = setup();
    // As an older version left it: `work` bound to a topic it no longer consumes, and no record.
    await transport.declare({ work: ['test.kept', 'test.dropped'], other: ['test.dropped'] });
    await transport.declare({ work: ['test.kept'], other: ['test.dropped'] }, 'work');
    const received: string[] = [];
    await transport.consume(
      'work',
      async (m) => {
        received.push(m.topic);
        return { type: 'ack' };
      },
      { concurrency: 1 },
    );
    // In order, one at a time: a `test.dropped` still routed to `work` would arrive first.
    await transport.publish([message('test.dropped')]);
    await transport.publish([message('test.kept')]);
    await eventually(() => received.includes('test.kept'));
    expect(received).toEqual(['test.kept']);
  });
});
