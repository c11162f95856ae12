import { type ServiceContext, sql } from '@sagamart/kit';
import { Counter } from 'prom-client';
import type { CatalogDb } from '../infra/schema.ts';

const ADVANCE_ATTEMPTS = 5;

/**
 * Repeated searches answered from memory, exactly as the database would answer them now.
 *
 * Every change to the read model (an applied event, a rebuild's swap) advances a generation, a
 * sequence in the catalog's own database, after its transaction commits. A search reads the
 * generation first, then runs; its page is kept under that generation and served only while the
 * generation is unchanged. A page that saw a later change was stored under the generation read
 * before it, which that change has since advanced: it is never served. Every instance reads the same
 * sequence, so a change applied by one instance reaches all without a broadcast, with Redis or without.
 * Between a commit and its advance (one statement) a search may still be answered as just before it.
 */
export class SearchCache<T> {
  private readonly entries = new Map<string, { generation: string; value: T; expires: number }>();
  private readonly lookups: Counter<'result'>;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private advancing: Promise<void> | undefined;
  private advanceAgain = false;

  constructor(
    private readonly ctx: ServiceContext<CatalogDb>,
    /** Told each generation this instance advanced to (the gateway's response cache follows it). */
    private readonly onAdvanced: (generation: number) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxEntries = ctx.config.number('catalog.searchCache.maxEntries');
    this.ttlMs = ctx.config.number('catalog.searchCache.ttlSeconds') * 1000;
    this.lookups = new Counter({
      name: 'catalog_search_cache_total',
      help: 'Searches by cache result: hit, or miss (run against the database)',
      labelNames: ['result'],
      registers: [ctx.metrics.registry],
    });
  }

  /** The page for `key` at the current generation: from memory, or loaded and kept. */
  async getOrLoad(key: string, load: () => Promise<T>): Promise<T> {
    if (this.maxEntries === 0) return load();
    const generation = await this.generation();
    const entry = this.entries.get(key);
    if (entry && entry.generation === generation && entry.expires > this.now()) {
      this.lookups.inc({ result: 'hit' });
      return entry.value;
    }
    this.lookups.inc({ result: 'miss' });
    const value = await load();
    this.entries.delete(key);
    this.entries.set(key, { generation, value, expires: this.now() + this.ttlMs });
    // Oldest first in a Map's order: evict from the front.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  /**
   * Call after a change to the read model has committed. Requests arriving while an advance is under
   * way are coalesced into one more advance after it (which then follows every such commit).
   */
  changed(): void {
    this.entries.clear();
    if (this.advancing) {
      this.advanceAgain = true;
      return;
    }
    this.advancing = (async () => {
      // A lost advance would leave other instances serving pages older than the commit until their
      // time to live: retried a few times before that bound is all that is left.
      for (let attempt = 1; ; attempt++) {
        try {
          this.advanceAgain = false;
          const { rows } = await sql<{ generation: string }>`
            select nextval('catalog_search_generation') as generation`.execute(this.ctx.db);
          this.onAdvanced(Number(rows[0]!.generation));
          if (!this.advanceAgain) return;
        } catch (error) {
          if (attempt >= ADVANCE_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    })()
      .catch((error) => this.ctx.log.warn({ err: error }, 'search cache generation not advanced'))
      .finally(() => {
        this.advancing = undefined;
      });
  }

  /** Resolves once no advance is under way (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.advancing) await this.advancing;
  }

  /** The sequence's position: its first advance leaves last_value at 1 and sets is_called. */
  private async generation(): Promise<string> {
    const { rows } = await sql<{ generation: string }>`
      select last_value || ':' || is_called as generation from catalog_search_generation`.execute(
      this.ctx.db,
    );
    return rows[0]!.generation;
  }
}
