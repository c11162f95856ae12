import { randomUUID } from 'node:crypto';
import {
  databaseUrl,
  defineService,
  ensureDatabase,
  HEADER,
  type Kysely,
  LISTENER_NAME,
  type OutgoingMessage,
  PostgresTransport,
  type Service,
  sql,
} from '@sagamart/kit';
import {
  eventually,
  pgServerUrl,
  startTestService,
  type TcpProxy,
  tcpProxy,
  testLog,
  uniqueName,
} from '@sagamart/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/db.ts';
import { OUTBOX_LISTENER_NAME, OutboxRelay } from '../src/events/outbox.ts';
import { answeredWithin } from '../src/events/reconnect.ts';
import { type MessagingTables, messagingMigrations } from '../src/events/schema.ts';
import type { Transport } from '../src/events/transport.ts';
import { createMetrics } from '../src/metrics.ts';

/**
 * An idle consumer of the PostgreSQL queue polls slowly only while its LISTEN connection is up: a
 * notification wakes it, and the slow poll catches a notification that was lost. These tests lose a
 * notification, and lose that connection (its backend is terminated), and check that nothing waits
 * for the slow poll (set to a minute, beyond `eventually`'s 10 s, unless the test sets it).
 */
describe('postgres queue: wake-ups and its LISTEN connection', () => {
  const open: PostgresTransport[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  async function setup(listenedPollMs = 60_000, idleConnectionMs?: number) {
    const database = uniqueName('t_bus');
    await ensureDatabase(pgServerUrl(), database);
    const url = databaseUrl(pgServerUrl(), database);
    const transport = new PostgresTransport({
      url,
      pollMs: 200,
      listenedPollMs,
      ...(idleConnectionMs ? { idleConnectionMs } : {}),
    });
    open.push(transport);
    const topic = `test.listener.${database}`;
    await transport.declare({ listener: [topic] });
    const received: string[] = [];
    const subscription = await transport.consume(
      'listener',
      async (message) => {
        received.push(message.id);
        return { type: 'ack' };
      },
      { concurrency: 2 },
    );
    const message = (): OutgoingMessage => {
      const id = randomUUID();
      return { id, topic, headers: { [HEADER.messageId]: id, [HEADER.event]: topic }, payload: {} };
    };
    /** Ends the transport's LISTEN connection from the server side, as a server restart or network cut would. */
    const dropListener = async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rowCount } = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2',
          [database, LISTENER_NAME],
        );
        expect(rowCount).toBe(1);
      } finally {
        await admin.end();
      }
    };
    /** Queues a message as a publish would, but without its notification (as if it were lost). */
    const insertSilently = async (outgoing: OutgoingMessage) => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(
          'insert into bus_messages (queue, message_id, topic, headers, payload) values ($1, $2, $3, $4, $5)',
          ['listener', outgoing.id, outgoing.topic, JSON.stringify(outgoing.headers), '{}'],
        );
      } finally {
        await admin.end();
      }
    };
    /** The transport's sessions on its database: the LISTEN connection and the pool's. */
    const sessions = async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ application_name: string; query: string }>(
          'select application_name, query from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [database],
        );
        return {
          pool: rows.filter((r) => r.application_name !== LISTENER_NAME).length,
          listenerQuery: rows.find((r) => r.application_name === LISTENER_NAME)?.query ?? '',
        };
      } finally {
        await admin.end();
      }
    };
    return { transport, received, message, dropListener, insertSilently, subscription, sessions };
  }

  it('delivers what is published while it is down, and listens again', async () => {
    const { transport, received, message, dropListener, subscription } = await setup();
    await eventually(() => transport.listening());
    const first = message();
    await transport.publish([first]);
    await eventually(() => received.includes(first.id));

    await dropListener();
    await eventually(() => !transport.listening());
    const whileDown = message();
    await transport.publish([whileDown]);
    await eventually(() => received.includes(whileDown.id));

    await eventually(() => transport.listening());
    const afterwards = message();
    await transport.publish([afterwards]);
    await eventually(() => received.includes(afterwards.id));
    await subscription.close();
    expect(received).toEqual([first.id, whileDown.id, afterwards.id]);
  });

  it('delivers a message whose notification was lost, by its slow poll', async () => {
    const { transport, received, message, insertSilently, subscription } = await setup(300);
    await eventually(() => transport.listening());
    const announced = message();
    await transport.publish([announced]);
    await eventually(() => received.includes(announced.id));
    const lost = message();
    await insertSilently(lost);
    await eventually(() => received.includes(lost.id));
    await subscription.close();
    expect(received).toEqual([announced.id, lost.id]);
  });

  it('polls an idle queue on its LISTEN connection, so that the pool closes its connections, and still delivers', async () => {
    const { transport, received, message, insertSilently, subscription, sessions } = await setup(200, 300);
    await eventually(() => transport.listening());
    const first = message();
    await transport.publish([first]);
    await eventually(() => received.includes(first.id));
    // Idle: the safety polls look on the LISTEN connection, and the pool's connections time out.
    await eventually(async () => {
      const now = await sessions();
      return now.pool === 0 && now.listenerQuery.includes('min(visible_at)');
    });
    // A message whose notification was lost is still found by a poll, and claimed through the pool.
    const lost = message();
    await insertSilently(lost);
    await eventually(() => received.includes(lost.id));
    const announced = message();
    await transport.publish([announced]);
    await eventually(() => received.includes(announced.id));
    await subscription.close();
    expect(received).toEqual([first.id, lost.id, announced.id]);
  });
});

