import type { ServiceContext, Subscription } from '@sagamart/kit';
import { Counter, Gauge } from 'prom-client';
import { type DetailCache, LruCache, RedisCache } from '../infra/detail-cache.ts';

const CHANNEL = 'catalog.detail-cache';

interface InvalidationMessage {
  ids?: number[];
  all?: boolean;
}

/**
 * Cache-aside for product details, kept as their JSON bodies (a hit is sent as it is, neither parsed
 * nor serialised again), invalidated by the events that change them. With the in-process
 * LRU, invalidations are broadcast so every catalog instance drops its copy (all of them when its
 * connection to the bus is back after a loss); Redis is shared, so a delete there is enough. Each
 * invalidation is repeated after `catalog.cache.redeleteMs`.
 */
export class DetailCacheService {
  private readonly timers = new Set<NodeJS.Timeout>();
  private subscription: Subscription | undefined;
  private readonly lookups: Counter<'result'>;
  private readonly redeleteMs: number;

  constructor(
    private readonly ctx: ServiceContext<unknown>,
    readonly cache: DetailCache<string>,
    /**
     * A re-delete found an entry: it may hold a detail read just before the change committed, and
     * answers made from it may have been tagged with the change's generation. Advancing the generation
     * again makes the gateway drop what it kept of them (ADR 0009).
     */
    private readonly onRedeleted: () => void = () => {},
  ) {
    this.redeleteMs = ctx.config.number('catalog.cache.redeleteMs');
    this.lookups = new Counter({
      name: 'catalog_detail_cache_total',
      help: 'Product detail lookups by cache result: hit or miss',
      labelNames: ['result'],
      registers: [ctx.metrics.registry],
    });
    const timers = this.timers;
    new Gauge({
      name: 'catalog_detail_cache_redeletes_pending',
      help: 'Delayed re-deletes of invalidated details not yet run (catalog.cache.redeleteMs)',
      registers: [ctx.metrics.registry],
      collect() {
        this.set(timers.size);
      },
    });
  }

  static create(ctx: ServiceContext<unknown>, onRedeleted?: () => void): DetailCacheService {
    const redisUrl = ctx.config.optionalString('redis.url');
    const ttlSeconds = ctx.config.number('catalog.cache.ttlSeconds');
    const cache: DetailCache<string> = redisUrl
      ? new RedisCache(redisUrl, ttlSeconds, ctx.config.string('catalog.cache.redisPrefix'), (error) =>
          ctx.log.warn({ err: (error as Error).message }, 'redis cache error'),
        )
      : new LruCache<string>(ctx.config.number('catalog.cache.maxEntries'), ttlSeconds * 1000);
    return new DetailCacheService(ctx, cache, onRedeleted);
  }

  async start(): Promise<void> {
    if (this.cache.kind === 'lru' && this.ctx.transport) {
      this.subscription = await this.ctx.transport.onBroadcast(
        CHANNEL,
        (payload) => {
          const message = payload as InvalidationMessage;
          if (message.all) this.dropAll();
          else if (message.ids?.length) this.drop(message.ids);
        },
        // Invalidations sent while this instance's connection was down are gone: any copy may be stale.
        { missed: () => this.dropAll() },
      );
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.subscription?.close();
    await this.cache.close();
  }

  async getOrLoad(id: number, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const cached = await this.cache.get(id);
    this.lookups.inc({ result: cached ? 'hit' : 'miss' });
    if (cached) return cached;
    const value = await load();
    if (value !== undefined) await this.cache.set(id, value);
    return value;
  }

  invalidate(ids: number[]): void {
    if (ids.length === 0) return;
    this.drop(ids);
    this.broadcast({ ids });
  }

  invalidateAll(): void {
    this.dropAll();
    this.broadcast({ all: true });
  }

  private drop(ids: number[]): void {
    this.now(() => this.cache.delete(ids));
    this.later(() => this.cache.delete(ids));
  }

  private dropAll(): void {
    this.now(() => this.cache.clear());
    this.later(() => this.cache.clear());
  }

  private broadcast(message: InvalidationMessage): void {
    if (this.cache.kind !== 'lru' || !this.ctx.transport) return;
    this.ctx.transport
      .broadcast(CHANNEL, message)
      .catch((error) => this.ctx.log.warn({ err: error }, 'cache invalidation broadcast failed'));
  }

  private now(fn: () => Promise<unknown>): void {
    fn().catch((error) => this.ctx.log.warn({ err: error }, 'cache invalidation failed'));
  }

  private later(fn: () => Promise<number>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.now(async () => {
        if ((await fn()) > 0) this.onRedeleted();
      });
    }, this.redeleteMs);
    timer.unref();
    this.timers.add(timer);
  }
}
