import { randomUUID } from 'node:crypto';
import { databaseUrl, ensureDatabase, type Kysely, type OutgoingMessage, sql } from '@sagamart/kit';
import { eventually, pgServerUrl, type TcpProxy, tcpProxy, uniqueName } from '@sagamart/testkit';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/db.ts';
import { OutboxRelay, type OutboxRelayOptions } from '../src/events/outbox.ts';
import { type MessagingTables, messagingMigrations } from '../src/events/schema.ts';
import type { Transport } from '../src/events/transport.ts';
import { createMetrics } from '../src/metrics.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles as `promise` does, or rejects once `ms` passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The outbox relay holds no transaction open while the transport confirms a batch (ADR 0022): its
 * claim commits a lease first, and the rows are deleted once the transport accepted them. A confirm
 * slower than the pool's `idle_in_transaction_session_timeout` (ADR 0021) so no longer ends the
 * relay's session and sends the batch again, a broker that does not confirm at all holds the relay
 * for `events.confirmTimeoutMs` at a time, and a relay that dies between the publish and the delete
 * only has its rows sent again once their lease runs out.
 */
describe('outbox relay: no transaction open across the wait for the transport', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /** A service database with the kit's messaging tables; `queryTimeoutMs` is its pool's bound. */
  async function setup(queryTimeoutMs?: number) {
    const database = uniqueName('t_outbox');
    await ensureDatabase(pgServerUrl(), database);
    const url = databaseUrl(pgServerUrl(), database);
    const open = (at = url, bound = queryTimeoutMs) => {
      const opened = openDatabase<MessagingTables>(at, bound ? { queryTimeoutMs: bound } : {});
      cleanup.push(() => opened.close());
      return opened.db;
    };
    const db = open();
    await migrate(db as Kysely<unknown>, messagingMigrations, 'messaging_migrations');
    /** Another pool on the database, unbounded: what the test reads and writes itself. */
    const direct = open(url, 0);
    /** An event committed as `publish` commits it: the row and the relay's wake-up. */
    const commitEvent = async () => {
      const id = randomUUID();
      await sql`with inserted as (insert into outbox (id, topic, headers, payload) values (${id}, 'test.relayed', '{}', '{}') returning id)
        select pg_notify('sagamart_outbox', '') from inserted`.execute(direct);
      return id;
    };
    const backlog = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(direct)).rows[0]!.n;
    /** The relay's warnings and errors, as it logs them. */
    const warnings: Array<{ msg: string }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const relay = (transport: Partial<Transport>, options: Partial<OutboxRelayOptions> = {}) => {
      const started = new OutboxRelay({
        db,
        url,
        transport: transport as Transport,
        metrics: createMetrics(uniqueName('relay')),
        log,
        ...options,
      });
      cleanup.push(() => started.stop());
      return started;
    };
    return { database, url, open, db, direct, commitEvent, backlog, warnings, relay };
  }

  /** A transport that records every id it is given and accepts each batch after `confirmMs`. */
  function slowTransport(confirmMs: number) {
    const published: string[] = [];
    const batches: string[][] = [];
    const transport: Partial<Transport> = {
      publish: async (messages: OutgoingMessage[]) => {
        published.push(...messages.map((m) => m.id));
        batches.push(messages.map((m) => m.id));
        await sleep(confirmMs);
      },
    };
    return { transport, published, batches };
  }

  it('sends a batch once when its confirm comes later than the idle-in-transaction bound', async () => {
    // PostgreSQL ends a session idle in a transaction for 300 ms; the transport confirms after 1 s.
    const { commitEvent, backlog, warnings, relay } = await setup(300);
    const { transport, published } = slowTransport(1_000);
    const ids = [await commitEvent(), await commitEvent(), await commitEvent()];
    await relay(transport).start();

    await eventually(() => published.length >= ids.length);
    await eventually(async () => (await backlog()) === 0, 5_000);
    // Long enough for a batch whose delete was lost to be claimed and sent again.
    await sleep(1_500);
    expect(published).toEqual(ids);
    expect(warnings).toEqual([]);
  });

  it('waits for a batch the transport confirms only after events.confirmTimeoutMs, says so once, and sends it once', async () => {
    const { commitEvent, backlog, warnings, relay } = await setup();
    const { transport, published } = slowTransport(2_000);
    const first = await commitEvent();
    await relay(transport, { confirmTimeoutMs: 200 }).start();
    await eventually(() => published.length === 1);
    // Committed while the broker is blocked: sent once the first batch is confirmed.
    const second = await commitEvent();

    await eventually(async () => (await backlog()) === 0);
    await eventually(() => published.length === 2);
    await sleep(500);
    expect(published).toEqual([first, second]);
    expect(warnings.map((w) => w.msg)).toEqual([
      'outbox relay: the transport has not confirmed a batch within events.confirmTimeoutMs; waiting for it, backing off',
    ]);
  });

  it('stops without waiting for a confirm that never comes, and leaves the rows to be sent again', async () => {
    const { commitEvent, backlog, relay } = await setup();
    const published: string[] = [];
    const never: Partial<Transport> = {
      publish: (messages) => {
        published.push(...messages.map((m) => m.id));
        return new Promise<void>(() => {});
      },
    };
    const id = await commitEvent();
    const blocked = relay(never, { confirmTimeoutMs: 60_000, leaseMs: 1_000 });
    await blocked.start();
    await eventually(() => published.length === 1);

    await within(blocked.stop(), 2_000);
    expect(await backlog()).toBe(1);
    // The next relay sends it once the lease of the first has run out.
    const { transport, published: again } = slowTransport(0);
    await relay(transport).start();
    await eventually(async () => (await backlog()) === 0);
    expect(again).toEqual([id]);
  });

  it('sends again, once their lease runs out, the rows of a relay that died between the publish and the delete', async () => {
    const { url, open, commitEvent, backlog, relay } = await setup();
    const proxy: TcpProxy = await tcpProxy(url);
    cleanup.push(() => proxy.close());
    // The first relay reaches its database through the proxy; it "dies" once the transport confirmed:
    // nothing it sends after that arrives.
    const published: Array<[string, string]> = [];
    const dying: Partial<Transport> = {
      publish: async (messages) => {
        published.push(...messages.map((m): [string, string] => ['first', m.id]));
        proxy.down();
      },
    };
    const first = new OutboxRelay({
      db: open(proxy.url),
      url: proxy.url,
      transport: dying as Transport,
      metrics: createMetrics(uniqueName('relay')),
      log: pino({ level: 'silent' }),
      leaseMs: 1_000,
    });
    cleanup.push(() => first.stop());
    const id = await commitEvent();
    await first.start();
    await eventually(() => published.length === 1);
    await first.stop();
    expect(await backlog()).toBe(1);

    // The next relay (a restart, another instance) finds the row leased, and takes it as soon as the
    // lease ends, not at its 30 s safety poll.
    const started = Date.now();
    const next: Partial<Transport> = {
      publish: async (messages) =>
        void published.push(...messages.map((m): [string, string] => ['next', m.id])),
    };
    await relay(next).start();
    await eventually(async () => (await backlog()) === 0, 5_000);
    expect(published).toEqual([
      ['first', id],
      ['next', id],
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('two relays on one outbox each send a row at most once while confirms are slow', async () => {
    const { commitEvent, backlog, relay } = await setup(300);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await commitEvent());
    const { transport, published, batches } = slowTransport(400);
    await Promise.all([
      relay(transport, { batchSize: 5 }).start(),
      relay(transport, { batchSize: 5 }).start(),
    ]);
    await eventually(async () => (await backlog()) === 0, 15_000);
    await sleep(500);
    expect([...published].sort()).toEqual([...ids].sort());
    // Each batch in commit order.
    for (const batch of batches) expect(batch).toEqual(ids.filter((id) => batch.includes(id)));
  });
});
