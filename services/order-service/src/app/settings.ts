/** Bundled defaults; config/order-service.yml mirrors them. */
export const orderDefaults = {
  orders: {
    /** An order not paid this long after it became PAYMENT_PENDING is cancelled (PAYMENT_TIMEOUT). */
    paymentTimeoutSeconds: 600,
    /** How long POST /api/orders waits for the saga's outcome before answering 202. */
    placeWaitMs: 2_000,
    /** A saga in a transient phase longer than this counts as stuck (metric, admin list). */
    stuckAfterSeconds: 60,
    cancel: {
      /** Ask shipping-service to stop a paid order's parcel before cancelling it (409 once picked up). */
      askShipping: true,
      /**
       * A cancel whose answer from shipping-service was lost (503) is finished when shipment.cancelled
       * arrives within this many seconds of the ask; a later one (a waybill voided days after) is not.
       */
      requestHoldSeconds: 3_600,
    },
    /**
     * A long-polled order read (GET /api/orders/:id?whileStatus=…) wakes at once on a change this
     * instance commits, and reads again at least this often for changes made elsewhere.
     */
    detailRecheckMs: 500,
    /** How long the category tree (for CATEGORY policies) is cached. */
    categoryCacheMs: 10_000,
    saga: {
      /** How often the recovery worker looks for due sagas and unpaid orders while there are some. */
      pollMs: 1_000,
      /**
       * Its longest sleep while the database shows no work due: it wakes earlier for a known due time
       * (a retry, a lease's end, a payment timeout) and at once for a retry this instance schedules.
       */
      idlePollMs: 30_000,
      /** Sagas the worker drives at once. */
      concurrency: 16,
      /** Timeout of one participant call. */
      callTimeoutMs: 3_000,
      /** Retry of a transient failure: retryBaseMs × 2^(attempt − 1), at most retryMaxMs, with jitter. */
      retryBaseMs: 500,
      retryMaxMs: 30_000,
      /** An instance owns a saga it drives this long; a crashed instance's sagas are resumed after it. */
      leaseMs: 30_000,
    },
    retention: {
      /** The step log of a saga finished (completed or compensated) longer ago than this is deleted. */
      sagaLogSeconds: 7_776_000,
    },
  },
};

export const refreshableSettings = [
  'orders.paymentTimeoutSeconds',
  'orders.placeWaitMs',
  'orders.stuckAfterSeconds',
  'orders.saga.pollMs',
  'orders.saga.idlePollMs',
  'orders.saga.retryBaseMs',
  'orders.saga.retryMaxMs',
  'orders.retention.sagaLogSeconds',
];
