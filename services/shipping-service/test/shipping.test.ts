import { eventsHandled, eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

describe('shipping-service', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('shipments', () => {
    it('makes a shipment only from order.paid, issues its waybill by itself and follows the courier to DELIVERED', async () => {
      const order = h.paidOrder();
      expect((await h.shippingOf(order)).status).toBe(404);
      await h.publishPaid(order);
      const trackingNumber = await h.waybillOf(order);
      const dispatched = await h.awaitEvent('shipment.dispatched', order.orderId);
      expect(dispatched.payload).toMatchObject({
        orderNumber: order.orderNumber,
        userId: order.userId,
        kind: 'ORIGINAL',
        claimId: null,
        courier: '99',
        trackingNumber,
      });

      await h.advance(trackingNumber, 'IN_TRANSIT');
      const moving = await h.awaitEvent('shipment.in-transit', order.orderId);
      expect(moving.payload.version).toBeGreaterThan(dispatched.payload.version);
      await h.advance(trackingNumber, 'DELIVERED');
      const delivered = await h.awaitEvent('shipment.delivered', order.orderId);
      expect(delivered.payload.version).toBeGreaterThan(moving.payload.version);

      const view = (await h.shippingOf(order)).body;
      expect(view.deliveredAt).not.toBeNull();
      expect(view.confirmable).toBe(true);
      const [shipment] = view.shipments;
      expect(shipment).toMatchObject({
        status: 'DELIVERED',
        courierStatus: 'DELIVERED',
        courierName: '사가택배',
        trackingNumber,
      });
      // Each courier event once, in order, however often the poller asked.
      expect(shipment.history.map((e: { status: string }) => e.status)).toEqual([
        'ACCEPTED',
        'PICKED_UP',
        'IN_TRANSIT',
        'AT_DESTINATION',
        'OUT_FOR_DELIVERY',
        'DELIVERED',
      ]);
      expect(await h.eventsOf('shipment.delivered', order.orderId)).toHaveLength(1);
      expect(await h.eventsOf('shipment.in-transit', order.orderId)).toHaveLength(1);
      // Someone else's order is not there for them.
      expect(
        (await h.api.get(`/api/shipping/orders/${order.orderNumber}`, h.owner(h.paidOrder()))).status,
      ).toBe(404);
    });

    it('lets the admin list shipments and issue waybills in bulk when autoDispatch is off', async () => {
      const manual = await startHarness({ shipping: { shipping: { autoDispatch: false } } });
      try {
        const a = manual.paidOrder();
        const b = manual.paidOrder();
        await manual.publishPaid(a);
        await manual.publishPaid(b);
        const ids = await eventually(async () => {
          const page = await manual.api.get(
            '/api/admin/shipping?status=READY&courierStatus=NOT_SENT',
            manual.admin,
          );
          // The count and the rows are read apart: wait until both show the two shipments.
          return page.body.totalElements === 2 && page.body.content.length === 2
            ? page.body.content.map((s: { id: string }) => s.id)
            : undefined;
        });
        expect((await manual.api.get('/api/admin/shipping', manual.owner(a))).status).toBe(403);
        const missing = '00000000-0000-4000-8000-000000000000';
        const issued = await manual.api.post(
          '/api/admin/shipping/waybills',
          { shipmentIds: [...ids, missing] },
          manual.admin,
        );
        expect(issued.status).toBe(200);
        expect(issued.body.summary).toEqual({ total: 3, issued: 2, failed: 1 });
        expect(issued.body.results[2]).toMatchObject({ shipmentId: missing, error: { code: 'NOT_FOUND' } });
        // Issuing again changes nothing: one waybill, one event per shipment.
        const again = await manual.api.post(
          '/api/admin/shipping/waybills',
          { shipmentIds: ids },
          manual.admin,
        );
        expect(again.body.results.map((r: { error: { code: string } }) => r.error.code)).toEqual([
          'NOT_READY',
          'NOT_READY',
        ]);
        await manual.awaitEvent('shipment.dispatched', a.orderId);
        await manual.awaitEvent('shipment.dispatched', b.orderId);
        expect(await manual.eventsOf('shipment.dispatched', a.orderId)).toHaveLength(1);
      } finally {
        await manual.stop();
      }
    }, 90_000);
  });

  describe('cancellation before pickup', () => {
    const cancel = (orderId: string) =>
      h.api.post(`/internal/shipments/orders/${orderId}/cancel`, undefined, h.internal);

    it('cancels the waybill at the courier first, and answers 409 picked-up once the courier has the parcel', async () => {
      const order = h.paidOrder();
      await h.publishPaid(order);
      const trackingNumber = await h.waybillOf(order);
      expect((await cancel(order.orderId)).body).toEqual({ cancelled: true });
      await h.awaitEvent('shipment.cancelled', order.orderId);
      const info = await h.api.post(`/internal/none`, undefined, h.internal);
      expect(info.status).toBe(404);
      const courierSays = await fetch(`${h.courier.url}/api/v1/test/waybills/${trackingNumber}/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'PICKED_UP' }),
      });
      expect(courierSays.status).toBe(409); // cancelled at the courier: it never moves again
      expect((await cancel(order.orderId)).status).toBe(200);

      const late = h.paidOrder();
      await h.publishPaid(late);
      const lateWaybill = await h.waybillOf(late);
      await h.advance(lateWaybill, 'PICKED_UP');
      const refused = await cancel(late.orderId);
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('urn:sagamart:problem:picked-up');
      expect(refused.body.detail).toContain('반품');
    });

    it('never leaves a parcel to send when the cancel and order.paid arrive at the same moment', async () => {
      const orders = Array.from({ length: 24 }, () => h.paidOrder());
      const handled = await eventsHandled(h.shipping, 'order.paid');
      const answers = await Promise.all(
        orders.map(async (order) => (await Promise.all([cancel(order.orderId), h.publishPaid(order)]))[0]),
      );
      expect(answers.map((a) => a.status)).toEqual(orders.map(() => 200));
      await eventually(
        async () => (await eventsHandled(h.shipping, 'order.paid')) >= handled + orders.length,
      );
      for (const order of orders) {
        const view = await h.shippingOf(order);
        if (view.status === 404) continue;
        expect(view.body.shipments.map((s: { status: string }) => s.status)).toEqual(['CANCELLED']);
      }
    });

    it('remembers a cancel that comes before order.paid: the shipment is made cancelled, never sent, and announced', async () => {
      const order = h.paidOrder();
      expect((await cancel(order.orderId)).status).toBe(200);
      await h.publishPaid(order);
      // Announced, so that a cancel which never heard its answer is finished by order-service.
      const announced = await h.awaitEvent('shipment.cancelled', order.orderId);
      expect(announced.payload).toMatchObject({ orderId: order.orderId, orderNumber: order.orderNumber });
      const other = h.paidOrder();
      await h.publishPaid(other);
      await h.waybillOf(other); // order.paid of both handled in turn
      const view = await h.shippingOf(order);
      expect(view.status).toBe(200);
      expect(view.body.shipments).toMatchObject([{ status: 'CANCELLED', trackingNumber: null }]);
      expect(await h.eventsOf('shipment.dispatched', order.orderId)).toHaveLength(0);
    });
  });

  describe('returns', () => {
    it('refunds exactly what the lines paid, less the change-of-mind fee, when the pickup arrives', async () => {
      const { order } = await h.delivered();
      const [tee, jeans] = order.items;
      const asked = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        {
          items: [{ orderItemId: tee!.orderItemId, quantity: 1 }],
          reason: 'CHANGE_OF_MIND',
          detail: '사이즈가 커요',
        },
        h.owner(order),
      );
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({
        type: 'RETURN',
        status: 'REQUESTED',
        feeAmount: 3_000,
        refundAmount: 8_727 - 3_000,
      });
      const requested = await h.awaitEvent('return.requested', order.orderId);
      expect(requested.payload).toMatchObject({
        claimId: asked.body.id,
        reason: 'CHANGE_OF_MIND',
        items: [{ skuId: tee!.skuId, quantity: 1 }],
      });

      // One open claim at a time.
      const second = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [{ orderItemId: jeans!.orderItemId, quantity: 1 }], reason: 'DEFECTIVE' },
        h.owner(order),
      );
      expect(second.status).toBe(409);
      // And only the owner's order.
      expect(
        (
          await h.api.post(
            `/api/orders/${order.orderId}/returns`,
            { items: [{ orderItemId: jeans!.orderItemId, quantity: 1 }], reason: 'DEFECTIVE' },
            h.owner(h.paidOrder()),
          )
        ).status,
      ).toBe(404);

      const approved = await h.api.post(
        `/api/admin/shipping/returns/${asked.body.id}/approve`,
        undefined,
        h.admin,
      );
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'APPROVED',
        pickupTrackingNumber: expect.stringMatching(/^[0-9]{12}$/),
      });
      const approvedEvent = await h.awaitEvent('return.approved', order.orderId);
      expect(approvedEvent.payload.pickupTrackingNumber).toBe(approved.body.pickupTrackingNumber);
      // Approving twice changes nothing.
      expect(
        (await h.api.post(`/api/admin/shipping/returns/${asked.body.id}/approve`, undefined, h.admin)).status,
      ).toBe(200);
      // A return is not an exchange.
      expect(
        (await h.api.post(`/api/admin/shipping/exchanges/${asked.body.id}/approve`, undefined, h.admin))
          .status,
      ).toBe(404);

      await h.advance(approved.body.pickupTrackingNumber, 'PICKED_UP');
      await h.awaitEvent('return.collecting', order.orderId);
      await h.advance(approved.body.pickupTrackingNumber, 'DELIVERED');
      const completed = await h.awaitEvent('return.completed', order.orderId);
      expect(completed.payload).toMatchObject({
        claimId: asked.body.id,
        // product-service puts a change-of-mind unit back on sale, a defective one on hold.
        reason: 'CHANGE_OF_MIND',
        items: [
          {
            orderItemId: tee!.orderItemId,
            skuId: tee!.skuId,
            quantity: 1,
            refundAmount: 8_727,
            pointsRefund: 363,
          },
        ],
        refundAmount: 5_727,
        pointsRefund: 363,
        feeAmount: 3_000,
        restoreCoupon: false,
        couponId: 7,
        wholeOrder: false,
      });
      const claims = (await h.api.get(`/api/orders/${order.orderNumber}/claims`, h.owner(order))).body;
      expect(claims.claims[0]).toMatchObject({
        status: 'COMPLETED',
        refundAmount: 5_727,
        completedAt: expect.any(String),
      });

      // The rest of the order, free of charge: the whole order is back, to the last won.
      const rest = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        {
          items: [
            { orderItemId: tee!.orderItemId, quantity: 2 },
            { orderItemId: jeans!.orderItemId, quantity: 1 },
          ],
          reason: 'DEFECTIVE',
        },
        h.owner(order),
      );
      expect(rest.status).toBe(201);
      const restApproved = await h.api.post(
        `/api/admin/shipping/returns/${rest.body.id}/approve`,
        undefined,
        h.admin,
      );
      await h.advance(restApproved.body.pickupTrackingNumber, 'DELIVERED');
      const whole = await h.awaitEvent('return.completed', order.orderId, 2);
      expect(whole.payload).toMatchObject({
        reason: 'DEFECTIVE',
        feeAmount: 0,
        wholeOrder: true,
        restoreCoupon: true,
      });
      expect(completed.payload.refundAmount + completed.payload.feeAmount + whole.payload.refundAmount).toBe(
        order.payableAmount,
      );
      expect(completed.payload.pointsRefund + whole.payload.pointsRefund).toBe(order.pointsUsed);
      expect(await h.eventsOf('return.completed', order.orderId)).toHaveLength(2);

      // Nothing was kept: there is nothing to confirm, and no points to earn for it.
      const view = (await h.shippingOf(order)).body;
      expect(view).toMatchObject({ confirmable: false, claimableUntil: null });
      const confirm = await h.api.post(`/api/orders/${order.orderId}/confirm`, undefined, h.owner(order));
      expect(confirm.status).toBe(409);
      expect(confirm.body.type).toBe('urn:sagamart:problem:order-returned');
      expect(await h.eventsOf('purchase.confirmed', order.orderId)).toHaveLength(0);
    });

    it('rejects with a reason the shopper sees, and refuses claims outside the rules', async () => {
      const { order } = await h.delivered();
      const [tee] = order.items;
      const asked = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [{ orderItemId: tee!.orderItemId, quantity: 1 }], reason: 'DEFECTIVE' },
        h.owner(order),
      );
      expect(asked.body.feeAmount).toBe(0);
      const rejected = await h.api.post(
        `/api/admin/shipping/returns/${asked.body.id}/reject`,
        { reason: '사용 흔적이 있습니다' },
        h.admin,
      );
      expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectReason: '사용 흔적이 있습니다' });
      const event = await h.awaitEvent('return.rejected', order.orderId);
      expect(event.payload).toMatchObject({ claimId: asked.body.id, rejectReason: '사용 흔적이 있습니다' });
      const late = await h.api.post(
        `/api/admin/shipping/returns/${asked.body.id}/approve`,
        undefined,
        h.admin,
      );
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({
        status: 409,
        detail: '이미 처리된 신청입니다 (거절).',
        claimStatus: 'REJECTED',
      });

      const tooMany = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [{ orderItemId: tee!.orderItemId, quantity: 4 }], reason: 'DEFECTIVE' },
        h.owner(order),
      );
      expect(tooMany.status).toBe(422);
      const bad = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [], reason: 'BORED' },
        h.owner(order),
      );
      expect(bad.status).toBe(400);

      const undelivered = h.paidOrder();
      await h.publishPaid(undelivered);
      await h.waybillOf(undelivered);
      const early = await h.api.post(
        `/api/orders/${undelivered.orderId}/returns`,
        { items: [{ orderItemId: undelivered.items[0]!.orderItemId, quantity: 1 }], reason: 'DEFECTIVE' },
        h.owner(undelivered),
      );
      expect(early.status).toBe(409);
    });
  });

  describe('exchanges', () => {
    it('reserves the new option, collects the old one and ships the new one to EXCHANGED', async () => {
      h.skus.set(102, { productId: 10, price: 10_000 });
      h.skus.set(109, { productId: 10, price: 10_000 });
      h.skus.set(103, { productId: 10, price: 12_000 });
      const { order } = await h.delivered();
      const [tee] = order.items;
      const pricier = await h.api.post(
        `/api/orders/${order.orderId}/exchanges`,
        { items: [{ orderItemId: tee!.orderItemId, quantity: 1, newSkuId: 103 }], reason: 'CHANGE_OF_MIND' },
        h.owner(order),
      );
      expect(pricier.status).toBe(422);

      // Out of stock: approval is refused with a clear message, and the claim waits.
      const scarce = await h.api.post(
        `/api/orders/${order.orderId}/exchanges`,
        { items: [{ orderItemId: tee!.orderItemId, quantity: 1, newSkuId: 109 }], reason: 'WRONG_ITEM' },
        h.owner(order),
      );
      expect(scarce.status).toBe(201);
      const refused = await h.api.post(
        `/api/admin/shipping/exchanges/${scarce.body.id}/approve`,
        undefined,
        h.admin,
      );
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('재고');
      await h.api.post(
        `/api/admin/shipping/exchanges/${scarce.body.id}/reject`,
        { reason: '재고가 없습니다' },
        h.admin,
      );
      await h.awaitEvent('exchange.rejected', order.orderId);

      const asked = await h.api.post(
        `/api/orders/${order.orderId}/exchanges`,
        { items: [{ orderItemId: tee!.orderItemId, quantity: 2, newSkuId: 102 }], reason: 'CHANGE_OF_MIND' },
        h.owner(order),
      );
      expect(asked.body).toMatchObject({
        type: 'EXCHANGE',
        status: 'REQUESTED',
        feeAmount: 0,
        refundAmount: 0,
      });
      await h.awaitEvent('exchange.requested', order.orderId);
      const approved = await h.api.post(
        `/api/admin/shipping/exchanges/${asked.body.id}/approve`,
        undefined,
        h.admin,
      );
      expect(approved.body.status).toBe('APPROVED');
      expect(await h.reservations()).toContainEqual(
        expect.objectContaining({ claim_id: asked.body.id, state: 'RESERVED' }),
      );

      await h.advance(approved.body.pickupTrackingNumber, 'DELIVERED');
      const collected = await h.awaitEvent('exchange.collected', order.orderId);
      expect(collected.payload.reason).toBe('CHANGE_OF_MIND');
      expect(collected.payload.items).toEqual([
        { orderItemId: tee!.orderItemId, skuId: 101, newSkuId: 102, quantity: 2 },
      ]);
      const reship = await h.awaitEvent('shipment.dispatched', order.orderId, 2);
      expect(reship.payload).toMatchObject({ kind: 'EXCHANGE', claimId: asked.body.id });
      expect(await h.reservations()).toContainEqual(
        expect.objectContaining({ claim_id: asked.body.id, state: 'SOLD' }),
      );

      await h.advance(reship.payload.trackingNumber, 'DELIVERED');
      const done = await h.awaitEvent('exchange.completed', order.orderId);
      expect(done.payload).toMatchObject({
        claimId: asked.body.id,
        trackingNumber: reship.payload.trackingNumber,
      });
      const view = (await h.shippingOf(order)).body;
      expect(view.shipments.map((s: { kind: string; status: string }) => [s.kind, s.status])).toEqual([
        ['ORIGINAL', 'DELIVERED'],
        ['EXCHANGE', 'DELIVERED'],
      ]);
      const claims = (await h.api.get(`/api/orders/${order.orderId}/claims`, h.owner(order))).body.claims;
      expect(claims.map((c: { status: string }) => c.status)).toEqual(['EXCHANGED', 'REJECTED']);
      // The exchanged units cannot be claimed again; the third unit can.
      const again = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [{ orderItemId: tee!.orderItemId, quantity: 2 }], reason: 'DEFECTIVE' },
        h.owner(order),
      );
      expect(again.status).toBe(422);
    });
  });

  describe('purchase confirmation', () => {
    it('confirms once, closes returns, and awards 1 % of what the PG kept', async () => {
      const { order } = await h.delivered();
      const confirmed = await h.api.post(`/api/orders/${order.orderId}/confirm`, undefined, h.owner(order));
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ auto: false, amountPaid: 48_000, pointsAwarded: 480 });
      const again = await h.api.post(`/api/orders/${order.orderId}/confirm`, undefined, h.owner(order));
      expect(again.body.confirmedAt).toBe(confirmed.body.confirmedAt);
      const event = await h.awaitEvent('purchase.confirmed', order.orderId);
      expect(event.payload).toMatchObject({
        orderNumber: order.orderNumber,
        amountPaid: 48_000,
        pointsAwarded: 480,
        auto: false,
      });
      const closed = await h.api.post(
        `/api/orders/${order.orderId}/returns`,
        { items: [{ orderItemId: order.items[0]!.orderItemId, quantity: 1 }], reason: 'DEFECTIVE' },
        h.owner(order),
      );
      expect(closed.status).toBe(409);
      expect(closed.body.type).toBe('urn:sagamart:problem:purchase-confirmed');
      expect(await h.eventsOf('purchase.confirmed', order.orderId)).toHaveLength(1);
    });

    it('confirms by itself autoConfirmDays after delivery, exactly once', async () => {
      const auto = await startHarness({ shipping: { shipping: { autoConfirmDays: 0.00001 } } });
      try {
        const { order } = await auto.delivered();
        const event = await auto.awaitEvent('purchase.confirmed', order.orderId);
        expect(event.payload).toMatchObject({ auto: true, amountPaid: 48_000, pointsAwarded: 480 });
        const view = (await auto.shippingOf(order)).body;
        expect(view).toMatchObject({ autoConfirmed: true, confirmable: false, claimableUntil: null });
        // Later ticks find nothing more to confirm.
        const ticks = await auto.shipping.context.db.selectFrom('orders').select('confirmed_at').execute();
        expect(ticks).toHaveLength(1);
        expect(await auto.eventsOf('purchase.confirmed', order.orderId)).toHaveLength(1);
      } finally {
        await auto.stop();
      }
    }, 90_000);
  });
});
