import { randomUUID } from 'node:crypto';
import { databaseUrl, ensureDatabase, HEADER, type OutgoingMessage, PostgresTransport } from '@sagamart/kit';
import { eventually, pgServerUrl, uniqueName } from '@sagamart/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * An idle consumer of the PostgreSQL queue polls slowly only while its LISTEN connection is up. These
 * tests lose that connection (its backend is terminated) and check that nothing published meanwhile
 * waits for the slow poll (set to a minute here, beyond `eventually`'s 10 s).
 */
describe('postgres queue without its LISTEN connection', () => {
  const open: PostgresTransport[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  async function setup() {
    const database = uniqueName('t_bus');
    await ensureDatabase(pgServerUrl(), database);
    const url = databaseUrl(pgServerUrl(), database);
    const transport = new PostgresTransport({ url, pollMs: 200, listenedPollMs: 60_000 });
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
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query like 'listen %'",
          [database],
        );
        expect(rowCount).toBe(1);
      } finally {
        await admin.end();
      }
    };
    return { transport, received, message, dropListener, subscription };
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
});
