import { randomUUID } from 'node:crypto';
import { databaseUrl, ensureDatabase, type Kysely, sql } from '@sagamart/kit';
import { eventually, infra, pgServerUrl, type TcpProxy, tcpProxy, uniqueName } from '@sagamart/testkit';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/db.ts';
import { OutboxRelay } from '../src/events/outbox.ts';
import { RabbitTransport } from '../src/events/rabbitmq-transport.ts';
import { type MessagingTables, messagingMigrations } from '../src/events/schema.ts';
import { createMetrics } from '../src/metrics.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outbox relay on real RabbitMQ whose publisher confirms come late: the broker takes the
 * messages (a consumer gets them at once) but what it sends back to the relay's connection is held
 * in a TCP proxy, as a broker under a memory or disk alarm, or one slow to confirm, would. The relay's
 * database pool ends a session idle in a transaction for 300 ms (ADR 0021). No transaction is open
 * while the relay waits (ADR 0022), so each event reaches the consumer once.
 */
describe.runIf(infra.available('rabbitmq'))('outbox relay: RabbitMQ confirms that come late', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(confirmTimeoutMs?: number) {
    const database = uniqueName('t_outbox');
    await ensureDatabase(pgServerUrl(), database);
    const url = databaseUrl(pgServerUrl(), database);
    const bounded = openDatabase<MessagingTables>(url, { queryTimeoutMs: 300 });
    cleanup.push(() => bounded.close());
    await migrate(bounded.db as Kysely<unknown>, messagingMigrations, 'messaging_migrations');
    const direct = openDatabase<MessagingTables>(url, { queryTimeoutMs: 0 });
    cleanup.push(() => direct.close());

    const { prefix } = infra.amqp();
    const topic = `test.relayed.${database}`;
    // The consumer's connection goes straight to the broker.
    const consuming = new RabbitTransport({ url: infra.amqpUrl, prefix });
    cleanup.push(() => consuming.close());
    await consuming.declare({ relayed: [topic] });
    const received: string[] = [];
    const subscription = await consuming.consume(
      'relayed',
      async (message) => {
        received.push(message.id);
        return { type: 'ack' };
      },
      { concurrency: 4 },
    );
    cleanup.push(() => subscription.close());

    // The relay's goes through the proxy.
    const proxy: TcpProxy = await tcpProxy(infra.amqpUrl);
    cleanup.push(() => proxy.close());
    const publishing = new RabbitTransport({ url: proxy.url, prefix });
    cleanup.push(() => publishing.close());
    // Connected, its channel in confirm mode, before anything is held.
    await publishing.publish([{ id: randomUUID(), topic: `${topic}.warm-up`, headers: {}, payload: null }]);

    const warnings: Array<{ msg: string }> = [];
    const relay = new OutboxRelay({
      db: bounded.db,
      url,
      transport: publishing,
      metrics: createMetrics(uniqueName('relay')),
      log: pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) }),
      ...(confirmTimeoutMs ? { confirmTimeoutMs } : {}),
    });
    await relay.start();
    cleanup.push(() => relay.stop());

    const commitEvent = async () => {
      const id = randomUUID();
      const headers = JSON.stringify({ 'x-message-id': id, 'x-event': topic });
      await sql`with inserted as (insert into outbox (id, topic, headers, payload) values (${id}, ${topic}, ${headers}::jsonb, '{}') returning id)
        select pg_notify('sagamart_outbox', '') from inserted`.execute(direct.db);
      return id;
    };
    const backlog = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(direct.db)).rows[0]!.n;
    return { proxy, received, warnings, commitEvent, backlog };
  }

  it('delivers an event once when its confirm comes later than the idle-in-transaction bound', async () => {
    const { proxy, received, warnings, commitEvent, backlog } = await setup();
    proxy.hold();
    const id = await commitEvent();
    // The broker has it; its confirm waits in the proxy for longer than the 300 ms bound.
    await eventually(() => received.includes(id));
    await sleep(1_500);
    proxy.release();

    await eventually(async () => (await backlog()) === 0);
    // A last event through the same relay: once it arrives, a second copy of the first would have too.
    const last = await commitEvent();
    await eventually(() => received.includes(last));
    expect(received).toEqual([id, last]);
    expect(warnings).toEqual([]);
  });

  it('waits for a confirm held past events.confirmTimeoutMs, says so once, and delivers the event once', async () => {
    const { proxy, received, warnings, commitEvent, backlog } = await setup(300);
    proxy.hold();
    const id = await commitEvent();
    await eventually(() => received.includes(id));
    // Several waits of 300 ms each, and their backoffs.
    await sleep(2_500);
    expect(await backlog()).toBe(1);
    proxy.release();

    await eventually(async () => (await backlog()) === 0);
    const last = await commitEvent();
    await eventually(() => received.includes(last));
    expect(received).toEqual([id, last]);
    expect(warnings.map((w) => w.msg)).toEqual([
      'outbox relay: the transport has not confirmed a batch within events.confirmTimeoutMs; waiting for it, backing off',
    ]);
  });
});
