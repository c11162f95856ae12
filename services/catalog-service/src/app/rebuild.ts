import { randomUUID } from 'node:crypto';
import { CategorySyncList, ProductSyncPage } from '@sagamart/contracts';
import { conflict, type Kysely, type MessagingTables, type ServiceContext, sql } from '@sagamart/kit';
import { categoryRow, skuDefinitionRows, skuStockRows, syncRow } from '../domain/snapshot-rows.ts';
import { mergeNewer, ReadModelWriter } from '../infra/read-model-writer.ts';
import { type CatalogDb, LIVE, NEXT } from '../infra/schema.ts';
import type { DetailCacheService } from './detail-cache.ts';
import type { SearchCache } from './search-cache.ts';

const REBUILD_LOCK = 8_402_001;

export interface RebuildRun {
  id: string;
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  finishedAt: string | null;
  products: number;
  categories: number;
  error: string | null;
}

const TABLES = ['categories', 'products', 'skus'] as const;

type Db = Kysely<CatalogDb & MessagingTables>;

/**
 * Rebuilds the read model from product-service with no downtime: new tables are filled from the
 * paged full-sync API while the live ones keep serving (and keep taking events); then, with the live
 * tables briefly locked against writes, whatever events applied meanwhile is merged in by version and
 * the tables are swapped by rename in one transaction. One rebuild at a time (an advisory lock).
 *
 * Its statements run on a connection of their own bounded by `catalog.rebuild.statementTimeoutMs`
 * (30 min), not the pool's `database.queryTimeoutMs` (ADR 0021): on a large catalog, the statements
 * over a whole table (the category names, the VACUUM, the swap's merge) run for minutes.
 */
