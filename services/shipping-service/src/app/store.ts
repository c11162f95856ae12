import { ORDER_NUMBER_PATTERN } from '@sagamart/contracts';
import { deliveryAddressLine } from '@sagamart/contracts/rules';
import {
  type Identity,
  type Kysely,
  lockForTransaction,
  notFound,
  type Selectable,
  type Transaction,
} from '@sagamart/kit';
import type { ShipmentRole } from '../domain/shipment-rules.ts';
import type { Receiver, ShippingDb } from '../infra/schema.ts';

// Row types and the small lookups every use case shares.

export type Trx = Transaction<ShippingDb>;
export type OrderRow = Selectable<ShippingDb['orders']>;
export type LineRow = Selectable<ShippingDb['order_lines']>;
export type ShipmentRow = Selectable<ShippingDb['shipments']>;
export type ClaimRow = Selectable<ShippingDb['claims']>;
export type ClaimItemRow = Selectable<ShippingDb['claim_items']>;
export type Db = Trx | Kysely<ShippingDb>;

/** An order by its id or its number (ORD-…), locked when `lock`. */
export async function findOrder(db: Db, ref: string, lock = false): Promise<OrderRow | undefined> {
  let query = db
    .selectFrom('orders')
    .selectAll()
    .where(ORDER_NUMBER_PATTERN.test(ref) ? 'order_number' : 'order_id', '=', ref);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The caller's own order, or 404 (someone else's order is not revealed). */
export async function ownOrder(db: Db, identity: Identity, ref: string, lock = false): Promise<OrderRow> {
  const order = await findOrder(db, ref, lock);
  if (!order || order.user_id !== identity.userId) throw notFound(`주문 ${ref}을(를) 찾을 수 없습니다.`);
  return order;
}

export async function orderLines(db: Db, orderId: string, lock = false): Promise<LineRow[]> {
  let query = db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('line_no');
  if (lock) query = query.forUpdate();
  return query.execute();
}

export async function hasOpenClaim(db: Db, orderId: string): Promise<boolean> {
  const open = await db
    .selectFrom('claims')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', 'in', ['REQUESTED', 'APPROVED', 'COLLECTING', 'RESHIPPING'])
    .executeTakeFirst();
  return open !== undefined;
}

/** Every unit came back (a completed return took what was left): nothing to confirm or claim. */
export async function whollyReturned(db: Db, orderId: string): Promise<boolean> {
  const whole = await db
    .selectFrom('claims')
    .select('id')
    .where('order_id', '=', orderId)
    .where('type', '=', 'RETURN')
    .where('status', '=', 'COMPLETED')
    .where('whole_order', '=', true)
    .executeTakeFirst();
  return whole !== undefined;
}

/**
 * order.paid, a cancel of the same order and the record of its waybill take turns: each reads what the
 * others write (the cancel's mark, the shipment), and without the lock two could pass at once and a
 * cancelled order would still get its parcel.
 */
export function lockOrderShipping(trx: Trx, orderId: string): Promise<void> {
  return lockForTransaction(trx, `shipping.order:${orderId}`);
}

/** The order's cancel was asked of shipping (cancelled_orders): its parcel must not go. */
export async function cancelAsked(db: Db, orderId: string): Promise<boolean> {
  const mark = await db
    .selectFrom('cancelled_orders')
    .select('order_id')
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return mark !== undefined;
}

/** "반팔 티셔츠 외 2건": the first line's product and how many more lines. */
export function goodsLabel(names: readonly string[]): string {
  const first = (names[0] ?? '상품').slice(0, 80);
  return names.length > 1 ? `${first} 외 ${names.length - 1}건` : first;
}

/** One address line for the courier: orders and saved addresses are held to lengths that fit it. */
export const fullAddress = (r: Receiver) => deliveryAddressLine(r.address, r.addressDetail);

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A shipment that waits for its waybill (READY, NOT_SENT); dispatched by itself after `dispatchDueAt` when given. */
export function waitingShipment(input: {
  orderId: string;
  role: Exclude<ShipmentRole, 'PICKUP'>;
  claimId: string | null;
  goodsName: string;
  quantity: number;
  receiver: Receiver;
  dispatchDueAt: Date | null;
}) {
  return {
    order_id: input.orderId,
    role: input.role,
    claim_id: input.claimId,
    status: 'READY' as const,
    courier_status: 'NOT_SENT' as const,
    courier_code: null,
    tracking_number: null,
    goods_name: input.goodsName,
    quantity: input.quantity,
    receiver: JSON.stringify(input.receiver) as never,
    dispatch_due_at: input.dispatchDueAt,
    next_poll_at: null,
    last_poll_error: null,
    dispatched_at: null,
    picked_up_at: null,
    delivered_at: null,
    cancelled_at: null,
  };
}
