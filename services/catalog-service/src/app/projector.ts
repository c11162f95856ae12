import {
  CategoryCreated,
  CategoryDeleted,
  type CategoryDeletedPayload,
  type CategorySnapshot,
  CategoryUpdated,
  type KeywordChange,
  KeywordCreated,
  KeywordDeleted,
  KeywordUpdated,
  ProductCreated,
  ProductDeleted,
  type ProductDeletedPayload,
  type ProductSnapshot,
  ProductUpdated,
  StockChanged,
  type StockChangedPayload,
} from '@sagamart/contracts';
import {
  type EventContext,
  type EventHandler,
  HEADER,
  type Kysely,
  type MessagingTables,
  on,
  type ServiceContext,
} from '@sagamart/kit';
import { Counter, Gauge, Histogram } from 'prom-client';
import { categoryRow, productRow, skuDefinitionRows, skuStockRows } from '../domain/snapshot-rows.ts';
import { ReadModelWriter } from '../infra/read-model-writer.ts';
import { type CatalogDb, LIVE } from '../infra/schema.ts';
import type { DetailCacheService } from './detail-cache.ts';
import type { SearchCache } from './search-cache.ts';

/** The consumer's transaction (the service database with the kit's messaging tables). */
type Db = Kysely<CatalogDb & MessagingTables>;

/**
 * Applies product-service's events to the live read model. Every apply is guarded by the version of
 * the column group it writes, so a duplicate or an older event changes nothing (order-safe), and
 * each handler runs in the consumer's transaction next to its inbox row (idempotent).
 */
export class CatalogProjector {
  private readonly writer = new ReadModelWriter(LIVE);
  private readonly lag: Histogram<'event'>;
  private readonly lastLag: Gauge;
  private readonly stale: Counter<'event'>;

  constructor(
    ctx: ServiceContext<CatalogDb>,
    private readonly cache: DetailCacheService,
    private readonly searchCache: SearchCache<unknown>,
  ) {
    const registers = [ctx.metrics.registry];
    this.lag = new Histogram({
      name: 'catalog_event_lag_seconds',
      help: 'Seconds from an event being published by product-service to its application in the catalog read model',
      labelNames: ['event'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.lastLag = new Gauge({
      name: 'catalog_event_lag_last_seconds',
      help: 'Lag of the most recently applied event',
      registers,
    });
    this.stale = new Counter({
      name: 'catalog_events_stale_total',
      help: 'Events ignored because the read model already held a newer (or the same) version',
      labelNames: ['event'],
      registers,
    });
  }

  handlers(): EventHandler<CatalogDb>[] {
    const product = (payload: ProductSnapshot, c: EventContext<CatalogDb>, event: string) =>
      this.track(event, c, this.applyProduct(c.trx, payload));
    const keywords = (payload: KeywordChange, c: EventContext<CatalogDb>, event: string) =>
      this.track(event, c, this.applyKeywords(c.trx, payload));
    const category = (payload: CategorySnapshot, c: EventContext<CatalogDb>, event: string) =>
      this.track(event, c, this.applyCategory(c.trx, payload));
    return [
      on(ProductCreated, (p, c) => product(p, c, ProductCreated.name)),
      on(ProductUpdated, (p, c) => product(p, c, ProductUpdated.name)),
      on(ProductDeleted, (p, c) => this.track(ProductDeleted.name, c, this.applyProductDeleted(c.trx, p))),
      on(KeywordCreated, (p, c) => keywords(p, c, KeywordCreated.name)),
      on(KeywordUpdated, (p, c) => keywords(p, c, KeywordUpdated.name)),
      on(KeywordDeleted, (p, c) => keywords(p, c, KeywordDeleted.name)),
      on(StockChanged, (p, c) => this.track(StockChanged.name, c, this.applyStock(c.trx, p))),
      on(CategoryCreated, (p, c) => category(p, c, CategoryCreated.name)),
      on(CategoryUpdated, (p, c) => category(p, c, CategoryUpdated.name)),
      on(CategoryDeleted, (p, c) => this.track(CategoryDeleted.name, c, this.applyCategoryDeleted(c.trx, p))),
    ];
  }

  private async track(
    event: string,
    context: EventContext<CatalogDb>,
    applying: Promise<boolean>,
  ): Promise<void> {
    const applied = await applying;
    if (!applied) {
      this.stale.inc({ event });
      context.log.debug('stale event ignored');
      return;
    }
    // Every applied event changed what some search answers; cached pages go once it is visible.
    context.afterCommit(() => this.searchCache.changed());
    const occurredAt = Date.parse(context.headers[HEADER.occurredAt] ?? '');
    if (Number.isFinite(occurredAt)) {
      const seconds = Math.max(0, (Date.now() - occurredAt) / 1000);
      this.lag.observe({ event }, seconds);
      this.lastLag.set(seconds);
    }
  }

  /** Product fields and SKU definitions when the snapshot is newer; SKU stock wherever it is newer. */
  async applyProduct(trx: Db, snapshot: ProductSnapshot): Promise<boolean> {
    await this.writer.lockProduct(trx, snapshot.productId);
    const applied = (await this.writer.upsertProductFields(trx, [productRow(snapshot)])).length > 0;
    if (applied) {
      await this.writer.upsertSkuDefinitions(trx, skuDefinitionRows(snapshot));
      await this.writer.refreshCategoryText(trx, [snapshot.productId]);
    }
    const stock = await this.writer.upsertSkuStock(trx, skuStockRows(snapshot));
    if (applied || stock.length) {
      await this.writer.refreshAggregates(trx, [snapshot.productId]);
      this.cache.invalidate([snapshot.productId]);
    }
    return applied || stock.length > 0;
  }

  async applyProductDeleted(trx: Db, payload: ProductDeletedPayload): Promise<boolean> {
    await this.writer.lockProduct(trx, payload.productId);
    const applied = await this.writer.markProductDeleted(trx, payload.productId, payload.version);
    if (applied) this.cache.invalidate([payload.productId]);
    return applied;
  }

  async applyKeywords(trx: Db, payload: KeywordChange): Promise<boolean> {
    await this.writer.lockProduct(trx, payload.productId);
    return this.writer.setKeywords(trx, payload.productId, payload.keywords, payload.version);
  }

  async applyStock(trx: Db, payload: StockChangedPayload): Promise<boolean> {
    await this.writer.lockProduct(trx, payload.productId);
    const applied = await this.writer.upsertSkuStock(trx, [
      {
        id: payload.skuId,
        product_id: payload.productId,
        stock: payload.stock,
        reserved: payload.reserved,
        sold: payload.sold,
        stock_version: payload.version,
      },
    ]);
    if (applied.length === 0) return false;
    await this.writer.refreshAggregates(trx, [payload.productId]);
    this.cache.invalidate([payload.productId]);
    return true;
  }

  async applyCategory(trx: Db, snapshot: CategorySnapshot): Promise<boolean> {
    const applied = (await this.writer.upsertCategories(trx, [categoryRow(snapshot)])).length > 0;
    if (applied) {
      // Its name is searched with every product under it; details carry a breadcrumb.
      await this.writer.refreshCategoryTextUnder(trx, snapshot.categoryId);
      this.cache.invalidateAll();
    }
    return applied;
  }

  async applyCategoryDeleted(trx: Db, payload: CategoryDeletedPayload): Promise<boolean> {
    const applied = await this.writer.markCategoryDeleted(trx, payload.categoryId, payload.version);
    if (applied) {
      await this.writer.refreshCategoryTextUnder(trx, payload.categoryId);
      this.cache.invalidateAll();
    }
    return applied;
  }
}
