import { randomUUID } from 'node:crypto';
import {
  databaseUrl,
  ensureDatabase,
  HEADER,
  type Kysely,
  type OutgoingMessage,
  PostgresTransport,
  sql,
} from '@sagamart/kit';
import { eventually, pgServerUrl, type TcpProxy, tcpProxy, uniqueName } from '@sagamart/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/db.ts';

/**
 * A pool connection whose network goes silent (a NAT or firewall that forgot it, a partition) is
 * closed by neither end, so a statement sent on it is never answered. Through a TCP proxy that stops
 * forwarding without closing, a statement gives up after the pool's query timeout (short here), the
 * connection is dropped from the pool, and the caller's next try runs on a new one: a consumer keeps
 * draining its queue, a publisher's retry goes through, a service's next statement is answered.
 */
describe('a pool connection that goes silent', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  const QUERY_TIMEOUT_MS = 500;

  async function setup() {
    const database = uniqueName('t_bus');
    await ensureDatabase(pgServerUrl(), database);
    const proxy: TcpProxy = await tcpProxy(pgServerUrl());
    cleanup.push(() => proxy.close());
    /** A transport on the database itself: its network never goes silent. */
    const direct = new PostgresTransport({ url: databaseUrl(pgServerUrl(), database), pollMs: 200 });
    cleanup.push(() => direct.close());
    const throughProxy = () => {
      const transport = new PostgresTransport({
        url: databaseUrl(proxy.url, database),
        pollMs: 200,
        listenedPollMs: 1_000,
        listenerTimeoutMs: 500,
        queryTimeoutMs: QUERY_TIMEOUT_MS,
      });
      cleanup.push(() => transport.close());
      return transport;
    };
    const topic = `test.silent-pool.${database}`;
    await direct.declare({ silent: [topic] });
    const message = (): OutgoingMessage => {
      const id = randomUUID();
      return { id, topic, headers: { [HEADER.messageId]: id, [HEADER.event]: topic }, payload: {} };
    };
    const consume = async (transport: PostgresTransport) => {
      const received: string[] = [];
      const subscription = await transport.consume(
        'silent',
        async (delivered) => {
          received.push(delivered.id);
          return { type: 'ack' };
        },
        { concurrency: 1 },
      );
      cleanup.push(() => subscription.close());
      return received;
    };
    return { database, proxy, direct, throughProxy, message, consume };
  }

  it('a consumer whose pool connection is silent claims on a new one and keeps delivering', async () => {
    const { proxy, direct, throughProxy, message, consume } = await setup();
    const transport = throughProxy();
    const received = await consume(transport);
    await eventually(() => transport.listening());
    const first = message();
    await direct.publish([first]);
    await eventually(() => received.includes(first.id));

    // The claim's connection is idle in the pool (kept 10 s): the next claim takes it.
    proxy.blackhole();
    const afterwards = message();
    await direct.publish([afterwards]);
    // Without a query timeout the claim waits for ever and nothing more is delivered.
    await eventually(() => received.includes(afterwards.id));
    const third = message();
    await direct.publish([third]);
    await eventually(() => received.includes(third.id));
    expect(received).toEqual([first.id, afterwards.id, third.id]);
  });

  it('a publish on a silent connection fails within the query timeout, and its retry is delivered', async () => {
    const { proxy, direct, throughProxy, message, consume } = await setup();
    const publisher = throughProxy();
    const received = await consume(direct);
    const first = message();
    await publisher.publish([first]);
    await eventually(() => received.includes(first.id));

    proxy.blackhole();
    const retried = message();
    await expect(settledWithin(publisher.publish([retried]), 10_000)).rejects.toThrow('Query read timeout');
    // The outbox relay's retry: the same message again, on a new connection.
    await settledWithin(publisher.publish([retried]), 10_000);
    await eventually(() => received.includes(retried.id));
    expect(received).toEqual([first.id, retried.id]);
  });

  it('a publish whose new connection never finishes its handshake fails, and goes through once the network is back', async () => {
    const { proxy, direct, throughProxy, message, consume } = await setup();
    const publisher = throughProxy();
    const received = await consume(direct);
    // No connection yet: the pool's first one is accepted and then hears nothing.
    proxy.blackhole({ newConnections: true });
    const retried = message();
    await expect(settledWithin(publisher.publish([retried]), 10_000)).rejects.toThrow();
    proxy.up();
    await settledWithin(publisher.publish([retried]), 10_000);
    await eventually(() => received.includes(retried.id));
    expect(received).toEqual([retried.id]);
  });

  it("a service's statement on a silent connection fails, and the connection is not handed out again", async () => {
    const { database, proxy } = await setup();
    // One connection: a broken one put back in the pool would be the next statement's.
    const opened = openDatabase(databaseUrl(proxy.url, database), {
      max: 1,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
    });
    cleanup.push(() => opened.close());
    const db = opened.db as Kysely<unknown>;
    const one = async () => (await sql<{ n: number }>`select 1::int as n`.execute(db)).rows[0]?.n;
    expect(await one()).toBe(1);

    const transaction = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      proxy.blackhole();
      await sql`select 2`.execute(trx);
    });
    await expect(settledWithin(transaction, 10_000)).rejects.toThrow('Query read timeout');
    expect(await settledWithin(one(), 10_000)).toBe(1);
    expect(await settledWithin(one(), 10_000)).toBe(1);
  });

  it('a migration may run longer than the query timeout; a statement may not', async () => {
    const database = uniqueName('t_db');
    await ensureDatabase(pgServerUrl(), database);
    const opened = openDatabase(databaseUrl(pgServerUrl(), database), { queryTimeoutMs: 300 });
    cleanup.push(() => opened.close());
    const db = opened.db as Kysely<unknown>;
    // A long index build, say: here a statement that takes twice the bound.
    await migrate(db, {
      '0001_long': {
        up: async (trx) => {
          await sql`select pg_sleep(0.6)`.execute(trx);
          await sql`create table built (id int primary key)`.execute(trx);
        },
      },
    });
    await sql`select count(*) from built`.execute(db);
    // PostgreSQL cancels it at the bound (57014), on a connection that goes on serving.
    await expect(sql`select pg_sleep(0.6)`.execute(db)).rejects.toMatchObject({ code: '57014' });
    await sql`select 1`.execute(db);
  });
});

/** The promise's outcome, or a rejection saying it was still pending after `ms`. */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, pending]).finally(() => clearTimeout(timer));
}
