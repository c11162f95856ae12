import { randomUUID } from 'node:crypto';
import {
  type EventContract,
  PaymentApproved,
  type PaymentApprovedPayload,
  PaymentFailed,
  type PaymentFailedPayload,
} from '@sagamart/contracts';
import { defineService, type OutgoingMessage, type Service } from '@sagamart/kit';
import { eventually, scrapeMetrics, startTestService } from '@sagamart/testkit';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// payment.* events as order-service receives them: repeated, late, or not matching the order.
// A probe publishes them on the shop's bus the way payment-service would (payment-service itself is
// left out of these payments, so the payment invariant is not checked here).

const probe = defineService({
  name: 'payment-probe',
  port: 0,
  migrations: {},
  routes(app, ctx) {
    app.post(
      '/publish',
      {
        schema: {
          body: Type.Object({
            event: Type.String(),
            payload: Type.Unknown(),
            copies: Type.Integer({ default: 1 }),
          }),
        },
      },
      async (req, reply) => {
        const contract = (
          { [PaymentApproved.name]: PaymentApproved, [PaymentFailed.name]: PaymentFailed } as Record<
            string,
            EventContract
          >
        )[req.body.event]!;
        await ctx.transaction(async (trx) => {
          for (let i = 0; i < req.body.copies; i++)
            await ctx.publish(trx, contract, req.body.payload as never);
        });
        return reply.status(202).send({});
      },
    );
  },
});