export class CatalogRebuild {
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly ctx: ServiceContext<CatalogDb>,
    private readonly cache: DetailCacheService,
    private readonly searchCache: SearchCache<unknown>,
  ) {}

  async latest(): Promise<RebuildRun | undefined> {
    const row = await this.ctx.db
      .selectFrom('rebuild_runs')
      .selectAll()
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && this.view(row);
  }

  /** Starts a rebuild in the background; 409 while one runs (here or in another instance). */
  start(): Promise<RebuildRun> {
    if (this.running)
      return Promise.reject(conflict('A catalog rebuild is already running', 'rebuild-running'));
    const bound = this.ctx.config.number('catalog.rebuild.statementTimeoutMs');
    return new Promise<RebuildRun>((resolve, reject) => {
      this.running = this.ctx
        .withStatementTimeout(bound, async (lockConnection) => {
          const { rows } = await sql<{
            ok: boolean;
          }>`select pg_try_advisory_lock(${REBUILD_LOCK}) as ok`.execute(lockConnection);
          if (!rows[0]?.ok) {
            reject(conflict('A catalog rebuild is already running', 'rebuild-running'));
            return;
          }
          try {
            // A RUNNING row left by a crashed instance: the lock says it is not running any more.
            await this.ctx.db
              .updateTable('rebuild_runs')
              .set({ state: 'FAILED', finished_at: new Date(), error: 'interrupted' })
              .where('state', '=', 'RUNNING')
              .execute();
            const run = await this.ctx.db
              .insertInto('rebuild_runs')
              .values({
                id: randomUUID(),
                state: 'RUNNING',
                finished_at: null,
                products: 0,
                categories: 0,
                error: null,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            resolve(this.view(run));
            await this.execute(run.id, lockConnection);
          } finally {
            await sql`select pg_advisory_unlock(${REBUILD_LOCK})`.execute(lockConnection);
          }
        })
        .catch((error) => {
          reject(error);
          this.ctx.log.error({ err: error }, 'catalog rebuild could not run');
        })
        .finally(() => {
          this.running = undefined;
        });
    });
  }

  /** Lets a running rebuild stop after its current page (the live tables stay as they are). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async execute(runId: string, db: Db): Promise<void> {
    const started = Date.now();
    try {
      const counts = await this.build(runId, db);
      await this.swap(db);
      this.cache.invalidateAll();
      this.searchCache.changed();
      await this.finish(runId, 'SUCCEEDED', counts, null);
      this.ctx.log.info({ ...counts, ms: Date.now() - started }, 'catalog rebuilt');
    } catch (error) {
      const message = (error as Error).message;
      this.ctx.log.error({ err: error }, 'catalog rebuild failed');
      await this.finish(runId, 'FAILED', undefined, message.slice(0, 2_000)).catch(() => {});
      await this.dropNext(db).catch(() => {});
    }
  }

  private async finish(
    runId: string,
    state: 'SUCCEEDED' | 'FAILED',
    counts: { products: number; categories: number } | undefined,
    error: string | null,
  ) {
    await this.ctx.db
      .updateTable('rebuild_runs')
      .set({ state, finished_at: new Date(), error, ...(counts ?? {}) })
      .where('id', '=', runId)
      .execute();
  }

  private async dropNext(db: Db): Promise<void> {
    for (const t of TABLES) await sql`drop table if exists ${sql.raw(NEXT[t])}`.execute(db);
  }

  private async build(runId: string, db: Db): Promise<{ products: number; categories: number }> {
    const client = this.ctx.client('product-service');
    const timeoutMs = this.ctx.config.number('catalog.rebuild.timeoutMs');
    const size = this.ctx.config.number('catalog.rebuild.pageSize');
    const writer = new ReadModelWriter(NEXT);

    await db.transaction().execute(async (trx) => {
      for (const t of TABLES) {
        await sql`drop table if exists ${sql.raw(NEXT[t])}`.execute(trx);
        await sql`create table ${sql.raw(NEXT[t])} (like ${sql.raw(LIVE[t])} including all)`.execute(trx);
      }
    });

    const categories = await client.get('/internal/sync/categories', {
      response: CategorySyncList,
      timeoutMs,
    });
    await writer.upsert(db, NEXT.categories, categories.content.map(categoryRow), { update: [] });

    let products = 0;
    let afterId = 0;
    for (;;) {
      if (this.stopping) throw new Error('stopped: the service is shutting down');
      const page = await client.get('/internal/sync/products', {
        query: { afterId, size },
        response: ProductSyncPage,
        timeoutMs,
      });
      await db.transaction().execute(async (trx) => {
        await writer.insertProducts(trx, page.content.map(syncRow));
        const skus = page.content.flatMap((item) => {
          const stock = new Map(skuStockRows(item.product).map((s) => [s.id, s]));
          return skuDefinitionRows(item.product).map((d) => ({ ...d, ...stock.get(d.id)! }));
        });
        await writer.insertSkus(trx, skus);
      });
      products += page.content.length;
      await db.updateTable('rebuild_runs').set({ products }).where('id', '=', runId).execute();
      if (page.nextAfterId === null) break;
      afterId = page.nextAfterId;
    }
    // Category names come from the category rows copied above; set here, before the vacuum, so the
    // swap's refresh rewrites only what events changed meanwhile. A rewrite of every row at the swap
    // left each product twice in the new table, and search fell back to scanning it.
    await writer.refreshCategoryText(db);
    // Fresh statistics, or the planner would judge the new tables empty right after the swap.
    for (const t of TABLES) await sql`vacuum analyze ${sql.raw(NEXT[t])}`.execute(db);
    return { products, categories: categories.content.length };
  }

  /** Merges what events applied meanwhile, then swaps the tables by rename (readers wait milliseconds). */
  private async swap(db: Db): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await sql`lock table ${sql.raw(TABLES.map((t) => LIVE[t]).join(', '))} in exclusive mode`.execute(trx);
      const touched = await mergeNewer(trx, LIVE, NEXT);
      const next = new ReadModelWriter(NEXT);
      await next.refreshAggregates(trx, touched);
      // Category names depend on the category rows, merged above: recomputed where they changed.
      await next.refreshCategoryText(trx);
      for (const t of TABLES) {
        await sql`alter table ${sql.raw(LIVE[t])} rename to ${sql.raw(`${LIVE[t]}_old`)}`.execute(trx);
        await sql`alter table ${sql.raw(NEXT[t])} rename to ${sql.raw(LIVE[t])}`.execute(trx);
        await sql`drop table ${sql.raw(`${LIVE[t]}_old`)}`.execute(trx);
      }
    });
  }

  private view(row: Omit<CatalogDb['rebuild_runs'], 'started_at'> & { started_at: Date }): RebuildRun {
    return {
      id: row.id,
      state: row.state,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
      products: row.products,
      categories: row.categories,
      error: row.error,
    };
  }
}
