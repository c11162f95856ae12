import { TIMELINE_EVENTS } from '@sagamart/contracts/http/orders';

/** What an order's timeline records: its status changes and what the payment side reported. */
export { TIMELINE_EVENTS };
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

/** An amount in a note an operator reads (the timeline's, the saga log's): `71,200원`. */
export function wonInNote(amount: number): string {
  return `${amount.toLocaleString('ko-KR')}원`;
}