/**
 * An outage that outlasts the first reconnect attempt (the database refuses connections for 3 s):
 * the queue transport's and the outbox relay's LISTEN connections keep trying until they are back,
 * so broadcasts (config.refresh, cache invalidations) are heard again and the idle polls slow down.
 */
describe('LISTEN connections after an outage longer than one reconnect attempt', () => {
  const running: Service[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('the queue transport and the outbox relay listen again, and a broadcast is heard', async () => {
    const service = await startTestService(
      defineService({
        name: uniqueName('outage'),
        port: 0,
        migrations: { '0001': { up: async () => {} } },
      }),
    );
    running.push(service);
    const transport = service.context.transport!;
    const databases = [
      service.context.config.string('database.name'),
      service.context.config.string('bus.database'),
    ];
    const heard: unknown[] = [];
    let missedSignals = 0;
    const subscription = await transport.onBroadcast('outage-test', (payload) => heard.push(payload), {
      missed: () => missedSignals++,
    });
    const admin = new pg.Client({ connectionString: databaseUrl(pgServerUrl(), 'postgres') });
    await admin.connect();
    /** The LISTEN sessions: the transport's on the bus database, the relay's on the service's. */
    const listeners = async () => {
      const { rows } = await admin.query<{ application_name: string; query: string }>(
        'select application_name, query from pg_stat_activity where datname = any($1) and application_name = any($2)',
        [databases, [LISTENER_NAME, OUTBOX_LISTENER_NAME]],
      );
      return {
        transport: rows.some((r) => r.application_name === LISTENER_NAME),
        relay: rows.some((r) => r.application_name === OUTBOX_LISTENER_NAME && /^listen /i.test(r.query)),
      };
    };
    const allowConnections = async (allow: boolean) => {
      for (const database of databases)
        await admin.query(`alter database ${database} allow_connections ${allow}`);
    };
    try {
      await eventually(() => transport.listening());
      await eventually(async () => (await listeners()).relay);
      expect(missedSignals).toBe(0);

      await allowConnections(false);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = any($1)', [
        databases,
      ]);
      await eventually(() => !transport.listening());
      // Refused for longer than the first reconnect attempt, which comes a second after the loss.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await allowConnections(true);

      await eventually(() => transport.listening(), 15_000);
      // Told once that broadcasts may have been missed, however many attempts the reconnect took.
      expect(missedSignals).toBe(1);
      await eventually(async () => (await listeners()).relay, 15_000);
      const sender = new PostgresTransport({ url: databaseUrl(pgServerUrl(), databases[1]!) });
      try {
        await sender.broadcast('outage-test', { after: 'outage' });
        await eventually(() => heard.length > 0);
      } finally {
        await sender.close();
      }
      expect(heard).toEqual([{ after: 'outage' }]);
      expect(await listeners()).toEqual({ transport: true, relay: true });
    } finally {
      await allowConnections(true);
      await subscription.close();
      await admin.end();
    }
  });
});

