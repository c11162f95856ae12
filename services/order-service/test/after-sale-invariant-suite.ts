import { randomUUID } from 'node:crypto';
import { OrderPaid, SHIPPING_EVENTS, topology } from '@sagamart/contracts';
import { type ConfigTree, HEADER } from '@sagamart/kit';
import { eventsHandled, eventually, type SeenEvent } from '@sagamart/testkit';
import { seededRandom } from '@sagamart/testkit/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants } from './support/invariants.ts';
import { DELIVERY, type Json, type Reply, type Shop, type ShopService, startShop } from './support/shop.ts';

const REASONS = ['CHANGE_OF_MIND', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED_IN_TRANSIT'] as const;
const FINAL = ['COMPLETED', 'EXCHANGED', 'REJECTED'];
const ORDERS = 24;
/** Per order, after delivery: what its shopper does (drawn from a fixed seed, so a failure replays). */
type Step = 'return' | 'exchange' | 'confirm';

/**
 * The after-sale invariants (issue 10) on one transport: a few dozen paid orders are shipped by the
 * real shipping-service and mock courier (waybills issued by themselves, the courier moving each on
 * its own clock), then returned in part or whole for every reason, exchanged (some for an option out
 * of stock), rejected and confirmed, while shipping-service, the courier and order-service restart and
 * every shipping event (and order.paid) is delivered again. Then, once the courier has finished:
 * stock balances with returns and exchanges as ledger moves, each order's PG balance is its kept
 * lines plus fees with no refund paid twice, every claim is final, and points were earned once per
 * confirmed order (support/invariants.ts checks all of it through the services' APIs).
 */
export function afterSaleInvariantSuite(label: string, transport: () => ConfigTree) {
  describe(`after-sale invariants on ${label}`, () => {
    let shop: Shop;
    beforeAll(async () => {
      shop = await startShop({ transport: transport(), afterSale: true, orders: { placeWaitMs: 10_000 } });
    }, 120_000);
    afterAll(async () => {
      await shop?.close();
    });

    /** Calls until a service answers below 500 (it may be restarting, or its courier may be). */
    const answered = (call: () => Promise<Reply>, timeoutMs = 60_000) =>
      eventually(
        async () => {
          const reply = await call().catch(() => undefined);
          return reply && reply.status < 500 ? reply : undefined;
        },
        timeoutMs,
        100,
      );

    it('holds after returns, exchanges, rejections and confirmations with restarts and duplicate events', async () => {
      const random = seededRandom(20261204);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const recorder = await shop.recorder([...SHIPPING_EVENTS, OrderPaid.name]);
      // Three options of one price each; product B's second option is nearly sold out, so some
      // exchanges into it are refused at approval (and then rejected).
      const a = await shop.product([60, 60, 60], 9_900);
      const b = await shop.product([60, 2], 14_500);
      const exchangeTo = new Map([
        [a.skuIds[0]!, a.skuIds[2]!],
        [a.skuIds[1]!, a.skuIds[2]!],
        [b.skuIds[0]!, b.skuIds[1]!],
      ]);
      const shoppers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => shop.shopper(i % 2 === 0 ? 20_000 : 0)),
      );
      const coupons = await Promise.all(shoppers.map((s) => shop.coupon(s, { discountValue: 1_500 })));
      const plans = Array.from({ length: ORDERS }, (_, i) => {
        const shopper = shoppers[i % shoppers.length]!;
        const steps: Step[] = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
          pick<Step>(['return', 'return', 'exchange', 'confirm']),
        );
        return {
          shopper,
          couponId: i < shoppers.length ? coupons[i] : undefined,
          points: i % 2 === 0 && i < 16 ? 500 + Math.floor(random() * 2_000) : 0,
          items: [
            { skuId: pick([a.skuIds[0]!, a.skuIds[1]!]), quantity: 1 + Math.floor(random() * 3) },
            ...(random() < 0.7 ? [{ skuId: b.skuIds[0]!, quantity: 1 + Math.floor(random() * 3) }] : []),
          ],
          steps: steps.includes('confirm') ? steps.slice(0, steps.indexOf('confirm') + 1) : steps,
          // Every third order's first return takes everything left (a whole return when nothing went before).
          whole: i % 3 === 0,
          draws: Array.from({ length: 16 }, () => random()),
        };
      });
      const progress = { delivered: 0, decided: 0, final: 0 };
      const cancelled: string[] = [];

      async function runOrder(plan: (typeof plans)[number]) {
        const draws = [...plan.draws];
        const draw = () => draws.shift() ?? 0.5;
        const user = plan.shopper;
        const key = randomUUID();
        const placed = await answered(() =>
          shop.place(
            user,
            {
              items: plan.items,
              delivery: DELIVERY,
              ...(plan.couponId ? { couponId: plan.couponId } : {}),
              pointsToUse: plan.points,
            },
            key,
          ),
        );
        expect(placed.status, JSON.stringify(placed.body)).toBeLessThan(300);
        const { orderId, orderNumber } = placed.body;
        const placedAs = await eventually(
          async () => {
            const status = (await shop.order(user, orderId).catch(() => undefined))?.body.status;
            return status && status !== 'PENDING' ? (status as string) : undefined;
          },
          60_000,
          100,
        );
        // A saga that gave up (a participant too slow on a loaded machine) compensated: the
        // invariants check that order as cancelled; it has no after-sale.
        if (placedAs === 'CANCELLED') {
          cancelled.push(orderNumber);
          return;
        }
        expect(placedAs).toBe('PAYMENT_PENDING');
        // Approved, or PENDING when the loaded PG answers late (payment-service reconciles it).
        const paid = await answered(() => shop.pay(orderNumber, 'approve'));
        expect(paid.body.status, JSON.stringify(paid.body)).toMatch(/^(APPROVED|PENDING)$/);
        // Delivered when shipping-service saw the courier deliver (order-service's copy follows).
        const shipping = () => shop.api('shipping-service');
        await eventually(
          async () =>
            (await shipping().get(`/api/shipping/orders/${orderId}`, user.headers)).body?.deliveredAt,
          60_000,
          100,
        );
        progress.delivered++;
        const order = (await answered(() => shop.order(user, orderId))).body;
        const left = new Map<number, number>(order.items.map((i: Json) => [i.id, i.quantity]));
        const returned = new Map<number, number>();

        for (const step of plan.steps) {
          if (step === 'confirm') {
            const confirmed = await answered(() =>
              shipping().post(`/api/orders/${orderId}/confirm`, {}, user.headers),
            );
            // Every unit came back: nothing kept, nothing to confirm (and no points for it).
            const nothingKept = order.items.every((i: Json) => returned.get(i.id) === i.quantity);
            if (nothingKept)
              expect(confirmed.body.type, JSON.stringify(confirmed.body)).toBe(
                'urn:sagamart:problem:order-returned',
              );
            else expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
            continue;
          }
          const lines = order.items.filter(
            (i: Json) => left.get(i.id)! > 0 && (step === 'return' || exchangeTo.has(i.skuId)),
          );
          if (lines.length === 0) continue;
          const whole = plan.whole && step === 'return';
          const chosen = whole || draw() < 0.5 ? lines : [lines[Math.floor(draw() * lines.length)]];
          const items = chosen.map((i: Json) => ({
            orderItemId: i.id,
            quantity: whole ? left.get(i.id)! : 1 + Math.floor(draw() * left.get(i.id)!),
            ...(step === 'exchange' ? { newSkuId: exchangeTo.get(i.skuId) } : {}),
          }));
          const kind = step === 'return' ? 'returns' : 'exchanges';
          const reason = REASONS[Math.floor(draw() * REASONS.length)];
          const claimsOf = async (): Promise<Json[]> =>
            (await answered(() => shipping().get(`/api/orders/${orderId}/claims`, user.headers))).body.claims;
          const requested = await answered(() =>
            shipping().post(
              `/api/orders/${orderId}/${kind}`,
              { items, reason, detail: '테스트' },
              user.headers,
            ),
          );
          // A 409 here is the same request answered before a restart cut the reply off: its claim is open.
          const claimId: string =
            requested.status === 409
              ? (await claimsOf()).find((c) => !FINAL.includes(c.status))?.id
              : requested.body.id;
          expect(claimId, JSON.stringify(requested.body)).toBeDefined();
          const decide = (verdict: 'approve' | 'reject', why: string) =>
            answered(() =>
              shipping().post(
                `/api/admin/shipping/${kind}/${claimId}/${verdict}`,
                verdict === 'reject' ? { reason: why } : {},
              ),
            );
          let decided = await decide(draw() < 0.75 ? 'approve' : 'reject', '사진으로 확인할 수 없습니다');
          // Refused (out of stock for the new option): the admin rejects instead, with the reason.
          if (
            decided.status === 409 &&
            (await claimsOf()).find((c) => c.id === claimId)?.status === 'REQUESTED'
          )
            decided = await decide('reject', '교환할 옵션의 재고가 없습니다');
          expect(
            decided.status === 200 || decided.body.type === 'urn:sagamart:problem:claim-decided',
            JSON.stringify(decided.body),
          ).toBe(true);
          progress.decided++;
          const claim = await eventually(
            async () => (await claimsOf()).find((c) => c.id === claimId && FINAL.includes(c.status)),
            60_000,
            100,
          );
          progress.final++;
          if (claim.status !== 'REJECTED')
            for (const item of items) {
              left.set(item.orderItemId, left.get(item.orderItemId)! - item.quantity);
              if (step === 'return')
                returned.set(item.orderItemId, (returned.get(item.orderItemId) ?? 0) + item.quantity);
            }
        }
      }

      const republish = async (events: SeenEvent[]) => {
        const bus = shop.service('order-service').context.transport!;
        for (const event of events) {
          const id = randomUUID();
          const message = (messageId: string) => ({
            id: messageId,
            topic: event.topic,
            headers: { [HEADER.messageId]: messageId, [HEADER.event]: event.topic },
            payload: event.payload,
          });
          // A broker redelivery (the same message id) and a producer's re-send (a new one).
          await bus.publish([message(id), message(id), message(randomUUID())]);
        }
      };

      // Faults while the orders run: each named process restarts at a point the run surely reaches.
      const faults = (async () => {
        const reach = (what: keyof typeof progress, count: number) =>
          eventually(() => progress[what] >= count, 120_000, 50);
        await reach('delivered', 4);
        await shop.restart('shipping-service');
        await reach('decided', 3);
        await shop.restart('mock-courier');
        await reach('decided', 6);
        // Everything so far delivered again, with order-service restarting under it.
        await republish(await recorder.events());
        await shop.restart('order-service');
        await reach('final', 8);
        await Promise.all([shop.restart('shipping-service'), shop.restart('mock-courier')]);
      })();
      await Promise.all([...plans.map(runOrder), faults]);
      expect(cancelled.length, `cancelled by the saga: ${cancelled}`).toBeLessThan(ORDERS / 4);

      const scope = { productIds: [a.productId, b.productId], userIds: shoppers.map((s) => s.userId) };
      await expectInvariants(shop.urls(), scope, 60_000);

      // Every event delivered again, three times over: each consumer handles every copy, and nothing changes.
      const events = await recorder.events();
      const consumers = (
        [
          'order-service',
          'payment-service',
          'product-service',
          'user-service',
          'promotion-service',
          'shipping-service',
        ] as ShopService[]
      ).map((name) => ({
        url: shop.service(name).url,
        topics: [...new Set(events.map((e) => e.topic))].filter((t) => topology[name]?.includes(t)),
      }));
      const before = await Promise.all(
        consumers.map(({ url, topics }) => Promise.all(topics.map((t) => eventsHandled(url, t)))),
      );
      await republish(events);
      for (const [i, { url, topics }] of consumers.entries()) {
        for (const [j, topic] of topics.entries()) {
          const copies = 3 * events.filter((e) => e.topic === topic).length;
          await eventually(
            async () => (await eventsHandled(url, topic)) >= before[i]![j]! + copies,
            60_000,
            100,
          );
        }
      }
      await expectInvariants(shop.urls(), scope, 10_000);

      // The mix happened: every claim decided ended final, some of each kind and outcome.
      const claims: Json[] = (
        await shop.api('shipping-service').get('/api/admin/shipping/returns?size=100')
      ).body.content.concat(
        (await shop.api('shipping-service').get('/api/admin/shipping/exchanges?size=100')).body.content,
      );
      expect(claims).toHaveLength(progress.decided);
      expect(claims.every((c) => FINAL.includes(c.status))).toBe(true);
      const outcomes = new Set(claims.map((c) => `${c.type}:${c.status}`));
      for (const outcome of [
        'RETURN:COMPLETED',
        'RETURN:REJECTED',
        'EXCHANGE:EXCHANGED',
        'EXCHANGE:REJECTED',
      ])
        expect(outcomes).toContain(outcome);
      expect(new Set(claims.map((c) => c.reason)).size).toBe(REASONS.length);
      const statuses = new Set(
        ((await shop.api('order-service').get('/api/admin/orders?size=100')).body.content as Json[]).map(
          (o) => o.status,
        ),
      );
      for (const status of ['DELIVERED', 'RETURNED']) expect(statuses).toContain(status);
    }, 240_000);
  });
}
