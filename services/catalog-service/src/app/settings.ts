/** Bundled defaults (config/catalog-service.yml mirrors them). */
export const catalogDefaults = {
  catalog: {
    cache: {
      /** LRU size when no Redis is configured. */
      maxEntries: 5_000,
      /** Upper bound on staleness should an invalidation ever be lost. */
      ttlSeconds: 300,
      /**
       * Invalidation deletes at once and again after this delay: a reader that loaded the old row just
       * before the event's transaction committed cannot leave it in the cache.
       */
      redeleteMs: 500,
      /** Key prefix in Redis (one per environment sharing a Redis); versioned with the detail's shape. */
      redisPrefix: 'sagamart:catalog:product-detail:v2:',
    },
    searchCache: {
      /** Search pages kept in each instance (0 turns the cache off). */
      maxEntries: 1_000,
      /** Upper bound on staleness should a generation advance ever be lost. */
      ttlSeconds: 60,
    },
    generation: {
      /**
       * The read model's generation is read and broadcast this often besides after every change: a
       * lost broadcast is made up for within it, and the gateway trusts its kept answers only while it
       * hears this (ADR 0009).
       */
      heartbeatMs: 5_000,
    },
    rebuild: {
      /** Products per full-sync page read from product-service. */
      pageSize: 250,
      timeoutMs: 30_000,
      /**
       * How long each of the rebuild's statements may run (instead of `database.queryTimeoutMs`, ADR
       * 0021): on a large catalog those over a whole table (category names, VACUUM, the swap's merge)
       * take minutes.
       */
      statementTimeoutMs: 1_800_000,
    },
  },
};
