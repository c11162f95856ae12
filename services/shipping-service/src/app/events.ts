import {
  ShipmentCancelled,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentInTransit,
  type ShipmentKind,
} from '@sagamart/contracts';
import type { ServiceContext } from '@sagamart/kit';
import type { ShippingDb } from '../infra/schema.ts';
import type { ShipmentRow, Trx } from './store.ts';

// shipment.* events of ORIGINAL and EXCHANGE shipments (a PICKUP's progress is its claim's events).

type Ctx = ServiceContext<ShippingDb>;

async function reference(trx: Trx, shipment: ShipmentRow) {
  const order = await trx
    .selectFrom('orders')
    .select(['order_number', 'user_id'])
    .where('order_id', '=', shipment.order_id)
    .executeTakeFirstOrThrow();
  return {
    shipmentId: shipment.id,
    orderId: shipment.order_id,
    orderNumber: order.order_number,
    userId: order.user_id,
    kind: shipment.role as ShipmentKind,
    claimId: shipment.claim_id,
    version: shipment.version,
  };
}

export async function publishDispatched(ctx: Ctx, trx: Trx, shipment: ShipmentRow, courier: string) {
  if (shipment.role === 'PICKUP') return;
  await ctx.publish(trx, ShipmentDispatched, {
    ...(await reference(trx, shipment)),
    courier,
    trackingNumber: shipment.tracking_number!,
    dispatchedAt: (shipment.dispatched_at ?? new Date()).toISOString(),
  });
}

export async function publishInTransit(ctx: Ctx, trx: Trx, shipment: ShipmentRow, at: Date) {
  if (shipment.role === 'PICKUP') return;
  await ctx.publish(trx, ShipmentInTransit, {
    ...(await reference(trx, shipment)),
    trackingNumber: shipment.tracking_number!,
    at: at.toISOString(),
  });
}

export async function publishDelivered(ctx: Ctx, trx: Trx, shipment: ShipmentRow, at: Date) {
  if (shipment.role === 'PICKUP') return;
  await ctx.publish(trx, ShipmentDelivered, {
    ...(await reference(trx, shipment)),
    trackingNumber: shipment.tracking_number!,
    deliveredAt: at.toISOString(),
  });
}

export async function publishCancelled(ctx: Ctx, trx: Trx, shipment: ShipmentRow) {
  const { kind: _kind, claimId: _claimId, ...ref } = await reference(trx, shipment);
  await ctx.publish(trx, ShipmentCancelled, {
    ...ref,
    cancelledAt: (shipment.cancelled_at ?? new Date()).toISOString(),
  });
}
