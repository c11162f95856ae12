import type { OrderPaidPayload } from '@sagamart/contracts';
import { eventually } from '@sagamart/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { type CourierProxy, returnSteps, startCourierProxy } from './return-steps.ts';

/** Longer than an approval whose two courier answers are lost (2 × the 1 s timeout). */
const STALE_MS = 4_000;
/** The sweep's bounded wait: the booking goes stale, a tick, and the courier's circuit half-opens. */
const SWEEP_WAIT_MS = 30_000;
/** A short lease, for the sweep's courier calls to outlive. */
const LEASE_MS = 400;

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
  afterEach(() => {
    Object.assign(proxy, { down: false, refuse: undefined, holdCancelMs: 0 });
  });

  const { approve, reject, claimOf, courierStatus, onceReachable, approvalLostAfterBooking } = returnSteps(
    () => h,
    () => proxy,
  );
  /**
   * A reject answered by the courier's refusal, not by its circuit: the lost answers before it may have
   * opened shipping-service's circuit to the courier for a moment (a 503 naming the service).
   */
  const onceRefused = (decide: () => ReturnType<typeof reject>) =>
    eventually(async () => {
      const answer = await decide();
      return answer.status === 503 && answer.body.service ? undefined : answer;
    });
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

  it('is kept open while the courier refuses whole calls: the reject answers 503, the approval closes nothing', async () => {
    const { order, claimId, booked } = await approvalLostAfterBooking();

    // A refused call (a rotated account key, a malformed request) says nothing about this booking.
    for (const status of [401, 403, 400]) {
      proxy.refuse = status;
      const refused = await onceRefused(() => reject(claimId, '반품 불가 상품'));
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({
        type: 'urn:sagamart:problem:courier-unavailable',
        courierCode: expect.any(String),
      });
    }
    const approval = await onceReachable(() => approve(claimId));
    expect(approval.status).toBe(502);
    expect(approval.body.type).toBe('urn:sagamart:problem:courier-rejected');
    proxy.refuse = undefined;
    expect((await claimOf(order, claimId)).status).toBe('REQUESTED');

    // The booking was kept: rejecting now cancels that pickup (unless the sweep already did).
    const rejected = await onceReachable(() => reject(claimId, '반품 불가 상품'));
    expect(rejected.body.status).toBe('REJECTED');
    expect(await courierStatus(booked)).toBe('CANCELLED');
  }, 90_000);

  it('is left for a later sweep while the courier refuses whole calls, and cancelled once it answers', async () => {
    const { order, claimId, booked } = await approvalLostAfterBooking();
    proxy.refuse = 401;
    // The sweep asks about the booking and the courier refuses the call for our account key.
    await eventually(async () => proxy.refused.includes(`pickup-${claimId}`), SWEEP_WAIT_MS, 100);
    proxy.refuse = undefined;

    await eventually(async () => (await courierStatus(booked)) === 'CANCELLED', SWEEP_WAIT_MS, 200);
    expect((await claimOf(order, claimId)).status).toBe('REQUESTED');
    const approved = await onceReachable(() => approve(claimId));
    expect(approved.body).toMatchObject({ status: 'APPROVED', pickupCourierStatus: 'ACCEPTED' });
    expect(approved.body.pickupTrackingNumber).not.toBe(booked);
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

describe('a pickup booking whose withdrawal outlives the sweep lease', () => {
  let h: Harness;
  let proxy: CourierProxy;

  beforeAll(async () => {
    h = await startHarness({
      shipping: {
        shipping: {
          idleCheckMs: 500,
          pickupSweep: { staleMs: STALE_MS, intervalMs: 100 },
          // A lease shorter than the courier's cancel below takes.
          tracking: { pollIntervalMs: 100, tickMs: 50, retryBaseMs: 100, retryMaxMs: 400, leaseMs: LEASE_MS },
        },
      },
    });
    proxy = await startCourierProxy(() => h.courier.url);
    h.discovery.set('mock-courier', proxy.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.stop();
  });

  const { approve, claimOf, courierStatus, approvalLostAfterBooking } = returnSteps(
    () => h,
    () => proxy,
  );

  it('refuses an approval until the sweep is done, so its cancel never hits an approved pickup', async () => {
    const { order, claimId, booked } = await approvalLostAfterBooking();
    proxy.holdCancelMs = LEASE_MS * 2 + 100;

    // The sweep's cancel is on its way and stays there past its lease.
    await eventually(async () => proxy.cancelsAsked.includes(booked), SWEEP_WAIT_MS, 20);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
    const meanwhile = await approve(claimId);
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.type).toBe('urn:sagamart:problem:pickup-withdrawing');

    await eventually(async () => (await courierStatus(booked)) === 'CANCELLED', SWEEP_WAIT_MS, 100);
    proxy.holdCancelMs = 0;
    const approved = await eventually(async () => {
      const answer = await approve(claimId);
      return answer.status === 409 || answer.status === 503 ? undefined : answer;
    });
    expect(approved.body).toMatchObject({ status: 'APPROVED', pickupCourierStatus: 'ACCEPTED' });
    const pickup = approved.body.pickupTrackingNumber as string;
    expect(pickup).not.toBe(booked);
    await h.awaitEvent('return.approved', order.orderId);
    expect(await courierStatus(pickup)).toBe('ACCEPTED');
    expect(proxy.cancelsAsked).not.toContain(pickup);
    expect((await claimOf(order, claimId)).status).toBe('APPROVED');
    expect(await h.eventsOf('return.approved', order.orderId)).toHaveLength(1);
    expect(await h.eventsOf('return.pickup-cancelled', order.orderId)).toHaveLength(0);
  }, 90_000);
});