/**
 * A LISTEN connection whose network goes silent (a NAT or firewall that forgot it, a partition)
 * is closed by neither end: only a statement that goes unanswered tells. Through a TCP proxy that
 * stops forwarding without closing, the transport and the relay notice within a bounded time,
 * listen on a new connection, and deliver what was sent meanwhile.
 */
describe('a LISTEN connection that goes silent', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup() {
    const database = uniqueName('t_bus');
    await ensureDatabase(pgServerUrl(), database);
    const proxy: TcpProxy = await tcpProxy(pgServerUrl());
    cleanup.push(() => proxy.close());
    // The sender reaches the database directly: only the listener's network goes silent.
    const sender = new PostgresTransport({
      url: databaseUrl(pgServerUrl(), database),
      idleConnectionMs: 200,
    });
    cleanup.push(() => sender.close());
    const throughProxy = (options: Partial<ConstructorParameters<typeof PostgresTransport>[0]> = {}) => {
      const transport = new PostgresTransport({
        url: databaseUrl(proxy.url, database),
        pollMs: 200,
        listenedPollMs: 1_000,
        listenerTimeoutMs: 500,
        ...options,
      });
      cleanup.push(() => transport.close());
      return transport;
    };
    return { database, proxy, sender, throughProxy };
  }

  it('a transport that only listens notices, listens again, says broadcasts were missed, and hears the next', async () => {
    const { proxy, sender, throughProxy } = await setup();
    const transport = throughProxy();
    const heard: unknown[] = [];
    let missed = 0;
    await transport.onBroadcast('silent', (payload) => heard.push(payload), { missed: () => missed++ });
    await eventually(() => transport.listening());
    await sender.broadcast('silent', 'before');
    await eventually(() => heard.length === 1);

    proxy.blackhole();
    // Nothing ends the connection: its check (every listenedPollMs / 2) goes unanswered for 500 ms.
    await eventually(() => missed === 1);
    expect(transport.listening()).toBe(true);
    await sender.broadcast('silent', 'after');
    await eventually(() => heard.length === 2);
    expect(heard).toEqual(['before', 'after']);
    expect(missed).toBe(1);
  });

  it('a consumer keeps delivering: its poll on the silent connection gives up, and the transport listens again', async () => {
    const { database, proxy, sender, throughProxy } = await setup();
    const transport = throughProxy({ idleConnectionMs: 200 });
    const topic = `test.silent.${database}`;
    await transport.declare({ silent: [topic] });
    const received: string[] = [];
    await transport.consume(
      'silent',
      async (message) => {
        received.push(message.id);
        return { type: 'ack' };
      },
      { concurrency: 1 },
    );
    const heard: unknown[] = [];
    let missed = 0;
    await transport.onBroadcast('silent', (payload) => heard.push(payload), { missed: () => missed++ });
    const message = (): OutgoingMessage => {
      const id = randomUUID();
      return { id, topic, headers: { [HEADER.messageId]: id, [HEADER.event]: topic }, payload: {} };
    };
    await eventually(() => transport.listening());
    const first = message();
    await sender.publish([first]);
    await eventually(() => received.includes(first.id));
    // Idle: only the LISTEN connection is open through the proxy (the pools let theirs go), so only
    // it goes silent; the pool's next connection goes through.
    const admin = new pg.Client({ connectionString: databaseUrl(pgServerUrl(), database) });
    await admin.connect();
    cleanup.push(() => admin.end());
    await eventually(async () => {
      const { rows } = await admin.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and application_name <> $2',
        [database, LISTENER_NAME],
      );
      return rows[0]?.n === 0;
    });

    proxy.blackhole();
    const afterwards = message();
    await sender.publish([afterwards]);
    await eventually(() => received.includes(afterwards.id));
    await eventually(() => missed === 1);
    await sender.broadcast('silent', 'after');
    await eventually(() => heard.length === 1);
    expect(heard).toEqual(['after']);
    expect(received).toEqual([first.id, afterwards.id]);
  });

  it('the outbox relay notices at its poll, listens again, and delivers what was committed meanwhile', async () => {
    const { database, proxy } = await setup();
    const opened = openDatabase<MessagingTables>(databaseUrl(pgServerUrl(), database));
    cleanup.push(() => opened.close());
    await migrate(opened.db as Kysely<unknown>, messagingMigrations);
    const published: string[] = [];
    // The relay only publishes: a transport that records what it is given.
    const transport = {
      publish: async (messages: OutgoingMessage[]) => void published.push(...messages.map((m) => m.id)),
    } as Partial<Transport> as Transport;
    const relay = new OutboxRelay({
      db: opened.db,
      url: databaseUrl(proxy.url, database),
      transport,
      metrics: createMetrics('silent-relay'),
      log: testLog,
      pollMs: 300,
      listenerTimeoutMs: 500,
    });
    await relay.start();
    cleanup.push(() => relay.stop());
    /** A row and its notification, as a commit that publishes writes them. */
    const commitEvent = async () => {
      const id = randomUUID();
      await sql`with inserted as (insert into outbox (id, topic, headers, payload) values (${id}, 'test.silent', '{}', '{}') returning id)
        select pg_notify('sagamart_outbox', '') from inserted`.execute(opened.db);
      return id;
    };
    const first = await commitEvent();
    await eventually(() => published.includes(first));

    proxy.blackhole();
    const afterwards = await commitEvent();
    await eventually(() => published.includes(afterwards));
    expect(published).toEqual([first, afterwards]);
  });
});

