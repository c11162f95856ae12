import type { OrderEventFacts } from './notification-rules.ts';

/** A claim or shipment, and the version one of its events leaves it at. */
export interface AggregateStep {
  aggregate: 'order' | 'claim' | 'shipment';
  id: string;
  version: number;
}

/**
 * The order (order.*), claim (return.*, exchange.*) or shipment (shipment.*) an event is a step of.
 * None for payment events: payment.refunded names an order and a claim, but its version is the payment's.
 */
export function stepOf(eventName: string, event: OrderEventFacts): AggregateStep | undefined {
  const { version } = event;
  if (version === undefined) return undefined;
  if (eventName.startsWith('order.') && event.orderId)
    return { aggregate: 'order', id: event.orderId, version };
  if (eventName.startsWith('shipment.') && event.shipmentId)
    return { aggregate: 'shipment', id: event.shipmentId, version };
  const claimEvent = eventName.startsWith('return.') || eventName.startsWith('exchange.');
  if (claimEvent && event.claimId !== undefined && event.claimId !== null)
    return { aggregate: 'claim', id: String(event.claimId), version };
  return undefined;
}

/**
 * A step older than the newest one handled of its claim or shipment would tell the shopper something
 * no longer true ("승인" after "완료", "접수" after "취소"): the contracts' rule is to ignore what is not newer. The same
 * version again is the same step (a redelivery), which the dedupe key answers.
 */
export function superseded(step: AggregateStep, newestVersion: number): boolean {
  return step.version < newestVersion;
}
