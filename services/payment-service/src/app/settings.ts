import type { Config } from '@sagamart/kit';

export const paymentDefaults = {
  payment: {
    pg: {
      /** The PG's discovery name. */
      service: 'mock-pg',
      /** Sent as Basic auth (secretKey + ':'), like Toss; must match the PG's mockPg.secretKey. */
      secretKey: 'test_sk_sagamart_mock',
      /** Per PG call; a confirm that takes longer leaves the payment PENDING for the reconciler. */
      timeoutMs: 3_000,
    },
    /** How long a confirm waits for the order.placed event of an order it does not know yet. */
    orderWaitMs: 3_000,
    reconcile: {
      /** How often pending payments and refunds are looked at while some are due. */
      intervalMs: 5_000,
      /**
       * How long the reconciler sleeps while it knows of no due check: this instance wakes it after
       * every commit that writes one, so only checks another instance left behind wait this long.
       */
      idleMs: 60_000,
      batchSize: 20,
      /** Backoff between checks of one payment: retryBaseMs × 2^(attempt − 1), at most retryMaxMs. */
      retryBaseMs: 1_000,
      retryMaxMs: 60_000,
    },
  },
};

export interface PaymentSettings {
  pgTimeoutMs: number;
  orderWaitMs: number;
  intervalMs: number;
  idleMs: number;
  batchSize: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a payment being worked on is hidden from other workers (a PG call plus margin). */
  leaseMs: number;
}

export function readSettings(config: Config): PaymentSettings {
  const pgTimeoutMs = config.number('payment.pg.timeoutMs');
  return {
    pgTimeoutMs,
    orderWaitMs: config.number('payment.orderWaitMs'),
    intervalMs: config.number('payment.reconcile.intervalMs'),
    idleMs: config.number('payment.reconcile.idleMs'),
    batchSize: config.number('payment.reconcile.batchSize'),
    retryBaseMs: config.number('payment.reconcile.retryBaseMs'),
    retryMaxMs: config.number('payment.reconcile.retryMaxMs'),
    leaseMs: pgTimeoutMs * 2 + 1_000,
  };
}
