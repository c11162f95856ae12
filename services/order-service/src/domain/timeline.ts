import { TIMELINE_EVENTS } from '@sagamart/contracts/http/orders';

/** What an order's timeline records: its status changes and what the payment side reported. */
export { TIMELINE_EVENTS };
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];
