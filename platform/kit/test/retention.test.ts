import { defineEvent } from '@sagamart/contracts';
import {
  defineService,
  HEADER,
  type Kysely,
  type OutgoingMessage,
  on,
  type Service,
  sql,
} from '@sagamart/kit';
import {
  asUser,
  eventsHandled,
  eventually,
  jsonClient,
  metricValue,
  scrapeMetrics,
  startTestService,
  uniqueName,
} from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Retention of the kit's tables through a real consumer: what goes is shown by the metrics and by a
 * redelivery being applied again; what stays, by a redelivery being dropped as a duplicate. Time is
 * driven by ageing rows in the database, so the default windows (days) are what is tested.
 */
describe('kit retention', () => {
  const running: Service<any>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  async function startConsumer() {
    const run = uniqueName('r');
    const ItemSeen = defineEvent(`test.item-seen.${run}`, 1, Type.Object({ itemId: Type.String() }));
    const name = `retention-${run}`;
    interface Db {
      effects: { item_id: string };
      failing: { item_id: string };
    }
    const service = await startTestService(
      defineService<Db>({
        name,
        port: 0,
        migrations: {
          '0001': {
            up: async (db: Kysely<any>) => {
              // No unique key: a message applied twice shows as two rows.
              await db.schema.createTable('effects').addColumn('item_id', 'text').execute();
              await db.schema
                .createTable('failing')
                .addColumn('item_id', 'text', (c) => c.primaryKey())
                .execute();
            },
          },
        },
        handlers: () => [
          on(ItemSeen, async ({ itemId }, { trx }) => {
            const failing = await trx
              .selectFrom('failing')
              .select('item_id')
              .where('item_id', '=', itemId)
              .execute();
            if (failing.length) throw new Error(`cannot handle ${itemId}`);
            await trx.insertInto('effects').values({ item_id: itemId }).execute();
          }),
        ],
        routes(app, ctx) {
          app.get('/effects', async () => ctx.db.selectFrom('effects').select('item_id').execute());
        },
      }),
      {
        topology: { [name]: [ItemSeen.name] },
        config: {
          events: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10, concurrency: 1 },
          // Small batches and a quick pass; the windows keep their defaults (7 and 30 days).
          retention: { intervalMs: 50, batchSize: 2 },
        },
      },
    );
    running.push(service);
    const db = service.context.db as unknown as Kysely<any>;
    const message = (itemId: string, id = uniqueName('msg')): OutgoingMessage => ({
      id,
      topic: ItemSeen.name,
      headers: { [HEADER.messageId]: id, [HEADER.event]: ItemSeen.name, [HEADER.version]: '1' },
      payload: { itemId },
    });
    const metric = async (name: string, table: string) =>
      metricValue(await scrapeMetrics(service.url), name, { table }) ?? 0;
    return {
      name,
      service,
      http: jsonClient(service),
      message,
      deliver: (m: OutgoingMessage) => service.context.transport!.publish([m]),
      handled: (results?: string[]) => eventsHandled(service, ItemSeen.name, results),
      effects: async (itemId: string) =>
        ((await (await fetch(`${service.url}/effects`)).json()) as Array<{ item_id: string }>).filter(
          (e) => e.item_id === itemId,
        ).length,
      deleted: (table: string) => metric('retention_deleted_total', table),
      passes: (table: string) => metric('retention_passes_total', table),
      /** Makes rows look `days` older than they are. */
      age: (table: 'inbox' | 'dead_letters', column: string, ids: string[], days: number) =>
        sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} - ${days} * interval '1 day'
            where message_id = any(${ids})`.execute(db),
      failing: (itemId: string, on: boolean) =>
        on
          ? db.insertInto('failing').values({ item_id: itemId }).execute()
          : db.deleteFrom('failing').where('item_id', '=', itemId).execute(),
    };
  }

  /** Waits for two more completed passes over a table: one may have started before the change. */
  async function afterNextPass(c: Awaited<ReturnType<typeof startConsumer>>, table: string) {
    const passes = await c.passes(table);
    await eventually(async () => (await c.passes(table)) >= passes + 2);
  }

  it('deletes inbox rows older than the window, in batches, and keeps those within it', async () => {
    const c = await startConsumer();
    const old = ['old-1', 'old-2', 'old-3'].map((item) => c.message(item));
    const recent = c.message('recent-1');
    for (const m of [...old, recent]) await c.deliver(m);
    await eventually(async () => (await c.handled()) === 4);
    await afterNextPass(c, 'inbox');
    expect(await c.deleted('inbox')).toBe(0);

    // Eight days pass for the old ones (the window is seven).
    await c.age(
      'inbox',
      'processed_at',
      old.map((m) => m.id),
      8,
    );
    await eventually(async () => (await c.deleted('inbox')) === 3);
    await afterNextPass(c, 'inbox');
    expect(await c.deleted('inbox')).toBe(3);

    // A late copy of a pruned message is applied again; a copy of a kept one is still a duplicate.
    await c.deliver(old[0]!);
    await c.deliver(recent);
    await eventually(async () => (await c.handled()) === 6);
    expect(await c.handled(['duplicate'])).toBe(1);
    expect(await c.effects('old-1')).toBe(2);
    expect(await c.effects('recent-1')).toBe(1);
  });

  it('keeps the inbox row of a message whose dead letter is unhandled, and prunes handled dead letters after their window', async () => {
    const c = await startConsumer();
    const admin = asUser(undefined, 'ADMIN', undefined, c.name);
    // The first copy fails every attempt and is dead-lettered; a second copy (a relay re-send) succeeds.
    const copy = c.message('dl-1');
    await c.failing('dl-1', true);
    await c.deliver(copy);
    const letters = await eventually(async () => {
      const page = (await c.http.get('/admin/dead-letters', admin)).body;
      // The count and the page are two queries: wait until both see the letter.
      return page.totalElements === 1 && page.content.length === 1 ? page.content : undefined;
    });
    await c.failing('dl-1', false);
    await c.deliver(copy);
    await eventually(async () => (await c.handled(['ok'])) === 1);

    // Long after, the inbox row stays while the dead letter waits for an admin.
    await c.age('inbox', 'processed_at', [copy.id], 40);
    await c.age('dead_letters', 'failed_at', [copy.id], 40);
    await afterNextPass(c, 'inbox');
    expect(await c.deleted('inbox')).toBe(0);
    // So the replay is dropped as a duplicate, not applied a second time.
    expect((await c.http.post(`/admin/dead-letters/${letters[0].id}/replay`, undefined, admin)).status).toBe(
      202,
    );
    await eventually(async () => (await c.handled(['duplicate'])) === 1);
    expect(await c.effects('dl-1')).toBe(1);
    expect((await c.http.get('/admin/dead-letters', admin)).body.totalElements).toBe(0);
    // A handled letter cannot be handled again.
    expect((await c.http.post(`/admin/dead-letters/${letters[0].id}/replay`, undefined, admin)).status).toBe(
      404,
    );
    expect((await c.http.delete(`/admin/dead-letters/${letters[0].id}`, admin)).status).toBe(404);

    // Replayed just now: both rows stay for the inbox window…
    await afterNextPass(c, 'dead_letters');
    expect(await c.deleted('dead_letters')).toBe(0);
    expect(await c.deleted('inbox')).toBe(0);
    // …and go once the handled letter is older than its own window (30 days).
    await c.age('dead_letters', 'handled_at', [copy.id], 31);
    await eventually(async () => (await c.deleted('dead_letters')) === 1 && (await c.deleted('inbox')) === 1);
  });
});
