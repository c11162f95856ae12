/** What an order's timeline records: its status changes and what the payment side reported. */
export const TIMELINE_EVENTS = [
  'ORDER_CREATED',
  'PAYMENT_PENDING',
  'PAYMENT_APPROVED',
  'PAID',
  'PAYMENT_FAILED',
  'CANCELLED',
  'RESERVATIONS_RELEASED',
  'PAYMENT_REFUNDED',
] as const;
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];
