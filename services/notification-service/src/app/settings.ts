import { DEFAULT_LOW_STOCK_THRESHOLD } from '@sagamart/contracts';

/** Bundled defaults; config/notification-service.yml mirrors them. */
export const notificationDefaults = {
  notifications: {
    /** Notifications kept per user (older ones are pruned; a resume from before them is a reset). */
    keepPerUser: 500,
    socket: {
      /** A connection must send its resume within this time. */
      resumeTimeoutMs: 10_000,
      /** Protocol pings; a connection that did not answer the previous ping is dropped. */
      pingMs: 25_000,
      /** Bytes queued for one client beyond which it is disconnected (4008) and must resume. */
      maxBufferedBytes: 1_048_576,
      /** Notifications read from the database per query while replaying. */
      replayBatch: 200,
    },
    /**
     * Every connected user's newest seq is checked this often, so a lost fan-out message delays a
     * notification by at most this long (fan-out is fire-and-forget).
     */
    sweepMs: 5_000,
    retention: {
      /**
       * The newest step of an order, claim or shipment that no step touched for this long is forgotten
       * (by the kit's retention job): an older step that comes later than this is told. Never less than
       * retention.inboxSeconds, the platform's bound on a late redelivery.
       */
      newestVersionsSeconds: 2_592_000,
    },
  },
  /**
   * Events handled at once: each waits mostly on its own short transaction, so on a busy machine
   * more of them in parallel keep delivery ahead of the event rate (the pool has room for the sockets).
   */
  events: { concurrency: 16 },
  database: { poolSize: 20 },
  dashboard: {
    /**
     * A SKU on sale with this many units or fewer is listed as low on stock. Shared with
     * product-service's product list (`stock=low`, where the card links): config/application.yml.
     */
    lowStockThreshold: DEFAULT_LOW_STOCK_THRESHOLD,
  },
};
