import type {
  ClaimType,
  PaymentRefundedPayload,
  PurchaseConfirmedPayload,
  ReturnCompletedPayload,
  ShipmentCancelledPayload,
  ShipmentDeliveredPayload,
  ShipmentDispatchedPayload,
  ShipmentInTransitPayload,
} from '@sagamart/contracts';
import { type ServiceContext, sql } from '@sagamart/kit';
import { shippingAdvance } from '../domain/order-status.ts';
import type { TimelineEvent, TimelineFacts } from '../domain/timeline.ts';
import { addTimeline, lockOrder, type OrderRow, type Trx } from '../infra/order-store.ts';
import type { OrderDb } from '../infra/schema.ts';
import type { OrderTransitions } from './order-transitions.ts';

/** Any claim event: the fields every return.* and exchange.* event carries. */
interface ClaimEvent {
  claimId: string;
  orderId: string;
  version: number;
}

type ShipmentEvent =
  | { kind: 'dispatched'; event: ShipmentDispatchedPayload }
  | { kind: 'in-transit'; event: ShipmentInTransitPayload }
  | { kind: 'delivered'; event: ShipmentDeliveredPayload };

/**
 * order-service's read copy of what happens after payment (issue 10): shipping-service's shipments,
 * purchase confirmation and claims, and payment-service's partial refunds. Each event is applied
 * under the order's row lock and only when newer than what is recorded for its shipment or claim
 * (events carry their aggregate's version), so repeats and overtaken deliveries change nothing.
 * Publishes nothing: shipping and payment own these facts.
 */
export class OrderAfterSale {
  constructor(
    private readonly ctx: ServiceContext<OrderDb>,
    private readonly transitions: OrderTransitions,
  ) {}

  async shipment(trx: Trx, change: ShipmentEvent): Promise<void> {
    const { event } = change;
    const order = await this.lock(trx, event.orderId);
    if (!order) return;
    const status =
      change.kind === 'dispatched' ? 'READY' : change.kind === 'in-transit' ? 'SHIPPING' : 'DELIVERED';
    if (!(await this.recordShipment(trx, event, status))) return;
    const original = event.kind === 'ORIGINAL';
    const timeline: TimelineEvent =
      change.kind === 'dispatched'
        ? 'SHIPMENT_DISPATCHED'
        : change.kind === 'in-transit'
          ? 'SHIPMENT_IN_TRANSIT'
          : 'SHIPMENT_DELIVERED';
    let current = order;
    if (original) {
      if (change.kind === 'dispatched' || order.tracking_number === null) {
        current = await this.update(trx, order.id, { tracking_number: event.trackingNumber });
      }
      const next =
        change.kind === 'dispatched'
          ? undefined
          : shippingAdvance(current.status, change.kind === 'in-transit' ? 'SHIPPING' : 'DELIVERED');
      if (next) current = await this.transitions.shippingStatus(trx, current, next);
      if (change.kind === 'delivered' && current.delivered_at === null) {
        current = await this.update(trx, order.id, { delivered_at: new Date(change.event.deliveredAt) });
      }
    }
    await addTimeline(trx, order.id, timeline, current.status, {
      facts: { trackingNumber: event.trackingNumber, shipmentKind: event.kind },
    });
  }

  async shipmentCancelled(trx: Trx, event: ShipmentCancelledPayload): Promise<void> {
    const order = await this.lock(trx, event.orderId);
    if (!order) return;
    const recorded = await trx
      .selectFrom('order_shipments')
      .select('version')
      .where('shipment_id', '=', event.shipmentId)
      .executeTakeFirst();
    if (recorded && recorded.version >= event.version) return;
    await trx
      .insertInto('order_shipments')
      .values({
        shipment_id: event.shipmentId,
        order_id: event.orderId,
        kind: 'ORIGINAL',
        status: 'CANCELLED',
        tracking_number: null,
        version: event.version,
      })
      .onConflict((oc) =>
        oc.column('shipment_id').doUpdateSet({ status: 'CANCELLED', version: event.version }),
      )
      .execute();
    await addTimeline(trx, order.id, 'SHIPMENT_CANCELLED', order.status);
  }

  async purchaseConfirmed(trx: Trx, event: PurchaseConfirmedPayload): Promise<void> {
    const order = await this.lock(trx, event.orderId);
    if (!order || order.confirmed_at !== null) return;
    await this.update(trx, order.id, { confirmed_at: new Date(event.confirmedAt) });
    await addTimeline(trx, order.id, 'PURCHASE_CONFIRMED', order.status, {
      facts: { pointsAwarded: event.pointsAwarded },
    });
  }

