import { randomUUID } from 'node:crypto';
import {
  databaseUrl,
  ensureDatabase,
  HEADER,
  LISTENER_NAME,
  type OutgoingMessage,
  PostgresTransport,
} from '@sagamart/kit';
import { eventually, pgServerUrl, uniqueName } from '@sagamart/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

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