describe('payment events', () => {
  let shop: Shop;
  let publisher: Service<unknown>;
  const productIds: number[] = [];
  const userIds: string[] = [];
  beforeAll(async () => {
    shop = await startShop();
    const bus = (shop.service('order-service').context.config.get('bus') as { database: string }).database;
    publisher = await startTestService(probe, { config: { bus: { database: bus, pollMs: 100 } } });
  }, 120_000);
  afterAll(async () => {
    await publisher?.stop();
    await shop?.close();
  });

  const events = (order: Json) => (order.timeline as Array<{ event: string }>).map((t) => t.event);
  const sagaLog = async (orderId: string) =>
    ((await shop.adminOrder(orderId)).body.saga.log as Json[]).map(
      (l) => `${l.action}:${l.step}:${l.outcome}`,
    );

  async function placed(points = 1_000) {
    const p = await shop.product([10]);
    productIds.push(p.productId);
    const user = await shop.shopper(points);
    userIds.push(user.userId);
    const couponId = await shop.coupon(user);
    const res = await shop.place(user, {
      items: [{ skuId: p.skuIds[0], quantity: 2 }],
      delivery: DELIVERY,
      couponId,
      pointsToUse: points,
    });
    expect(res.body.status).toBe('PAYMENT_PENDING');
    return { ...p, user, couponId, order: res.body };
  }

  function approved(order: Json, overrides: Partial<PaymentApprovedPayload> = {}): PaymentApprovedPayload {
    return {
      paymentId: randomUUID(),
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      userId: order.userId,
      paymentKey: `pk_${randomUUID()}`,
      version: 2,
      amount: order.payableAmount,
      method: 'CARD',
      approvedAt: new Date().toISOString(),
      ...overrides,
    };
  }
  function failed(order: Json): PaymentFailedPayload {
    return {
      paymentId: randomUUID(),
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      userId: order.userId,
      paymentKey: `pk_${randomUUID()}`,
      version: 2,
      amount: order.payableAmount,
      code: 'DECLINED',
      message: '카드사에서 승인을 거절했습니다',
      failedAt: new Date().toISOString(),
    };
  }
  const publish = (event: string, payload: unknown, copies = 1) =>
    fetch(`${publisher.url}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event, payload, copies }),
    });
  /** Messages of this event order-service handled (not counting repeats its inbox dropped). */
  async function handled(event: string): Promise<number> {
    const text = await scrapeMetrics(shop.urls().order);
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('events_consumed_total{') &&
          l.includes(`event="${event}"`) &&
          l.includes('result="ok"'),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }
  /** The very same message (one id) delivered several times, as a redelivering broker would. */
  async function redeliver(event: EventContract, payload: unknown, times: number) {
    const id = randomUUID();
    const message: OutgoingMessage = {
      id,
      topic: event.name,
      headers: { 'x-message-id': id, 'x-event': event.name, 'x-event-version': String(event.version) },
      payload,
    };
    for (let i = 0; i < times; i++) await publisher.context.transport!.publish([message]);
  }

  it('commits once however often payment.approved is delivered', async () => {
    const { productId, skuIds, user, couponId, order } = await placed();
    const payload = approved({ ...order, userId: user.userId });
    const before = await handled(PaymentApproved.name);
    await redeliver(PaymentApproved, payload, 3);
    await publish(PaymentApproved.name, payload, 2);
    const paid = await eventually(async () => {
      const o = (await shop.order(user, order.orderId)).body;
      return o.status === 'PAID' ? o : undefined;
    });
    // All three distinct messages (one delivered three times, two copies) were handled before counting.
    await eventually(async () => (await handled(PaymentApproved.name)) >= before + 3);
    const final = (await shop.order(user, order.orderId)).body;
    expect(events(final).filter((e) => e === 'PAYMENT_APPROVED')).toHaveLength(1);
    expect(events(final).filter((e) => e === 'PAID')).toHaveLength(1);
    expect(paid.payments).toHaveLength(1);
    expect((await sagaLog(order.orderId)).filter((l) => l.startsWith('commit'))).toEqual([
      'commit:stock:DONE',
      'commit:coupon:DONE',
      'commit:points:DONE',
    ]);
    expect((await shop.movements(productId, order.orderId)).map((m) => m.type).sort()).toEqual([
      'RESERVE',
      'SELL',
    ]);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 8, reserved: 0, sold: 2 });
    expect((await shop.myCoupon(user, couponId)).status).toBe('USED');
    await expectInvariants(shop.urls(), { productIds, userIds, skipPayments: true });
  });

  it('never revives a cancelled order when payment.approved arrives late', async () => {
    const { productId, skuIds, user, couponId, order } = await placed();
    const cancelled = await shop
      .api('order-service')
      .post(`/api/orders/${order.orderId}/cancel`, {}, user.headers);
    expect(cancelled.body.status).toBe('CANCELLED');
    await publish(PaymentApproved.name, approved({ ...order, userId: user.userId }));
    const seen = await eventually(async () => {
      const o = (await shop.order(user, order.orderId)).body;
      return events(o).includes('PAYMENT_APPROVED') ? o : undefined;
    });
    expect(seen).toMatchObject({ status: 'CANCELLED', cancelReason: 'USER_CANCELLED' });
    expect(seen.payments).toMatchObject([{ status: 'APPROVED' }]);
    expect((await sagaLog(order.orderId)).some((l) => l.startsWith('commit'))).toBe(false);
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 10, reserved: 0, sold: 0 });
    expect((await shop.myCoupon(user, couponId)).status).toBe('ISSUED');
    await expectInvariants(shop.urls(), { productIds, userIds, skipPayments: true });
  });

  it('cancels an approval whose amount is not the payable amount, and compensates once for repeated failures', async () => {
    const first = await placed();
    await publish(
      PaymentApproved.name,
      approved({ ...first.order, userId: first.user.userId }, { amount: first.order.payableAmount - 1 }),
    );
    const mismatch = await eventually(async () => {
      const o = (await shop.order(first.user, first.order.orderId)).body;
      return o.status === 'CANCELLED' ? o : undefined;
    });
    expect(mismatch.cancelReason).toBe('PAYMENT_FAILED');

    const second = await placed();
    const payload = failed({ ...second.order, userId: second.user.userId });
    await redeliver(PaymentFailed, payload, 2);
    await publish(PaymentFailed.name, payload, 2);
    const cancelled = await eventually(async () => {
      const o = (await shop.order(second.user, second.order.orderId)).body;
      return events(o).includes('RESERVATIONS_RELEASED') ? o : undefined;
    });
    expect(cancelled.cancelReason).toBe('PAYMENT_FAILED');
    expect(events(cancelled).filter((e) => e === 'CANCELLED')).toHaveLength(1);
    expect((await sagaLog(second.order.orderId)).filter((l) => l.startsWith('compensate'))).toEqual([
      'compensate:points:DONE',
      'compensate:coupon:DONE',
      'compensate:stock:DONE',
    ]);
    expect((await shop.points(second.user)).balance).toBe(1_000);
    await expectInvariants(shop.urls(), { productIds, userIds, skipPayments: true });
  });

  it('keeps a PAID order PAID when a failed payment is reported for it afterwards', async () => {
    const { user, order } = await placed(0);
    await publish(PaymentApproved.name, approved({ ...order, userId: user.userId }));
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'PAID');
    await publish(PaymentFailed.name, failed({ ...order, userId: user.userId }));
    const after = await eventually(async () => {
      const o = (await shop.order(user, order.orderId)).body;
      return events(o).includes('PAYMENT_FAILED') ? o : undefined;
    });
    expect(after.status).toBe('PAID');
  });
});
