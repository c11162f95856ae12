// shipping-service's shapes for the shopper's after-sale views: types only, from its schemas.
import type * as shipping from '@sagamart/contracts/http/shipping';
import { queryOptions } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/client.ts';
import { serverEnum } from '../api/server-enum.ts';
import { myOrdersQueryPrefix, type OrderStatus } from './orders-api.ts';

export type OrderClaims = Static<typeof shipping.OrderClaimsView>;
export type Claim = OrderClaims['claims'][number];
export type ClaimStatus = Claim['status'];
export type ClaimReason = Claim['reason'];
export type ClaimType = Claim['type'];
export type PurchaseConfirmation = Static<typeof shipping.PurchaseConfirmationView>;
export type OrderShipping = Static<typeof shipping.OrderShippingView>;
export type Shipment = OrderShipping['shipments'][number];
export type ShipmentStatus = Shipment['status'];
/** NOT_SENT until a waybill exists, then the courier's own status. */
export type ShipmentCourierStatus = Shipment['courierStatus'];
export type TrackingEvent = Shipment['history'][number];
export type ReturnRequest = Static<typeof shipping.ReturnRequestBody>;
export type ExchangeRequest = Static<typeof shipping.ExchangeRequestBody>;

export const CLAIM_REASONS = serverEnum<ClaimReason>()([
  'CHANGE_OF_MIND',
  'DEFECTIVE',
  'WRONG_ITEM',
  'DAMAGED_IN_TRANSIT',
]);
export const CLAIM_STATUSES = serverEnum<ClaimStatus>()([
  'REQUESTED',
  'APPROVED',
  'COLLECTING',
  'RESHIPPING',
  'COMPLETED',
  'EXCHANGED',
  'REJECTED',
]);
export const SHIPMENT_STATUSES = serverEnum<ShipmentStatus>()([
  'READY',
  'SHIPPING',
  'DELIVERED',
  'CANCELLED',
]);
export const SHIPMENT_COURIER_STATUSES = serverEnum<ShipmentCourierStatus>()([
  'NOT_SENT',
  'ACCEPTED',
  'PICKED_UP',
  'IN_TRANSIT',
  'AT_DESTINATION',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'CANCELLED',
]);

/**
 * A paid order's parcel moves on at the courier (picked up, in transit) with no push to the shopper:
 * while it is on its way, the order page looks again this often, and only while its tab is seen.
 */
export const PARCEL_POLL_MS = 15_000;

/** PAID or SHIPPING: the parcel is being prepared or is on its way (delivered, returned, cancelled are not). */
export function parcelOnItsWay(status: OrderStatus): boolean {
  return status === 'PAID' || status === 'SHIPPING';
}

/** The order's own parcel (not an exchange's), as shipping-service tracks it; undefined before it has one. */
export function originalShipment(shipping: OrderShipping | null | undefined): Shipment | undefined {
  return shipping?.shipments.find((shipment) => shipment.kind === 'ORIGINAL');
}

/** The courier has it, or had it: shipping-service refuses to cancel such an order (409 picked-up). */
const WITH_THE_COURIER = new Set<ShipmentCourierStatus>([
  'PICKED_UP',
  'IN_TRANSIT',
  'AT_DESTINATION',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
]);

/** Whether the order's parcel was picked up: too late to cancel the order. */
export function parcelPickedUp(shipping: OrderShipping | null | undefined): boolean {
  const parcel = originalShipment(shipping);
  if (!parcel) return false;
  return (
    parcel.status === 'SHIPPING' ||
    parcel.status === 'DELIVERED' ||
    WITH_THE_COURIER.has(parcel.courierStatus)
  );
}

/** A change-of-mind return pays the return shipping fee (shipping-service's config); the others are free. */
export function reasonCostsFee(type: ClaimType, reason: ClaimReason): boolean {
  return type === 'RETURN' && reason === 'CHANGE_OF_MIND';
}

/** Units of each order line already in a return or exchange that was not rejected (each unit once). */
export function claimedUnits(claims: readonly Claim[]): Map<number, number> {
  const units = new Map<number, number>();
  for (const claim of claims) {
    if (claim.status === 'REJECTED') continue;
    for (const item of claim.items) {
      units.set(item.orderItemId, (units.get(item.orderItemId) ?? 0) + item.quantity);
    }
  }
  return units;
}

const orderKey = (orderId: string) => [...myOrdersQueryPrefix, orderId] as const;

/** GET /api/orders/{id}/claims; none yet (or shipping not running) is null. */
export function orderClaimsQuery(orderId: string) {
  return queryOptions({
    queryKey: [...orderKey(orderId), 'claims'],
    queryFn: ({ signal }) =>
      nullWhenMissing(api.get<OrderClaims>(`/api/orders/${encodeURIComponent(orderId)}/claims`, { signal })),
  });
}

/**
 * GET /api/shipping/orders/{orderId}: the original shipment and any exchange re-ship with their
 * courier history; null before shipping-service has one. Under my orders' key, so the live
 * notifications about an order refresh it too.
 */
export function orderShippingQuery(orderId: string) {
  return queryOptions({
    queryKey: [...orderKey(orderId), 'shipping'],
    queryFn: ({ signal }) =>
      nullWhenMissing(
        api.get<OrderShipping>(`/api/shipping/orders/${encodeURIComponent(orderId)}`, { signal }),
      ),
  });
}

/** POST /api/orders/{id}/confirm: 구매확정 (an empty body). */
export function confirmPurchase(orderId: string) {
  return api.post<PurchaseConfirmation>(`/api/orders/${encodeURIComponent(orderId)}/confirm`, {});
}

/** POST /api/orders/{id}/returns: 409 outside the window or with another claim open. */
export function requestReturn(orderId: string, request: ReturnRequest) {
  return api.post<Claim>(`/api/orders/${encodeURIComponent(orderId)}/returns`, request);
}

/** POST /api/orders/{id}/exchanges: the same product in another option at the same price. */
export function requestExchange(orderId: string, request: ExchangeRequest) {
  return api.post<Claim>(`/api/orders/${encodeURIComponent(orderId)}/exchanges`, request);
}

async function nullWhenMissing<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
