import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { type CourierProxy, returnSteps, startCourierProxy } from './return-steps.ts';

describe('the courier loses an answer or cancels a waybill', () => {
  let h: Harness;
  let proxy: CourierProxy;

  beforeAll(async () => {
    h = await startHarness();
    proxy = await startCourierProxy(() => h.courier.url);
    h.discovery.set('mock-courier', proxy.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await h?.stop();
  });

  const { returnAsked, approve, reject, claimOf, onceReachable, courierStatus, approvalLostAfterBooking } =
    returnSteps(
      () => h,
      () => proxy,
    );

  describe('an approval whose courier answer was lost', () => {
    it('cancels the pickup it booked, and approving again books a new one', async () => {
      const { order, claimId } = await returnAsked();
      const seen = proxy.pickups.length;
      proxy.slowUploads = 1;
      const lost = await onceReachable(() => approve(claimId));
      expect(lost.status).toBe(504);
      expect((await claimOf(order, claimId)).status).toBe('REQUESTED');
      const booked = proxy.pickups[seen]!;
      // The waybill the lost answer named was looked up again and cancelled: nobody comes for it.
      expect(await courierStatus(booked)).toBe('CANCELLED');

      const approved = await onceReachable(() => approve(claimId));
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('APPROVED');
      expect(approved.body.pickupTrackingNumber).not.toBe(booked);
      await h.advance(approved.body.pickupTrackingNumber, 'DELIVERED');
      const completed = await h.awaitEvent('return.completed', order.orderId);
      expect(completed.payload).toMatchObject({ claimId, refundAmount: 21_818 });
    });

    it('is never collected once the return is rejected, even when that cancel failed too', async () => {
      const { order, claimId, booked } = await approvalLostAfterBooking('CHANGE_OF_MIND');
      expect(await courierStatus(booked)).toBe('ACCEPTED');

      const rejected = await onceReachable(() => reject(claimId, '반품 불가 상품'));
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'REJECTED', pickupTrackingNumber: null });
      expect(await courierStatus(booked)).toBe('CANCELLED');
      expect((await h.advance(booked, 'PICKED_UP')).status).toBe(409);
      await h.awaitEvent('return.rejected', order.orderId);
      expect(await h.eventsOf('return.approved', order.orderId)).toHaveLength(0);
    });

    it('refuses a reject with 503 while the courier is unreachable, and rejects once it is back', async () => {
      const { order, claimId, booked } = await approvalLostAfterBooking();

      proxy.down = true;
      const refused = await reject(claimId, '반품 불가 상품');
      proxy.down = false;
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({
        type: 'urn:sagamart:problem:courier-unavailable',
        detail: expect.stringContaining('다시 거절해 주세요'),
      });
      expect((await claimOf(order, claimId)).status).toBe('REQUESTED');
      expect(await courierStatus(booked)).toBe('ACCEPTED');

      // Once the courier answers again (its circuit closes after a while), the reject goes through.
      const rejected = await onceReachable(() => reject(claimId, '반품 불가 상품'));
      expect(rejected.body.status).toBe('REJECTED');
      expect(await courierStatus(booked)).toBe('CANCELLED');
    });

    it('is adopted by an approval once the courier has collected it: the return completes', async () => {
      const { order, claimId, booked } = await approvalLostAfterBooking();
      await h.advance(booked, 'DELIVERED');

      // Too late to stop: the reject says so, and approving follows the parcel already on its way.
      const refused = await onceReachable(() => reject(claimId, '반품 불가 상품'));
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        type: 'urn:sagamart:problem:pickup-under-way',
        trackingNumber: booked,
      });
      const approved = await onceReachable(() => approve(claimId));
      expect(approved.body).toMatchObject({ status: 'APPROVED', pickupTrackingNumber: booked });
      const completed = await h.awaitEvent('return.completed', order.orderId);
      expect(completed.payload).toMatchObject({ claimId, refundAmount: 21_818 });
    });
  });

  describe('a pickup the courier cancels', () => {
    it('puts the return back to REQUESTED, announced, for the admin to approve again with a new pickup', async () => {
      const { order, claimId } = await returnAsked();
      const approved = await approve(claimId);
      const first = approved.body.pickupTrackingNumber as string;
      const approvedEvent = await h.awaitEvent('return.approved', order.orderId);

      expect((await h.advance(first, 'CANCELLED')).status).toBe(200);
      const cancelled = await h.awaitEvent('return.pickup-cancelled', order.orderId);
      expect(cancelled.payload).toMatchObject({ claimId, pickupTrackingNumber: first });
      expect(cancelled.payload.version).toBeGreaterThan(approvedEvent.payload.version);
      expect(await claimOf(order, claimId)).toMatchObject({
        status: 'REQUESTED',
        approvedAt: null,
        pickupCancelledAt: expect.any(String),
        pickupTrackingNumber: first,
        pickupCourierStatus: 'CANCELLED',
      });

      const again = await approve(claimId);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'APPROVED', pickupCourierStatus: 'ACCEPTED' });
      const second = again.body.pickupTrackingNumber as string;
      expect(second).not.toBe(first);
      const reapproved = await h.awaitEvent('return.approved', order.orderId, 2);
      expect(reapproved.payload.version).toBeGreaterThan(cancelled.payload.version);
      await h.advance(second, 'DELIVERED');
      const completed = await h.awaitEvent('return.completed', order.orderId);
      expect(completed.payload).toMatchObject({ claimId, refundAmount: 21_818 });
      expect(await claimOf(order, claimId)).toMatchObject({
        status: 'COMPLETED',
        pickupTrackingNumber: second,
      });
    });

    it('lets the admin reject an exchange whose pickup failed: the new option is released, the units claimable', async () => {
      h.skus.set(102, { productId: 10, price: 10_000 });
      const { order } = await h.delivered();
      const tee = order.items[0]!;
      const asked = await h.api.post(
        `/api/orders/${order.orderId}/exchanges`,
        { items: [{ orderItemId: tee.orderItemId, quantity: 1, newSkuId: 102 }], reason: 'CHANGE_OF_MIND' },
        h.owner(order),
      );
      const claimId = asked.body.id as string;
      const approved = await approve(claimId, 'exchanges');
      expect(approved.status).toBe(200);
      await h.advance(approved.body.pickupTrackingNumber, 'CANCELLED');
      await h.awaitEvent('exchange.pickup-cancelled', order.orderId);
      expect((await claimOf(order, claimId)).status).toBe('REQUESTED');
      // Reserved still: the admin may approve again.
      expect(await h.reservations()).toContainEqual(
        expect.objectContaining({ claim_id: claimId, state: 'RESERVED' }),
      );

      const rejected = await reject(claimId, '회수 실패', 'exchanges');
      expect(rejected.status).toBe(200);
      await h.awaitEvent('exchange.rejected', order.orderId);
      expect(await h.reservations()).toContainEqual(
        expect.objectContaining({ claim_id: claimId, state: 'RELEASED' }),
      );
      // Every unit of the line can be claimed again.
      const returned = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [{ orderItemId: tee.orderItemId, quantity: 3 }], reason: 'DEFECTIVE' },
        h.owner(order),
      );
      expect(returned.status).toBe(201);
    });
  });

  describe('an order cancelled while the answer to its waybill’s upload is lost', () => {
    const cancel = (orderId: string) =>
      h.api.post(`/internal/shipments/orders/${orderId}/cancel`, undefined, h.internal);
    /** A paid order whose waybill the courier has made, its answer to the dispatcher being lost. */
    async function dispatchLost() {
      const order = h.paidOrder();
      proxy.slowUploads = 1;
      await h.publishPaid(order);
      const shipmentId: string = await eventually(
        async () => (await h.shippingOf(order)).body?.shipments?.[0]?.id,
      );
      const made = await eventually(() => proxy.parcels.find((p) => p.reference === shipmentId));
      return { order, trackingNumber: made.trackingNumber };
    }

    it('cancels the waybill the courier made under the shipment, then the shipment', async () => {
      const { order, trackingNumber } = await dispatchLost();
      const cancelled = await cancel(order.orderId);
      expect(cancelled.status).toBe(200);
      expect(await courierStatus(trackingNumber)).toBe('CANCELLED');
      expect((await h.shippingOf(order)).body.shipments[0]).toMatchObject({
        status: 'CANCELLED',
        courierStatus: 'CANCELLED',
      });
      await h.awaitEvent('shipment.cancelled', order.orderId);
      expect(await h.eventsOf('shipment.dispatched', order.orderId)).toHaveLength(0);
    });

    it('answers 503 while the courier cannot be reached, and the dispatcher finishes the cancel once it can', async () => {
      const { order, trackingNumber } = await dispatchLost();
      proxy.down = true;
      const refused = await cancel(order.orderId);
      proxy.down = false;
      expect(refused.status).toBe(503);
      expect((await h.shippingOf(order)).body.shipments[0].status).toBe('READY');

      // Announced: order-service finishes the cancel it was refused (and refunds it).
      await h.awaitEvent('shipment.cancelled', order.orderId);
      expect(await courierStatus(trackingNumber)).toBe('CANCELLED');
      expect((await h.shippingOf(order)).body.shipments[0].status).toBe('CANCELLED');
      expect(await h.eventsOf('shipment.dispatched', order.orderId)).toHaveLength(0);
    });

    it('answers 409 picked-up once the courier has collected that parcel, and follows it to delivery', async () => {
      const { order, trackingNumber } = await dispatchLost();
      await h.advance(trackingNumber, 'PICKED_UP');
      const refused = await cancel(order.orderId);
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('urn:sagamart:problem:picked-up');
      expect((await h.shippingOf(order)).body.shipments[0].trackingNumber).toBe(trackingNumber);

      await h.advance(trackingNumber, 'DELIVERED');
      await h.awaitEvent('shipment.delivered', order.orderId);
      expect(await h.eventsOf('shipment.cancelled', order.orderId)).toHaveLength(0);
    });
  });

  describe('an admin’s issue whose courier answer was lost, with autoDispatch off', () => {
    it('is finished by the dispatcher: the waybill the courier made is recorded, once, and tracked', async () => {
      const manual = await startHarness({ shipping: { shipping: { autoDispatch: false } } });
      const manualProxy = await startCourierProxy(() => manual.courier.url);
      manual.discovery.set('mock-courier', manualProxy.url);
      try {
        const order = manual.paidOrder();
        await manual.publishPaid(order);
        const shipmentId: string = await eventually(
          async () => (await manual.shippingOf(order)).body?.shipments?.[0]?.id,
        );
        manualProxy.slowUploads = 1;
        const lost = await manual.api.post(
          '/api/admin/shipping/waybills',
          { shipmentIds: [shipmentId] },
          manual.admin,
        );
        expect(lost.body.results[0]).toMatchObject({ trackingNumber: null, error: { code: 'UNAVAILABLE' } });
        const made = manualProxy.parcels.find((p) => p.reference === shipmentId)!;
        expect(made).toBeDefined();

        // Nobody issues it again: the shipment takes the waybill the courier made, and follows it.
        const tracked = await eventually(async () => {
          const [shipment] = (await manual.shippingOf(order)).body.shipments;
          return shipment.trackingNumber ? shipment : undefined;
        });
        expect(tracked).toMatchObject({ trackingNumber: made.trackingNumber, courierStatus: 'ACCEPTED' });
        const dispatched = await manual.awaitEvent('shipment.dispatched', order.orderId);
        expect(dispatched.payload.trackingNumber).toBe(made.trackingNumber);
        await manual.advance(made.trackingNumber, 'DELIVERED');
        await manual.awaitEvent('shipment.delivered', order.orderId);
        // One waybill under the shipment's key at the courier, announced once.
        const waybills = new Set(
          manualProxy.parcels.filter((p) => p.reference === shipmentId).map((p) => p.trackingNumber),
        );
        expect([...waybills]).toEqual([made.trackingNumber]);
        expect(await manual.eventsOf('shipment.dispatched', order.orderId)).toHaveLength(1);
      } finally {
        await manualProxy.close();
        await manual.stop();
      }
    }, 90_000);
  });

  describe("an order's waybill the courier cancels unasked", () => {
    it('gets a new waybill from the dispatcher, and the parcel is delivered', async () => {
      const order = h.paidOrder();
      await h.publishPaid(order);
      const first = await h.waybillOf(order);
      expect((await h.advance(first, 'CANCELLED')).status).toBe(200);
      const second = await eventually(async () => {
        const [shipment] = (await h.shippingOf(order)).body.shipments;
        return shipment.trackingNumber && shipment.trackingNumber !== first
          ? shipment.trackingNumber
          : undefined;
      });
      const redispatched = await h.awaitEvent('shipment.dispatched', order.orderId, 2);
      expect(redispatched.payload.trackingNumber).toBe(second);
      await h.advance(second, 'DELIVERED');
      await h.awaitEvent('shipment.delivered', order.orderId);
      const [shipment] = (await h.shippingOf(order)).body.shipments;
      expect(shipment).toMatchObject({ status: 'DELIVERED', trackingNumber: second });
      // Only the new waybill's history.
      expect(shipment.history.map((e: { status: string }) => e.status)).not.toContain('CANCELLED');
      expect(await h.eventsOf('shipment.cancelled', order.orderId)).toHaveLength(0);
    });

    it('can be issued again by the admin when the dispatcher is off', async () => {
      const manual = await startHarness({ shipping: { shipping: { autoDispatch: false } } });
      try {
        const order = manual.paidOrder();
        await manual.publishPaid(order);
        const shipmentId = await eventually(
          async () => (await manual.shippingOf(order)).body?.shipments?.[0]?.id,
        );
        const issue = () =>
          manual.api.post('/api/admin/shipping/waybills', { shipmentIds: [shipmentId] }, manual.admin);
        const first = (await issue()).body.results[0].trackingNumber;
        expect(first).toEqual(expect.any(String));
        await manual.advance(first, 'CANCELLED');
        await eventually(async () => {
          const [shipment] = (await manual.shippingOf(order)).body.shipments;
          return shipment.courierStatus === 'NOT_SENT' && shipment.trackingNumber === null;
        });
        const reissued = (await issue()).body.results[0];
        expect(reissued).toMatchObject({ trackingNumber: expect.any(String), error: null });
        expect(reissued.trackingNumber).not.toBe(first);
      } finally {
        await manual.stop();
      }
    }, 90_000);
  });
});
