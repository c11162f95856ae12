// How the admin's stock history words a movement: counts formatted, and what it was for in the
// admin's terms (an order, a return, an exchange, with the order's number when product-service
// knows it), never an order's or a claim's internal id.
import { i18n } from '../i18n/i18n.ts';
import { formatCount } from '../lib/format.ts';
import type { StockMovement } from './admin-products-api.ts';

/** A signed change of stock: `+1,200`, `-3`. */
export function signedCount(quantity: number): string {
  return quantity > 0 ? `+${formatCount(quantity)}` : formatCount(quantity);
}

/**
 * What a movement did to the held units, in words: `보류 +2` (held for inspection, or `보류 -1` released
 * from it), `폐기 -2` (written off); undefined for one that left them alone.
 */
export function heldChangeText(movement: Pick<StockMovement, 'type' | 'heldChange'>): string | undefined {
  if (!movement.heldChange) return undefined;
  const key = movement.type === 'DISCARD' ? 'writtenOff' : 'heldChange';
  return i18n.t(`adminCatalog.history.${key}`, { change: signedCount(movement.heldChange) });
}

/** What the movement was for; undefined for one no order or claim caused (an admin's, the first stock). */
function movementSubject(
  movement: Pick<StockMovement, 'orderId' | 'claimType' | 'orderNumber'>,
): string | undefined {
  if (!movement.orderId) return undefined;
  const kind = movement.claimType ?? 'ORDER';
  return movement.orderNumber
    ? i18n.t(`adminCatalog.history.subjectNumbered.${kind}`, { number: movement.orderNumber })
    : i18n.t(`adminCatalog.history.subject.${kind}`);
}

/**
 * The reason cell: the admin's own words when they gave some, else what caused the movement; `detail`
 * is what caused it under the admin's words.
 */
export function movementNote(
  movement: Pick<StockMovement, 'reason' | 'orderId' | 'claimType' | 'orderNumber'>,
): {
  text: string;
  detail?: string;
} {
  const subject = movementSubject(movement);
  if (movement.reason)
    return subject ? { text: movement.reason, detail: subject } : { text: movement.reason };
  return { text: subject ?? i18n.t('common.none') };
}
