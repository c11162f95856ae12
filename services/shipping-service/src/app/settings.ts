import type { Config } from '@sagamart/kit';

export const shippingDefaults = {
  shipping: {
    courier: {
      /** The courier's discovery name. */
      service: 'mock-courier',
      /** The contract customer's key, sent in the body (courierAccountKey, t_key). */
      accountKey: 'test_courier_sagamart',
      /** The courier's code (t_code). */
      code: '99',
      /** What people see as the courier. */
      name: '사가택배',
      /** Per courier call. */
      timeoutMs: 3_000,
    },
    /** Issue a waybill by itself autoDispatchDelayMs after payment (false: an admin issues them). */
    autoDispatch: true,
    autoDispatchDelayMs: 3_000,
    /**
     * How long the dispatcher and the tracking poller sleep while they know of no due work. This
     * instance wakes them after every commit that makes some, so only work another instance made and
     * left behind (it stopped first) waits this long.
     */
    idleCheckMs: 60_000,
    dispatch: {
      intervalMs: 1_000,
      batchSize: 50,
    },
    tracking: {
      /** How often each waybill is asked about. */
      pollIntervalMs: 5_000,
      /** How often the poller looks for due waybills. */
      tickMs: 1_000,
      batchSize: 50,
      /** Backoff of one waybill after failed polls: retryBaseMs × 2^(failures − 1), at most retryMaxMs. */
      retryBaseMs: 2_000,
      retryMaxMs: 60_000,
      /** How long a claimed waybill is hidden from other instances (a courier call plus margin). */
      leaseMs: 15_000,
      /**
       * A waybill the courier said it does not know (its tracking marked failed) is asked about again
       * this often: a fresh waybill the courier had not registered yet resumes by itself.
       */
      refusedRecheckMs: 3_600_000,
    },
    pickupSweep: {
      /**
       * A pickup booking left open this long is no approval in flight (its courier answer was lost
       * and withdrawing it failed): the sweep cancels it at the courier. Longer than an approval's
       * courier calls; the sweep's own lease on a booking is tracking.leaseMs.
       */
      staleMs: 60_000,
      /** The sweep's pace while it finds bookings to withdraw. */
      intervalMs: 1_000,
      batchSize: 20,
    },
    /** Days after delivery when returns and exchanges close (unless confirmed sooner). */
    returnWindowDays: 7,
    /** The return shipping fee of a CHANGE_OF_MIND return (won), kept from the refund. */
    returnFee: 3_000,
    /** Days after delivery when an unconfirmed order confirms itself (fractions allowed). */
    autoConfirmDays: 7,
    autoConfirm: {
      intervalMs: 60_000,
      batchSize: 50,
    },
    /** 구매확정 points: this share of the amount paid at the PG, rounded down. */
    confirmPointsRate: 0.01,
  },
};

export interface ShippingSettings {
  courierAccountKey: string;
  courierCode: string;
  courierName: string;
  courierTimeoutMs: number;
  autoDispatch: boolean;
  autoDispatchDelayMs: number;
  idleCheckMs: number;
  dispatchIntervalMs: number;
  dispatchBatchSize: number;
  pollIntervalMs: number;
  pollTickMs: number;
  pollBatchSize: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  refusedRecheckMs: number;
  pickupSweepStaleMs: number;
  pickupSweepIntervalMs: number;
  pickupSweepBatchSize: number;
  returnWindowDays: number;
  returnFee: number;
  autoConfirmDays: number;
  autoConfirmIntervalMs: number;
  autoConfirmBatchSize: number;
  confirmPointsRate: number;
}

export function readSettings(config: Config): ShippingSettings {
  return {
    courierAccountKey: config.string('shipping.courier.accountKey'),
    courierCode: config.string('shipping.courier.code'),
    courierName: config.string('shipping.courier.name'),
    courierTimeoutMs: config.number('shipping.courier.timeoutMs'),
    autoDispatch: config.boolean('shipping.autoDispatch'),
    autoDispatchDelayMs: config.number('shipping.autoDispatchDelayMs'),
    idleCheckMs: config.number('shipping.idleCheckMs'),
    dispatchIntervalMs: config.number('shipping.dispatch.intervalMs'),
    dispatchBatchSize: config.number('shipping.dispatch.batchSize'),
    pollIntervalMs: config.number('shipping.tracking.pollIntervalMs'),
    pollTickMs: config.number('shipping.tracking.tickMs'),
    pollBatchSize: config.number('shipping.tracking.batchSize'),
    retryBaseMs: config.number('shipping.tracking.retryBaseMs'),
    retryMaxMs: config.number('shipping.tracking.retryMaxMs'),
    leaseMs: config.number('shipping.tracking.leaseMs'),
    refusedRecheckMs: config.number('shipping.tracking.refusedRecheckMs'),
    pickupSweepStaleMs: config.number('shipping.pickupSweep.staleMs'),
    pickupSweepIntervalMs: config.number('shipping.pickupSweep.intervalMs'),
    pickupSweepBatchSize: config.number('shipping.pickupSweep.batchSize'),
    returnWindowDays: config.number('shipping.returnWindowDays'),
    returnFee: config.number('shipping.returnFee'),
    autoConfirmDays: config.number('shipping.autoConfirmDays'),
    autoConfirmIntervalMs: config.number('shipping.autoConfirm.intervalMs'),
    autoConfirmBatchSize: config.number('shipping.autoConfirm.batchSize'),
    confirmPointsRate: config.number('shipping.confirmPointsRate'),
  };
}
