import {
  COURIER_PROGRESSION,
  type CourierStatus,
  type ShipmentCourierStatus,
  type ShipmentStatus,
} from '@sagamart/contracts';

// How the courier's status of a waybill moves a shipment. Pure.
//   ORIGINAL and EXCHANGE: IN_TRANSIT and later mean SHIPPING; DELIVERED means DELIVERED.
//   PICKUP (a return's or an exchange's collection): PICKED_UP and later mean the claim is
//   COLLECTING; DELIVERED (at the shop) means it was collected.
//   CANCELLED before pickup: the order's cancel when it asked; else a pickup is cancelled (its claim
//   waits for the admin again) and a parcel goes back to waiting for a new waybill.

/** Internally a return pickup is a shipment too (its events are the claim's, never shipment.*). */
export type ShipmentRole = 'ORIGINAL' | 'EXCHANGE' | 'PICKUP';

const ORDER: readonly ShipmentCourierStatus[] = ['NOT_SENT', ...COURIER_PROGRESSION];

const rank = (status: ShipmentCourierStatus) => ORDER.indexOf(status);

/** The parcel is in the courier's hands (or further): too late to cancel. */
export const isPickedUp = (status: ShipmentCourierStatus) =>
  status !== 'CANCELLED' && rank(status) >= rank('PICKED_UP');

export interface TrackedShipment {
  role: ShipmentRole;
  status: ShipmentStatus;
  courierStatus: ShipmentCourierStatus;
  /** The order's cancel asked shipping to stop this parcel (its answer may have been lost). */
  cancelAsked?: boolean;
}

export type TrackingEffect =
  /** Nothing to announce (a step that does not change the shipment's status, or a stale report). */
  | { kind: 'none' }
  | { kind: 'in-transit' }
  | { kind: 'delivered' }
  | { kind: 'collecting' }
  | { kind: 'collected' }
  /** The courier cancelled the waybill of a parcel the order's cancel asked to stop. */
  | { kind: 'cancelled' }
  /** The courier cancelled a pickup before collecting: the claim waits for the admin again. */
  | { kind: 'pickup-cancelled' }
  /** The courier cancelled a parcel's waybill unasked: the parcel waits for a new waybill. */
  | { kind: 'waybill-cancelled' };

export interface TrackingOutcome {
  status: ShipmentStatus;
  courierStatus: ShipmentCourierStatus;
  effects: TrackingEffect['kind'][];
}

/**
 * The shipment after the courier reported `reported`. Reports never move a shipment backwards, and a
 * cancelled shipment stays cancelled. Effects are listed once, in the order they happen (a pickup
 * that jumps from ACCEPTED to DELIVERED is collecting, then collected).
 */
export function applyCourierStatus(shipment: TrackedShipment, reported: CourierStatus): TrackingOutcome {
  const unchanged = { status: shipment.status, courierStatus: shipment.courierStatus, effects: [] };
  if (shipment.status === 'CANCELLED' || shipment.status === 'DELIVERED') return unchanged;
  if (reported === 'CANCELLED') {
    // A cancel's courier call that timed out may still have cancelled the waybill: the cancel holds.
    if (shipment.cancelAsked && shipment.role === 'ORIGINAL' && shipment.status === 'READY')
      return { status: 'CANCELLED', courierStatus: 'CANCELLED', effects: ['cancelled'] };
    // The courier can only cancel a waybill it has not picked up yet.
    if (shipment.status === 'READY' && !isPickedUp(shipment.courierStatus)) {
      if (shipment.role === 'PICKUP')
        return { status: 'CANCELLED', courierStatus: 'CANCELLED', effects: ['pickup-cancelled'] };
      if (shipment.courierStatus !== 'NOT_SENT')
        return { status: 'READY', courierStatus: 'NOT_SENT', effects: ['waybill-cancelled'] };
    }
    return { ...unchanged, courierStatus: 'CANCELLED' };
  }
  if (shipment.courierStatus !== 'CANCELLED' && rank(reported) <= rank(shipment.courierStatus))
    return unchanged;

  const effects: TrackingEffect['kind'][] = [];
  let status: ShipmentStatus = shipment.status;
  if (shipment.role === 'PICKUP') {
    if (isPickedUp(reported) && !isPickedUp(shipment.courierStatus)) effects.push('collecting');
    if (reported === 'DELIVERED') effects.push('collected');
    status = reported === 'DELIVERED' ? 'DELIVERED' : isPickedUp(reported) ? 'SHIPPING' : status;
  } else if (reported === 'DELIVERED') {
    effects.push('delivered');
    status = 'DELIVERED';
  } else if (rank(reported) >= rank('IN_TRANSIT') && status === 'READY') {
    effects.push('in-transit');
    status = 'SHIPPING';
  }
  return { status, courierStatus: reported, effects };
}

/** Exponential backoff after `failures` failed polls in a row: base × 2^(failures − 1), at most max. */
export function pollBackoffMs(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

/**
 * The other side (the courier, product-service) refused the call for good: a 4xx says the request
 * itself is wrong and asking again is refused again, except 408 (it gave up waiting) and 429 (it is
 * busy), which say "later". Anything else (no answer, a timeout, a 5xx) is worth trying again.
 */
export function refusedForGood(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
