import type { OrderEventFacts } from './notification-rules.ts';

/** An order, claim or shipment, and the version one of its events leaves it at. */
export interface AggregateStep {
  aggregate: 'order' | 'claim' | 'shipment';
  id: string;
  version: number;
  /** This step leaves its aggregate in a final state: nothing of it, or of its parts, is news after it. */
  ends: boolean;
  /**
   * The aggregate this one is a part of, with versions of its own: an exchange's new-option parcel
   * (a shipment naming its claim) is part of the exchange claim, an order's parcel part of the order.
   */
  partOf?: { aggregate: 'order' | 'claim'; id: string };
}

/** What is held, when a step is handled, of its aggregate and of the whole it is part of. */
export interface HeldSteps {
  /** The newest version handled of the step's aggregate, this step's included. */
  newestVersion: number;
  /** The whole the step's aggregate is part of has ended (false when it is part of none). */
  wholeEnded: boolean;
}

/**
 * The events that leave an order or claim in a final state for its parcels: an order cancelled (its
 * parcel is cancelled with it), a claim COMPLETED, EXCHANGED or REJECTED (contracts' FINAL_CLAIM_STATUSES).
 */
const ENDING_STEPS: ReadonlySet<string> = new Set([
  'order.cancelled',
  'return.completed',
  'return.rejected',
  'exchange.completed',
  'exchange.rejected',
]);

/**
 * The order (order.*), claim (return.*, exchange.*) or shipment (shipment.*) an event is a step of.
 * None for payment events: payment.refunded names an order and a claim, but its version is the payment's.
 * A shipment that names a claim (an exchange's parcel) is part of that claim, any other part of its order.
 */
export function stepOf(eventName: string, event: OrderEventFacts): AggregateStep | undefined {
  const { version } = event;
  if (version === undefined) return undefined;
  if (eventName.startsWith('order.') && event.orderId)
    return { aggregate: 'order', id: event.orderId, version, ends: ENDING_STEPS.has(eventName) };
  if (eventName.startsWith('shipment.') && event.shipmentId) {
    const claimId = event.claimId === undefined || event.claimId === null ? undefined : String(event.claimId);
    const partOf = claimId
      ? { aggregate: 'claim' as const, id: claimId }
      : event.orderId
        ? { aggregate: 'order' as const, id: event.orderId }
        : undefined;
    return {
      aggregate: 'shipment',
      id: event.shipmentId,
      version,
      ends: false,
      ...(partOf ? { partOf } : {}),
    };
  }
  const claimEvent = eventName.startsWith('return.') || eventName.startsWith('exchange.');
  if (claimEvent && event.claimId !== undefined && event.claimId !== null)
    return { aggregate: 'claim', id: String(event.claimId), version, ends: ENDING_STEPS.has(eventName) };
  return undefined;
}

/**
 * A step older than the newest one handled of its claim or shipment would tell the shopper something
 * no longer true ("승인" after "완료", "접수" after "취소"): the contracts' rule is to ignore what is not
 * newer. The same version again is the same step (a redelivery), which the dedupe key answers.
 * A part's versions say nothing of its whole's, so a step of a part whose whole has ended is old news
 * too ("교환 상품이 출발했습니다" after "교환이 완료되었습니다": the exchange ended with that parcel's
 * arrival; "상품이 출발했습니다" after "주문이 취소되었습니다": the cancel stopped that parcel).
 */
export function superseded(step: AggregateStep, held: HeldSteps): boolean {
  return step.version < held.newestVersion || held.wholeEnded;
}
