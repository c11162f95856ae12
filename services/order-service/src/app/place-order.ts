import { createHash, randomUUID } from 'node:crypto';
import type { OrderDetail, PlaceOrderBody, QuoteView } from '@sagamart/contracts/http/orders';
import {
  badRequest,
  type Identity,
  isUniqueViolation,
  Problem,
  type ServiceContext,
  sql,
} from '@sagamart/kit';
import { lineShares, optionLabel } from '../domain/line-shares.ts';
import { orderNumber } from '../domain/order-number.ts';
import { startSaga } from '../domain/saga.ts';
import { orderName } from '../domain/totals.ts';
import { type ItemRow, json, jsonRows, type OrderRow } from '../infra/order-store.ts';
import type { OrderDb } from '../infra/schema.ts';
import type { OrderReads } from './order-reads.ts';
import type { PricedOrder, Pricing } from './pricing.ts';
import type { Claimed, SagaRunner } from './saga-runner.ts';

const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface Placed {
  order: OrderDetail;
  /** The saga reached PAYMENT_PENDING, PAID or CANCELLED within the wait (else it is still PENDING). */
  settled: boolean;
  /** An earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

/** The parts of the request that make the order; the same key with different ones is refused. */
function requestHash(body: PlaceOrderBody): string {
  const d = body.delivery;
  const canonical = {
    items: body.items.map((i) => [i.skuId, i.quantity]),
    delivery: [
      d.receiverName,
      d.receiverPhone,
      d.zipcode,
      d.address,
      d.addressDetail ?? null,
      d.memo ?? null,
    ],
    couponId: body.couponId ?? null,
    pointsToUse: body.pointsToUse ?? 0,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The quote preview and placing an order (which starts its saga and waits briefly for the outcome). */
export class PlaceOrder {
  constructor(
    private readonly ctx: ServiceContext<OrderDb>,
    private readonly pricing: Pricing,
    private readonly runner: SagaRunner,
    private readonly reads: OrderReads,
  ) {}

  async quote(
    userId: string,
    body: { items: PlaceOrderBody['items']; couponId?: number | null; pointsToUse?: number },
  ): Promise<QuoteView> {
    const priced = await this.pricing.price({
      userId,
      items: body.items,
      couponId: body.couponId ?? null,
      pointsToUse: body.pointsToUse ?? 0,
      alwaysReadBalance: true,
      fitPointsToPayable: true,
    });
    return {
      lines: priced.lines.map(({ categoryIds: _c, itemDiscount: _d, ...line }) => ({
        ...line,
        inStock: line.availableStock >= line.quantity,
      })),
      subtotal: priced.subtotal,
      policyDiscounts: priced.policyDiscounts,
      couponId: priced.couponId,
      couponDiscount: priced.couponDiscount,
      discountAmount: priced.discountAmount,
      pointsBalance: priced.pointsBalance,
      maxUsablePoints: priced.maxUsablePoints,
      pointsUsed: priced.pointsUsed,
      payableAmount: priced.payableAmount,
    };
  }

  async place(identity: Identity, key: string | undefined, body: PlaceOrderBody): Promise<Placed> {
    if (!key)
      throw badRequest('The Idempotency-Key header is required', [
        { field: 'Idempotency-Key', message: 'is required' },
      ]);
    if (!KEY_PATTERN.test(key)) {
      throw badRequest('The Idempotency-Key must be 1 to 128 visible ASCII characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 128 visible ASCII characters' },
      ]);
    }
    const hash = requestHash(body);
    const existing = await this.byKey(identity.userId, key);
    if (existing) return this.replay(existing, hash);

    let priced: PricedOrder;
    try {
      priced = await this.pricing.price({
        userId: identity.userId,
        items: body.items,
        couponId: body.couponId ?? null,
        pointsToUse: body.pointsToUse ?? 0,
        alwaysReadBalance: false,
      });
    } catch (error) {
      // A request racing this one with the same key may have placed the order meanwhile, holding the
      // stock or points this pricing now finds short: the answer is that order, not the refusal.
      const winner = error instanceof Problem ? await this.byKey(identity.userId, key) : undefined;
      if (!winner) throw error;
      return this.replay(winner, hash);
    }
    let placed: Claimed;
    try {
      placed = await this.insert(identity.userId, key, hash, body, priced);
    } catch (error) {
      // The same key raced this request and won: answer with its order.
      if (!isUniqueViolation(error, 'orders_idempotency')) throw error;
      const winner = await this.byKey(identity.userId, key);
      if (!winner) throw error;
      return this.replay(winner, hash);
    }
    return { ...(await this.waitForOutcome(placed.order.id, placed)), replayed: false };
  }

  private async replay(existing: OrderRow, hash: string): Promise<Placed> {
    if (existing.request_hash !== hash) {
      throw new Problem(422, 'This Idempotency-Key was already used for a different order request', {
        code: 'idempotency-key-reused',
      });
    }
    return { ...(await this.waitForOutcome(existing.id)), replayed: true };
  }

  private byKey(userId: string, key: string): Promise<OrderRow | undefined> {
    return this.ctx.db
      .selectFrom('orders')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  /**
   * The order, its lines, its saga and its first timeline row in one statement (the lines, saga and
   * timeline as CTEs of the order's insert: all or nothing, and their foreign keys are checked at its
   * end); a rare order-number clash picks another. The saga starts leased to this instance, which
   * drives it at once with what the insert returned (no claim to read it back).
   */
  private async insert(
    userId: string,
    key: string,
    hash: string,
    body: PlaceOrderBody,
    priced: PricedOrder,
  ): Promise<Claimed> {
    const orderId = randomUUID();
    const d = body.delivery;
    const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
    const shares = lineShares(priced.lines, priced.discountAmount, priced.pointsUsed);
    const saga = startSaga({
      couponId: priced.couponId,
      pointsUsed: priced.pointsUsed,
      payableAmount: priced.payableAmount,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const row = await this.ctx.db
          .with('items', (db) =>
            db
              .insertInto('order_items')
              .returningAll()
              .values(
                priced.lines.map((l, lineNo) => ({
                  order_id: orderId,
                  line_no: lineNo,
                  sku_id: l.skuId,
                  product_id: l.productId,
                  product_name: l.productName,
                  sku_code: l.skuCode,
                  options: json(l.options),
                  unit_price: l.unitPrice,
                  quantity: l.quantity,
                  line_total: l.lineTotal,
                  thumbnail_url: l.thumbnailUrl,
                  option_label: optionLabel(l.options),
                  discount_share: shares[lineNo]!.discountShare,
                  points_share: shares[lineNo]!.pointsShare,
                  payable_share: shares[lineNo]!.payableShare,
                })),
              ),
          )
          .with('saga', (db) =>
            db.insertInto('sagas').values({
              order_id: orderId,
              phase: saga.phase,
              steps: json(saga.steps),
              cursor: saga.cursor,
              compensations: json(saga.compensations),
              version: 1,
              last_error: null,
              lease_owner: this.ctx.instanceId,
              lease_until: sql<Date>`clock_timestamp() + ${this.ctx.config.number('orders.saga.leaseMs')} * interval '1 millisecond'`,
            }),
          )
          .with('timeline', (db) =>
            db
              .insertInto('order_timeline')
              .values({ order_id: orderId, event: 'ORDER_CREATED', status: 'PENDING', note: null }),
          )
          .insertInto('orders')
          .values({
            id: orderId,
            order_number: orderNumber(new Date()),
            user_id: userId,
            status: 'PENDING',
            cancel_reason: null,
            version: 1,
            idempotency_key: key,
            request_hash: hash,
            subtotal: priced.subtotal,
            policy_discount: priced.policyDiscount,
            coupon_discount: priced.couponDiscount,
            discount_amount: priced.discountAmount,
            coupon_id: priced.couponId,
            points_used: priced.pointsUsed,
            payable_amount: priced.payableAmount,
            policy_discounts: json(priced.policyDiscounts),
            order_name: orderName(priced.lines.map((l) => l.productName)),
            receiver_name: d.receiverName.trim(),
            receiver_phone: d.receiverPhone,
            zipcode: d.zipcode,
            address: d.address.trim(),
            address_detail: blank(d.addressDetail),
            delivery_memo: blank(d.memo),
            admin_memo: null,
            payment_id: null,
            placed_at: null,
            paid_at: null,
            cancelled_at: null,
          })
          .returningAll()
          .returning((eb) => jsonRows<ItemRow>(eb.selectFrom('items').selectAll(), 'line_no').as('lines'))
          .executeTakeFirstOrThrow();
        const { lines, ...order } = row;
        return { saga: { version: 1, attempts: 0 }, state: saga, order, items: lines };
      } catch (error) {
        if (attempt < 5 && isUniqueViolation(error, 'orders_order_number_key')) continue;
        throw error;
      }
    }
  }

  /**
   * Drives the saga now (from what the insert wrote, when this request placed the order) and waits up
   * to orders.placeWaitMs for it to leave PENDING.
   */
  private async waitForOutcome(orderId: string, placed?: Claimed): Promise<Omit<Placed, 'replayed'>> {
    const wait = this.ctx.config.number('orders.placeWaitMs');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.runner.kick(orderId, placed && { claimed: placed }),
      new Promise((resolve) => {
        timer = setTimeout(resolve, wait);
      }),
    ]);
    clearTimeout(timer);
    const order = await this.reads.detail(orderId, 'admin');
    return { order, settled: order.status !== 'PENDING' };
  }
}
