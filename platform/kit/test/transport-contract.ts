import { defineEvent } from '@sagamart/contracts';
import {
  type ConfigTree,
  currentTraceId,
  databaseUrl,
  defineService,
  type Kysely,
  type Migration,
  type OutgoingMessage,
  on,
  openDatabase,
  type Service,
  sql,
  type Transport,
} from '@sagamart/kit';
import {
  asUser,
  eventsHandled,
  eventually,
  holdLocks,
  pgServerUrl,
  startTestService,
  type TcpProxy,
  tcpProxy,
  transportWith,
  uniqueName,
} from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';

/** A message put straight on the bus, its payload unchecked: as another producer, or version, sends it. */
function rawMessage(topic: string, payload: unknown): OutgoingMessage {
  const id = uniqueName('msg');
  return { id, topic, headers: { 'x-message-id': id, 'x-event': topic, 'x-event-version': '1' }, payload };
}

export interface TransportContractOptions {
  /** Messages of `queue` the broker itself set aside (RabbitMQ's `<queue>.dlq`), out of the admin's reach. */
  parkedByBroker?(config: ConfigTree, queue: string): Promise<number>;
}

/**
 * The contract every event transport must pass, exercised through two real services:
 * a producer (HTTP → outbox) and a consumer (inbox → handler → HTTP read-back).
 */