/**
 * A loaded machine answers late, but it answers: the LISTEN connection is not replaced (which costs
 * every subscriber a `missed`) for a check that is slow, only for one that is never answered.
 */
describe('a LISTEN connection that answers late', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it("keeps an idle consumer's look that waits longer than a statement's bound, and no broadcast is missed", async () => {
    const database = uniqueName('t_bus');
    await ensureDatabase(pgServerUrl(), database);
    const url = databaseUrl(pgServerUrl(), database);
    const listenerTimeoutMs = 1_000;
    const transport = new PostgresTransport({ url, pollMs: 200, listenedPollMs: 500, listenerTimeoutMs });
    cleanup.push(() => transport.close());
    const topic = `test.late.${database}`;
    await transport.declare({ late: [topic] });
    const received: string[] = [];
    const subscription = await transport.consume(
      'late',
      async (message) => {
        received.push(message.id);
        return { type: 'ack' };
      },
      { concurrency: 1 },
    );
    cleanup.push(() => subscription.close());
    let missed = 0;
    const broadcasts = await transport.onBroadcast('late', () => {}, { missed: () => missed++ });
    cleanup.push(() => broadcasts.close());
    const id = randomUUID();
    await transport.publish([
      { id, topic, headers: { [HEADER.messageId]: id, [HEADER.event]: topic }, payload: {} },
    ]);
    await eventually(() => received.includes(id));

    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanup.push(() => admin.end());
    const listenerSession = async () => {
      const { rows } = await admin.query<{ pid: number; waiting: boolean }>(
        "select pid, coalesce(wait_event_type, '') = 'Lock' as waiting from pg_stat_activity where datname = $1 and application_name = $2",
        [database, LISTENER_NAME],
      );
      return rows;
    };
    // The server is slow to answer the idle consumer's next look: it waits on a lock, for twice as
    // long as a statement on the connection may take.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    cleanup.push(() => locker.end());
    await locker.query('begin');
    await locker.query('lock table bus_messages in access exclusive mode');
    const waiting = await eventually(async () => (await listenerSession()).find((s) => s.waiting));
    await new Promise((resolve) => setTimeout(resolve, 2 * listenerTimeoutMs));
    await locker.query('commit');

    // Answered on the same connection: no new LISTEN session, nothing missed.
    await eventually(async () => (await listenerSession()).every((s) => !s.waiting));
    expect(await listenerSession()).toEqual([{ pid: waiting.pid, waiting: false }]);
    expect(missed).toBe(0);
    expect(transport.listening()).toBe(true);
  });

  it('reads an answer that came while the process was too busy to, before it gives up on the connection', async () => {
    const client = new pg.Client({ connectionString: databaseUrl(pgServerUrl(), 'postgres') });
    await client.connect();
    cleanup.push(() => client.end().catch(() => {}));
    const answer = answeredWithin(client, client.query<{ n: number }>('select 1::int as n'), 100);
    // Busy for ten times the bound: the answer arrives meanwhile, but nothing reads it.
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      // a synchronous stall, as under a heavy load
    }
    expect((await answer).rows).toEqual([{ n: 1 }]);
    expect((await client.query<{ n: number }>('select 2::int as n')).rows).toEqual([{ n: 2 }]);
  });
});
