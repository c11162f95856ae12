import {
  type Discovery,
  defineService,
  type Generated,
  type Kysely,
  on,
  type ServiceApp,
  type ServiceContext,
  type ServiceInstance,
  type Transport,
} from '@sagamart/kit';
import { Type } from 'typebox';

/**
 * Discovery whose answers a test changes: a dependency (a PG, a courier) can go away and come back
 * elsewhere, or sit behind a proxy. Several URLs for one app are chosen round-robin.
 */
export class MovableDiscovery implements Discovery {
  private readonly routes = new Map<string, string[]>();
  private next = 0;

  /** Callers of `app` now reach these URLs (none: the app is gone). */
  set(app: string, ...urls: string[]): void {
    this.routes.set(app, urls);
  }

  async register() {}
  async setStatus() {}
  async deregister() {}
  async close() {}
  async applications() {
    const apps = new Map<string, ServiceInstance[]>();
    for (const [app, urls] of this.routes)
      apps.set(
        app,
        urls.map((url) => this.instance(app, url)),
      );
    return apps;
  }
  async choose(app: string) {
    const urls = this.routes.get(app);
    if (!urls?.length) return undefined;
    return this.instance(app, urls[this.next++ % urls.length]!);
  }
  private instance(app: string, url: string): ServiceInstance {
    return { app, instanceId: `${app}-${url}`, url, status: 'UP', metadata: {} };
  }
}

/**
 * A transport that does what `real` does except for `changes`: a broker that refuses to publish, a
 * fan-out that arrives late. Closing it closes `real` unless `changes` says otherwise.
 */
export function transportWith(real: Transport, changes: Partial<Omit<Transport, 'kind'>>): Transport {
  return {
    kind: real.kind,
    declare: (topology, owner) => real.declare(topology, owner),
    publish: (messages) => real.publish(messages),
    send: (queue, message) => real.send(queue, message),
    consume: (queue, handler, options) => real.consume(queue, handler, options),
    broadcast: (channel, payload) => real.broadcast(channel, payload),
    onBroadcast: (channel, listener, options) => real.onBroadcast(channel, listener, options),
    healthy: () => real.healthy(),
    listening: () => real.listening(),
    close: () => real.close(),
    ...changes,
  };
}

interface RecorderDb {
  seen_events: { seq: Generated<number>; topic: string; payload: unknown };
}

/** One event as an event recorder received it. */
// biome-ignore lint/suspicious/noExplicitAny: payloads are asserted field by field
export type SeenEvent = { topic: string; payload: any };

/**
 * A service that stands in for the consumers of some events: it records every event of `topics` it
 * receives (in arrival order, through a real inbox) and answers them on `GET /events`. Route the
 * topics to it with a topology entry under `name`. `routes` adds a test's own routes (publishing as
 * the stand-in, say). Payloads are not validated again: their producer checked them when publishing.
 */
export function defineEventRecorder(
  name: string,
  topics: readonly string[],
  routes?: (app: ServiceApp, ctx: ServiceContext<RecorderDb>) => void,
) {
  return defineService<RecorderDb>({
    name,
    port: 0,
    migrations: {
      '0001': {
        // biome-ignore lint/suspicious/noExplicitAny: a migration sees the database before its types
        up: async (db: Kysely<any>) => {
          await db.schema
            .createTable('seen_events')
            .addColumn('seq', 'serial', (c) => c.primaryKey())
            .addColumn('topic', 'text', (c) => c.notNull())
            .addColumn('payload', 'jsonb', (c) => c.notNull())
            .execute();
        },
      },
    },
    handlers: () =>
      topics.map((topic) =>
        on(
          { name: topic, version: 1, schema: Type.Unknown(), validate: () => [] },
          async (event, { trx }) => {
            await trx
              .insertInto('seen_events')
              .values({ topic, payload: JSON.stringify(event) as never })
              .execute();
          },
        ),
      ),
    routes(app, ctx) {
      app.get(
        '/events',
        async (): Promise<SeenEvent[]> =>
          ctx.db.selectFrom('seen_events').select(['topic', 'payload']).orderBy('seq').execute(),
      );
      routes?.(app, ctx);
    },
  });
}
