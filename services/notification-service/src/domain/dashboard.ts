import { type ClaimStatus, FINAL_CLAIM_STATUSES } from '@sagamart/contracts';
import type { ORDER_STATUSES } from '@sagamart/contracts/http/orders';

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * How far an order has gone, as the dashboard hears it. Events arrive in any order and more than once,
 * so a status applies only when it ranks above the one held: a late order.placed never turns a PAID
 * order back into PAYMENT_PENDING, a duplicate changes nothing. CANCELLED (before shipping) and
 * RETURNED (a whole-order return, after delivery) are final.
 */
export const STATUS_RANK: Partial<Record<OrderStatus, number>> = {
  PAYMENT_PENDING: 1,
  PAID: 2,
  SHIPPING: 3,
  DELIVERED: 4,
  RETURNED: 5,
  CANCELLED: 6,
};

export function statusRank(status: OrderStatus): number {
  return STATUS_RANK[status] ?? 0;
}

/** A claim is open until it is completed, exchanged or rejected. */
export function claimOpen(status: ClaimStatus): boolean {
  return !FINAL_CLAIM_STATUSES.includes(status);
}

const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Seoul calendar day (yyyy-MM-dd) of an instant (Korea keeps no daylight saving time). */
export function seoulDay(at: Date): string {
  return new Date(at.getTime() + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Seoul day starts. */
export function seoulDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SEOUL_OFFSET_MS);
}

/** The last `count` Seoul days up to the one `now` is in, oldest first. */
export function lastSeoulDays(now: Date, count: number): string[] {
  const today = seoulDayStart(seoulDay(now)).getTime();
  return Array.from({ length: count }, (_, i) => seoulDay(new Date(today - (count - 1 - i) * DAY_MS)));
}