export function transportContract(
  label: string,
  transportConfig: () => ConfigTree,
  options: TransportContractOptions = {},
) {
  describe(`event transport contract: ${label}`, () => {
    const running: Service<any>[] = [];
    const proxies: TcpProxy[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((s) => s.stop()));
      await Promise.all(proxies.splice(0).map((p) => p.close()));
    });

    function setup() {
      const run = uniqueName('c');
      // Closed objects at every depth, as every contract in @sagamart/contracts is.
      const ItemCreated = defineEvent(
        `test.item-created.${run}`,
        1,
        Type.Object(
          {
            itemId: Type.String(),
            lines: Type.Optional(
              Type.Array(
                Type.Object(
                  { sku: Type.String(), quantity: Type.Integer() },
                  { additionalProperties: false },
                ),
              ),
            ),
          },
          { additionalProperties: false },
        ),
      );
      const consumerName = `consumer-${run}`;
      const topology = { [consumerName]: [ItemCreated.name] };
      const shared: ConfigTree = {
        ...transportConfig(),
        bus: { database: uniqueName('t_bus'), pollMs: 500 },
        events: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, concurrency: 4 },
      };
      const producerDb = uniqueName('t_producer');

      interface ProducerDb {
        items: { id: string };
      }
      const producerMigrations: Record<string, Migration> = {
        '0001': {
          up: async (db: Kysely<any>) => {
            await db.schema
              .createTable('items')
              .addColumn('id', 'text', (c) => c.primaryKey())
              .execute();
          },
        },
      };
      const producer = defineService<ProducerDb>({
        name: `producer-${run}`,
        port: 0,
        migrations: producerMigrations,
        routes(app, ctx) {
          app.post(
            '/items',
            { schema: { body: Type.Object({ itemId: Type.String() }) } },
            async (req, reply) => {
              await ctx.transaction(async (trx) => {
                await trx.insertInto('items').values({ id: req.body.itemId }).execute();
                await ctx.publish(trx, ItemCreated, { itemId: req.body.itemId });
              });
              return reply.status(201).send({ traceId: currentTraceId() });
            },
          );
        },
      });

      interface ConsumerDb {
        effects: { item_id: string; trace_id: string | null; payload: unknown };
        switches: { name: string; failing: boolean };
      }
      const consumer = defineService<ConsumerDb>({
        name: consumerName,
        port: 0,
        migrations: {
          '0001': {
            up: async (db: Kysely<any>) => {
              // No unique key on purpose: a duplicate delivery would show as a second row.
              await db.schema
                .createTable('effects')
                .addColumn('item_id', 'text', (c) => c.notNull())
                .addColumn('trace_id', 'text')
                .addColumn('payload', 'jsonb', (c) => c.notNull())
                .execute();
              await db.schema
                .createTable('switches')
                .addColumn('name', 'text', (c) => c.primaryKey())
                .addColumn('failing', 'boolean', (c) => c.notNull())
                .execute();
            },
          },
        },
        handlers: () => [
          on(ItemCreated, async (event, { trx }) => {
            const poison = await trx
              .selectFrom('switches')
              .select('failing')
              .where('name', '=', event.itemId)
              .executeTakeFirst();
            if (poison?.failing) throw new Error(`cannot handle ${event.itemId}`);
            await trx
              .insertInto('effects')
              .values({
                item_id: event.itemId,
                trace_id: currentTraceId() ?? null,
                payload: JSON.stringify(event),
              })
              .execute();
          }),
        ],
        routes(app, ctx) {
          app.get('/effects', async () =>
            ctx.db.selectFrom('effects').selectAll().orderBy('item_id').execute(),
          );
          app.put(
            '/switches/:name',
            {
              schema: {
                params: Type.Object({ name: Type.String() }),
                body: Type.Object({ failing: Type.Boolean() }),
              },
            },
            async (req) => {
              await ctx.db
                .insertInto('switches')
                .values({ name: req.params.name, failing: req.body.failing })
                .onConflict((oc) => oc.column('name').doUpdateSet({ failing: req.body.failing }))
                .execute();
              return { ok: true };
            },
          );
        },
      });

      const start = async <DB>(
        factory: typeof producer | typeof consumer,
        config: ConfigTree = {},
        transport?: Transport,
        startTopology = topology,
      ) => {
        const service = (await startTestService(factory as never, {
          topology: startTopology,
          config: { ...shared, ...config },
          ...(transport ? { transport } : {}),
        })) as Service<DB>;
        running.push(service);
        return service;
      };
      const effects = async (service: Service<any>) =>
        (await (await fetch(`${service.url}/effects`)).json()) as Array<{
          item_id: string;
          trace_id: string | null;
          /** The payload as the handler received it. */
          payload: unknown;
        }>;
      /** The consumer's effects, waited for until there is one. */
      const awaitEffects = (service: Service<unknown>) =>
        eventually(async () => {
          const rows = await effects(service);
          return rows.length > 0 ? rows : undefined;
        });
      /** The consumer's dead letters, as its admin lists them. */
      const deadLetters = async (service: Service<unknown>) =>
        (await (
          await fetch(`${service.url}/admin/dead-letters`, {
            headers: asUser('admin', 'ADMIN', undefined, service.name),
          })
        ).json()) as {
          content: Array<{ id: string; attempts: number; topic: string; error: string; payload: unknown }>;
          totalElements: number;
        };
      const postItem = (service: Service<any>, itemId: string, headers: Record<string, string> = {}) =>
        fetch(`${service.url}/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ itemId }),
        });
      return {
        shared,
        ItemCreated,
        producer,
        consumer,
        consumerName,
        producerDb,
        start,
        effects,
        awaitEffects,
        deadLetters,
        postItem,
        topology,
      };
    }

    it('delivers a committed event to the consumer once', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      expect((await t.postItem(producer, 'a-1')).status).toBe(201);
      const rows = await t.awaitEffects(consumer);
      expect(rows.map((r) => r.item_id)).toEqual(['a-1']);
    });

    it('applies a duplicate delivery only once', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      const transport = consumer.context.transport!;
      const message: OutgoingMessage = {
        id: uniqueName('msg'),
        topic: t.ItemCreated.name,
        headers: { 'x-message-id': '', 'x-event': t.ItemCreated.name, 'x-event-version': '1' },
        payload: { itemId: 'dup-1' },
      };
      message.headers['x-message-id'] = message.id;
      await transport.publish([message]);
      await transport.publish([message]);
      await transport.send(t.consumerName, message);
      // A different message afterwards; all four deliveries handled proves the copies were consumed, not just slow.
      await transport.publish([{ ...message, id: uniqueName('msg'), payload: { itemId: 'dup-2' } }]);
      await eventually(async () => (await eventsHandled(consumer, t.ItemCreated.name)) === 4);
      expect(await eventsHandled(consumer, t.ItemCreated.name, ['duplicate'])).toBe(2);
      const rows = await t.effects(consumer);
      expect(rows.filter((r) => r.item_id === 'dup-1')).toHaveLength(1);
      expect(rows.filter((r) => r.item_id === 'dup-2')).toHaveLength(1);
    });

    it('re-drives events committed before a crash of the relay', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      // First producer instance: its transport is down, so commits land in the outbox only.
      const real = consumer.context.transport!;
      const broken = transportWith(real, {
        publish: async () => {
          throw new Error('broker unreachable');
        },
        healthy: async () => true,
        close: async () => {},
      });
      const first = await t.start(t.producer, { database: { name: t.producerDb } }, broken);
      expect((await t.postItem(first, 'crash-1')).status).toBe(201);
      expect((await t.postItem(first, 'crash-2')).status).toBe(201);
      await first.stop();
      expect(await t.effects(consumer)).toEqual([]);

      // Restart on the same database with a working transport: the relay re-drives both.
      await t.start(t.producer, { database: { name: t.producerDb } });
      const rows = await eventually(async () => {
        const r = await t.effects(consumer);
        return r.length === 2 ? r : undefined;
      });
      expect(rows.map((r) => r.item_id)).toEqual(['crash-1', 'crash-2']);
    });

    it('delivers a broadcast to every instance listening to its channel, and only to them', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      // Channel names as the platform uses them: dots and dashes (each is a NOTIFY channel or a routing key).
      const heard: Array<[string, string, unknown]> = [];
      const listen = (who: string, service: Service<any>, channel: string) =>
        service.context.transport!.onBroadcast(channel, (payload) => heard.push([who, channel, payload]));
      const generation = await listen('consumer', consumer, 'read-model.generation');
      await listen('producer', producer, 'read-model.generation');
      await listen('producer', producer, 'config.refresh-all');

      await producer.context.transport!.broadcast('read-model.generation', { generation: 7 });
      await producer.context.transport!.broadcast('config.refresh-all', {});
      await eventually(async () => (heard.length >= 3 ? true : undefined));
      // A last broadcast on a channel only the consumer listens to: once it arrives, the ones before
      // it were delivered or routed, so a copy delivered where no one listens would show here.
      await listen('consumer', consumer, 'unrelated.channel');
      await producer.context.transport!.broadcast('unrelated.channel', null);
      await eventually(async () => (heard.some(([, c]) => c === 'unrelated.channel') ? true : undefined));
      expect(heard.sort()).toEqual([
        ['consumer', 'read-model.generation', { generation: 7 }],
        ['consumer', 'unrelated.channel', null],
        ['producer', 'config.refresh-all', {}],
        ['producer', 'read-model.generation', { generation: 7 }],
      ]);

      // A closed subscription hears nothing more; the instance's other channels still do.
      await generation.close();
      await producer.context.transport!.broadcast('read-model.generation', { generation: 8 });
      await eventually(async () =>
        heard.some(([w, , p]) => w === 'producer' && (p as { generation?: number })?.generation === 8)
          ? true
          : undefined,
      );
      await producer.context.transport!.broadcast('unrelated.channel', 'last');
      await eventually(async () => (heard.some(([, , p]) => p === 'last') ? true : undefined));
      expect(
        heard.filter(([w, , p]) => w === 'consumer' && (p as { generation?: number })?.generation === 8),
      ).toEqual([]);
    });

    it('dead-letters a poison message after N attempts and replays it', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      await fetch(`${consumer.url}/switches/poison-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ failing: true }),
      });
      await t.postItem(producer, 'poison-1');
      const admin = asUser('admin', 'ADMIN', undefined, consumer.name);
      const letters = await eventually(async () => {
        const { content } = await t.deadLetters(consumer);
        return content.length > 0 ? content : undefined;
      });
      expect(letters).toHaveLength(1);
      expect(letters[0]!.attempts).toBe(3);
      expect(letters[0]!.topic).toBe(t.ItemCreated.name);
      expect(letters[0]!.error).toContain('cannot handle poison-1');
      expect(await t.effects(consumer)).toEqual([]);

      // Listing needs the ADMIN role.
      expect((await fetch(`${consumer.url}/admin/dead-letters`)).status).toBe(401);

      // Fix the cause, replay, and the effect happens once.
      await fetch(`${consumer.url}/switches/poison-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ failing: false }),
      });
      const replay = await fetch(`${consumer.url}/admin/dead-letters/${letters[0]!.id}/replay`, {
        method: 'POST',
        headers: admin,
      });
      expect(replay.status).toBe(202);
      const rows = await t.awaitEffects(consumer);
      expect(rows.map((r) => r.item_id)).toEqual(['poison-1']);
      expect((await t.deadLetters(consumer)).totalElements).toBe(0);
    });

    it('keeps an event it cannot dead-letter while the database is down, and handles it once it is back', async () => {
      const t = setup();
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      const database = await tcpProxy(pgServerUrl());
      proxies.push(database);
      // Only the consumer's own database is behind the proxy: its queue is on the producer's transport.
      const consumer = await t.start(
        t.consumer,
        { database: { url: database.url } },
        producer.context.transport!,
      );
      database.down();
      try {
        expect((await t.postItem(producer, 'outage-1')).status).toBe(201);
        // All 3 attempts failed, and so did storing the dead letter, which counts as one more retry.
        await eventually(async () => (await eventsHandled(consumer, t.ItemCreated.name, ['retry'])) >= 3);
      } finally {
        database.up();
      }
      const rows = await t.awaitEffects(consumer);
      expect(rows.map((r) => r.item_id)).toEqual(['outage-1']);
      expect((await t.deadLetters(consumer)).totalElements).toBe(0);
      if (options.parkedByBroker) expect(await options.parkedByBroker(t.shared, t.consumerName)).toBe(0);
    });

    it('keeps an event whose handler waited past the statement bound on a lock, and handles it once the lock is gone', async () => {
      const t = setup();
      // Its database made and migrated first, unbounded (a CREATE DATABASE may take longer than 300 ms).
      await (await t.start(t.consumer)).stop();
      // PostgreSQL cancels the handler's insert after 300 ms: it waits on a lock a long piece of work holds.
      const consumer = await t.start(t.consumer, { database: { queryTimeoutMs: 300 } });
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      const lockHolder = openDatabase<unknown>(
        databaseUrl(pgServerUrl(), consumer.context.config.string('database.name')),
        { max: 1, queryTimeoutMs: 0 },
      );
      try {
        const held = await holdLocks(lockHolder.db, (trx) =>
          sql`lock table effects in exclusive mode`.execute(trx),
        );
        try {
          expect((await t.postItem(producer, 'busy-1')).status).toBe(201);
          // More tries than events.maxAttempts (3): a busy database says nothing against the event.
          await eventually(
            async () =>
              (await eventsHandled(consumer, t.ItemCreated.name, ['retry'])) >= 5 ||
              (await t.deadLetters(consumer)).totalElements > 0,
            20_000,
          );
          expect((await t.deadLetters(consumer)).content).toEqual([]);
        } finally {
          await held.release();
        }
        const rows = await t.awaitEffects(consumer);
        expect(rows.map((r) => r.item_id)).toEqual(['busy-1']);
        expect((await t.deadLetters(consumer)).totalElements).toBe(0);
      } finally {
        await lockHolder.close();
      }
    });

    it('stops routing to a consumer an event it no longer lists', async () => {
      const t = setup();
      const dropped = `${t.ItemCreated.name}.dropped`;
      // An earlier version of the consumer took `dropped` too.
      const earlier = await t.start(t.consumer, {}, undefined, {
        [t.consumerName]: [t.ItemCreated.name, dropped],
      });
      await earlier.stop();
      // One message at a time, in order: a `dropped` still routed here is dead-lettered before the next is handled.
      const consumer = await t.start(t.consumer, {
        events: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, concurrency: 1 },
      });
      await consumer.context.transport!.publish([rawMessage(dropped, { itemId: 'dropped-1' })]);
      await consumer.context.transport!.publish([rawMessage(t.ItemCreated.name, { itemId: 'kept-1' })]);
      const rows = await t.awaitEffects(consumer);
      expect(rows.map((r) => r.item_id)).toEqual(['kept-1']);
      expect((await t.deadLetters(consumer)).totalElements).toBe(0);
    });

    it('carries the trace context from the HTTP request to the consumer', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await t.postItem(producer, 'traced-1', {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      });
      expect(((await res.json()) as { traceId: string }).traceId).toBe(traceId);
      const rows = await t.awaitEffects(consumer);
      expect(rows[0]!.trace_id).toBe(traceId);
    });

    it('rejects a payload that breaks the contract at the consumer', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      await consumer.context.transport!.publish([rawMessage(t.ItemCreated.name, { itemId: 42 })]);
      const letters = await eventually(async () => {
        const { content } = await t.deadLetters(consumer);
        return content.length > 0 ? content : undefined;
      });
      // Not retried: a contract violation cannot heal.
      expect(letters[0]!.attempts).toBe(1);
      expect(letters[0]!.error).toContain('contract violation');
      expect(await t.effects(consumer)).toEqual([]);
    });

    it('hands the handler only the fields its contract knows (a newer producer added some)', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      await consumer.context.transport!.publish([
        rawMessage(t.ItemCreated.name, {
          itemId: 'newer-1',
          reason: 'DEFECTIVE',
          lines: [{ sku: 'sku-1', quantity: 2, heldChange: 2 }],
        }),
      ]);
      // Handled or dead-lettered, whichever comes.
      const outcome = await eventually(async () => {
        const [rows, letters] = await Promise.all([t.effects(consumer), t.deadLetters(consumer)]);
        return rows.length + letters.totalElements > 0 ? { rows, letters: letters.content } : undefined;
      });
      expect(outcome.letters.map((l) => l.error)).toEqual([]);
      expect(outcome.rows.map((r) => r.payload)).toEqual([
        { itemId: 'newer-1', lines: [{ sku: 'sku-1', quantity: 2 }] },
      ]);
    });

    it('still refuses a payload missing a required field, whatever else it carries', async () => {
      const t = setup();
      const consumer = await t.start(t.consumer);
      const payloads = [
        { reason: 'DEFECTIVE', lines: [] },
        { itemId: 'missing-quantity', reason: 'DEFECTIVE', lines: [{ sku: 'sku-1', heldChange: 2 }] },
      ];
      await consumer.context.transport!.publish(
        payloads.map((payload) => rawMessage(t.ItemCreated.name, payload)),
      );
      const letters = await eventually(async () => {
        const { content } = await t.deadLetters(consumer);
        return content.length === payloads.length ? content : undefined;
      });
      for (const letter of letters) {
        expect(letter.attempts).toBe(1);
        expect(letter.error).toContain('contract violation');
      }
      expect(letters.map((l) => l.error).join('\n')).toMatch(/itemId/);
      expect(letters.map((l) => l.error).join('\n')).toMatch(/quantity/);
      // Kept as it came, unknown fields too: a replay once the consumer knows them loses nothing.
      expect(letters.map((l) => l.payload)).toEqual(expect.arrayContaining(payloads));
      expect(await t.effects(consumer)).toEqual([]);
    });

    it('refuses at publish a field the contract does not know (producers stay strict)', async () => {
      const t = setup();
      const producer = await t.start(t.producer, { database: { name: t.producerDb } });
      const payload = { itemId: 'typo-1', lines: [{ sku: 'sku-1', quantity: 1, quantitty: 1 }] };
      await expect(
        producer.context.transaction((trx) => producer.context.publish(trx, t.ItemCreated, payload as never)),
      ).rejects.toThrow(/payload is invalid/);
    });
  });
}

export { sql };
