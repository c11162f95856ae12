import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { type CourierProxy, returnSteps, startCourierProxy } from './return-steps.ts';

/** Longer than an approval whose two courier answers are lost (2 × the 1 s timeout). */
const STALE_MS = 4_000;
/** The sweep's bounded wait: the booking goes stale, a tick, and the courier's circuit half-opens. */
const SWEEP_WAIT_MS = 30_000;

describe('a pickup booking left open', () => {
  let h: Harness;
  let proxy: CourierProxy;

  beforeAll(async () => {
    h = await startHarness({
      shipping: { shipping: { idleCheckMs: 500, pickupSweep: { staleMs: STALE_MS, intervalMs: 100 } } },
    });
    proxy = await startCourierProxy(() => h.courier.url);
    h.discovery.set('mock-courier', proxy.url);
    // A second instance sweeps the same database: a booking is cancelled by one of them.
    await h.startShipping();
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.stop();
  });

  const { approve, reject, claimOf, courierStatus, onceReachable, approvalLostAfterBooking } = returnSteps(
    () => h,
    () => proxy,
  );
  /** The admin's queue row of the claim. */
  const queued = async (order: OrderPaidPayload, claimId: string) =>
    (
      await h.api.get(`/api/admin/shipping/returns?orderNumber=${order.orderNumber}`, h.admin)
    ).body.content.find((c: { id: string }) => c.id === claimId);

  it('is cancelled at the courier by the sweep once the courier is back, after the reject could not', async () => {
    const { order, claimId, booked } = await approvalLostAfterBooking();

    // The reject cannot cancel it while the courier is unreachable, and so refuses.
    proxy.down = true;
    const refused = await reject(claimId, '반품 불가 상품');
    expect(refused.status).toBe(503);
    expect((await claimOf(order, claimId)).status).toBe('REQUESTED');
    expect(await courierStatus(booked)).toBe('ACCEPTED');
    proxy.down = false;

    // Nobody decides again: the sweep cancels the booking at the courier by itself.
    await eventually(async () => (await courierStatus(booked)) === 'CANCELLED', SWEEP_WAIT_MS, 200);
    expect((await h.advance(booked, 'PICKED_UP')).status).toBe(409);
    expect((await claimOf(order, claimId)).status).toBe('REQUESTED');
    expect(await h.eventsOf('return.approved', order.orderId)).toHaveLength(0);

    // The booking is closed: approving books a new pickup, and the old one was cancelled once.
    const approved = await onceReachable(() => approve(claimId));
    expect(approved.body).toMatchObject({ status: 'APPROVED', pickupCourierStatus: 'ACCEPTED' });
    expect(approved.body.pickupTrackingNumber).not.toBe(booked);
    expect(proxy.cancels.filter((t) => t === booked)).toHaveLength(1);
  }, 90_000);

  it('shows the admin a booking the courier is already collecting, and approving adopts it', async () => {
    const { order, claimId, booked } = await approvalLostAfterBooking();
    await h.advance(booked, 'PICKED_UP');

    const underWay = await eventually(
      async () => (await queued(order, claimId))?.pickupUnderWay,
      SWEEP_WAIT_MS,
      200,
    );
    expect(underWay).toMatchObject({ trackingNumber: booked, courierStatus: 'PICKED_UP' });
    expect((await claimOf(order, claimId)).status).toBe('REQUESTED');

    const approved = await onceReachable(() => approve(claimId));
    expect(approved.body).toMatchObject({ status: 'APPROVED', pickupTrackingNumber: booked });
    expect((await queued(order, claimId)).pickupUnderWay).toBeNull();
    await h.advance(booked, 'DELIVERED');
    const completed = await h.awaitEvent('return.completed', order.orderId);
    expect(completed.payload).toMatchObject({ claimId, refundAmount: 21_818 });
  }, 90_000);
});
