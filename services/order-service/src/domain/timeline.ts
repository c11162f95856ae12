import { TIMELINE_EVENTS, type TimelineFacts } from '@sagamart/contracts/http/orders';

/** What an entry reports (amounts, points, method, waybill), worded by the reader's language, not here. */
export type { TimelineFacts };
/** What an order's timeline records: its status changes and what the payment side reported. */
export { TIMELINE_EVENTS };
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];