  /** Any return.* or exchange.* event: the claim's state, its timeline entry, and RETURNED at the end. */
  async claim(
    trx: Trx,
    type: ClaimType,
    status: string,
    timeline: TimelineEvent,
    event: ClaimEvent,
    recorded: { note?: string | null; facts?: TimelineFacts } = {},
  ): Promise<void> {
    await this.applyClaim(trx, type, status, timeline, event, recorded);
  }

  /** `claim`, answering whether the event changed the claim (false: a repeat, or one a newer event overtook). */
  private async applyClaim(
    trx: Trx,
    type: ClaimType,
    status: string,
    timeline: TimelineEvent,
    event: ClaimEvent,
    recorded: { note?: string | null; facts?: TimelineFacts },
  ): Promise<boolean> {
    const order = await this.lock(trx, event.orderId);
    if (!order) return false;
    const applied = await trx
      .insertInto('order_claims')
      .values({ claim_id: event.claimId, order_id: event.orderId, type, status, version: event.version })
      .onConflict((oc) =>
        oc
          .column('claim_id')
          .doUpdateSet({ status, version: event.version, updated_at: sql`clock_timestamp()` })
          .where('order_claims.version', '<', event.version),
      )
      .returning('claim_id')
      .executeTakeFirst();
    if (!applied) return false;
    await addTimeline(trx, order.id, timeline, order.status, recorded);
    return true;
  }

  async returnCompleted(trx: Trx, event: ReturnCompletedPayload): Promise<void> {
    const { refundAmount, feeAmount, pointsRefund } = event;
    const completed = await this.applyClaim(trx, 'RETURN', 'COMPLETED', 'RETURN_COMPLETED', event, {
      facts: { refundAmount, feeAmount, pointsRefund },
    });
    // The points user-service gives back for this return (once per claim, as it credits them); the
    // won come back with payment.refunded. This release reads them from the RETURN_COMPLETED entry
    // (app/order-reads.ts: pods of the release before 0008 write it, not this column); the column is
    // still kept for the release that reads it, should the deploy be rolled back (ADR 0013).
    if (completed && pointsRefund > 0) {
      await trx
        .updateTable('orders')
        .set((eb) => ({
          refunded_points: eb('refunded_points', '+', pointsRefund),
          updated_at: sql`clock_timestamp()`,
        }))
        .where('id', '=', event.orderId)
        .execute();
    }
    if (!event.wholeOrder) return;
    const order = await this.lock(trx, event.orderId);
    const next = order && shippingAdvance(order.status, 'RETURNED');
    if (order && next) await this.transitions.shippingStatus(trx, order, next);
  }

  /** A partial refund of a return: the order shows what the PG has given back so far. */
  async claimRefunded(trx: Trx, event: PaymentRefundedPayload): Promise<void> {
    const order = await this.lock(trx, event.orderId);
    if (!order || order.refunded_amount >= event.refundedTotal) return;
    await this.update(trx, order.id, { refunded_amount: event.refundedTotal });
    await addTimeline(trx, order.id, 'PAYMENT_REFUNDED', order.status, { facts: { amount: event.amount } });
  }

  private async recordShipment(
    trx: Trx,
    event: ShipmentDispatchedPayload | ShipmentInTransitPayload | ShipmentDeliveredPayload,
    status: string,
  ): Promise<boolean> {
    const applied = await trx
      .insertInto('order_shipments')
      .values({
        shipment_id: event.shipmentId,
        order_id: event.orderId,
        kind: event.kind,
        status,
        tracking_number: event.trackingNumber,
        version: event.version,
      })
      .onConflict((oc) =>
        oc
          .column('shipment_id')
          .doUpdateSet({ status, tracking_number: event.trackingNumber, version: event.version })
          .where('order_shipments.version', '<', event.version),
      )
      .returning('shipment_id')
      .executeTakeFirst();
    return applied !== undefined;
  }

  private async lock(trx: Trx, orderId: string): Promise<OrderRow | undefined> {
    const locked = await lockOrder(trx, orderId);
    if (!locked) this.ctx.log.warn({ orderId }, 'after-sale event for an unknown order');
    return locked?.order;
  }

  private update(
    trx: Trx,
    orderId: string,
    changes: Partial<Pick<OrderRow, 'tracking_number' | 'delivered_at' | 'confirmed_at' | 'refunded_amount'>>,
  ): Promise<OrderRow> {
    return trx
      .updateTable('orders')
      .set({ ...changes, updated_at: sql`clock_timestamp()` })
      .where('id', '=', orderId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
