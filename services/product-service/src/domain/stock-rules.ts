import type { ClaimReason, SkuStatus, StockMovementType } from '@sagamart/contracts';

/**
 * A SKU's stock: `stock` is available to sell, `reserved` is held for unpaid orders, `sold` is gone,
 * `held` came back defective or damaged and waits for the admin's inspection (never sold).
 * Every movement keeps: INITIAL + ADJUST + RESTOCK-without-order − DISCARD quantities
 * = stock + reserved + sold + held (a RESTOCK for an order moves its sold units back on sale, RETURN,
 * HOLD and RELEASE_HELD move units between the counts, so they add nothing).
 */
export interface StockLevels {
  stock: number;
  reserved: number;
  sold: number;
  held: number;
}

/**
 * The most units a SKU counts (stock + reserved + sold + held). Only INITIAL, ADJUST and RESTOCK
 * without an order add units, and every other movement moves them between the counts, so no count
 * ever passes it: each fits its integer column (2,147,483,647) with room to spare.
 */
export const MAX_SKU_UNITS = 1_000_000_000;

export class StockRuleError extends Error {
  constructor(
    readonly code:
      | 'insufficient-stock'
      | 'insufficient-reserved'
      | 'insufficient-sold'
      | 'insufficient-held'
      | 'invalid-quantity'
      | 'stock-limit',
    message: string,
  ) {
    super(message);
    this.name = 'StockRuleError';
  }
}

export interface MovementResult {
  levels: StockLevels;
  /** Signed change of available stock, as recorded in the history. */
  quantity: number;
}

/**
 * Where units a shopper sent back go: on sale again (RETURN) when nothing is wrong with them (a change
 * of mind, or the shop sent the wrong item), on hold for inspection (HOLD) when they came back
 * defective or damaged. An event without a reason (published before shipping-service sent one) is
 * held as well: releasing a sound unit costs the admin one step, selling a broken one costs a shopper.
 */
export function returnMovementFor(reason: ClaimReason | undefined): 'RETURN' | 'HOLD' {
  return reason === 'CHANGE_OF_MIND' || reason === 'WRONG_ITEM' ? 'RETURN' : 'HOLD';
}

/**
 * Applies one movement. INITIAL/RESTOCK add stock, ADJUST adds a signed amount (never below zero;
 * what they add never takes the SKU past MAX_SKU_UNITS),
 * RESERVE moves stock to reserved, RELEASE moves it back, SELL moves reserved to sold, RETURN moves
 * sold units back to stock (a return or exchange collected), HOLD moves sold units to held (sent
 * back defective or damaged), RELEASE_HELD moves held units to stock (they passed inspection) and
 * DISCARD takes held units away (written off). A RESTOCK
 * `forOrder` (an order cancelled after payment) moves sold units back to stock instead.
 */
export function applyMovement(
  levels: StockLevels,
  type: StockMovementType,
  quantity: number,
  forOrder = false,
): MovementResult {
  if (!Number.isSafeInteger(quantity))
    throw new StockRuleError('invalid-quantity', 'Quantity must be a whole number');
  const { stock, reserved, sold, held } = levels;
  const positive = () => {
    if (quantity <= 0) throw new StockRuleError('invalid-quantity', `${type} needs a positive quantity`);
  };
  const withinLimit = () => {
    const counted = stock + reserved + sold + held;
    if (quantity > 0 && counted + quantity > MAX_SKU_UNITS) {
      throw new StockRuleError(
        'stock-limit',
        `A SKU counts at most ${MAX_SKU_UNITS.toLocaleString('en')} units (in stock, reserved, sold and held); ` +
          `it counts ${counted.toLocaleString('en')}, so ${quantity.toLocaleString('en')} more cannot be added`,
      );
    }
  };
  switch (type) {
    case 'INITIAL':
      if (quantity < 0) throw new StockRuleError('invalid-quantity', 'Initial stock cannot be negative');
      withinLimit();
      return { levels: { stock: stock + quantity, reserved, sold, held }, quantity };
    case 'RESTOCK':
      positive();
      if (!forOrder) {
        withinLimit();
        return { levels: { stock: stock + quantity, reserved, sold, held }, quantity };
      }
      if (sold < quantity)
        throw new StockRuleError('insufficient-sold', `Only ${sold} sold; cannot restock ${quantity}`);
      return { levels: { stock: stock + quantity, reserved, sold: sold - quantity, held }, quantity };
    case 'ADJUST':
      if (quantity === 0) throw new StockRuleError('invalid-quantity', 'An adjustment cannot be zero');
      if (stock + quantity < 0) {
        throw new StockRuleError(
          'insufficient-stock',
          `Only ${stock} in stock; cannot take away ${-quantity}`,
        );
      }
      withinLimit();
      return { levels: { stock: stock + quantity, reserved, sold, held }, quantity };
    case 'RETURN':
      // A return or exchange sent units back (keyed by the claim): sold → available.
      positive();
      if (sold < quantity)
        throw new StockRuleError('insufficient-sold', `Only ${sold} sold; cannot take back ${quantity}`);
      return { levels: { stock: stock + quantity, reserved, sold: sold - quantity, held }, quantity };
    case 'HOLD':
      // Sent back defective or damaged (keyed by the claim): sold → held, not for sale.
      positive();
      if (sold < quantity)
        throw new StockRuleError('insufficient-sold', `Only ${sold} sold; cannot take back ${quantity}`);
      return { levels: { stock, reserved, sold: sold - quantity, held: held + quantity }, quantity: 0 };
    case 'RELEASE_HELD':
    case 'DISCARD': {
      positive();
      if (held < quantity)
        throw new StockRuleError('insufficient-held', `Only ${held} held; cannot take ${quantity}`);
      const released = type === 'RELEASE_HELD' ? quantity : 0;
      return {
        levels: { stock: stock + released, reserved, sold, held: held - quantity },
        quantity: released,
      };
    }
    case 'RESERVE':
      positive();
      if (stock < quantity)
        throw new StockRuleError('insufficient-stock', `Only ${stock} in stock; ${quantity} requested`);
      return {
        levels: { stock: stock - quantity, reserved: reserved + quantity, sold, held },
        quantity: -quantity,
      };
    case 'RELEASE':
      positive();
      if (reserved < quantity)
        throw new StockRuleError(
          'insufficient-reserved',
          `Only ${reserved} reserved; cannot release ${quantity}`,
        );
      return { levels: { stock: stock + quantity, reserved: reserved - quantity, sold, held }, quantity };
    case 'SELL':
      positive();
      if (reserved < quantity)
        throw new StockRuleError(
          'insufficient-reserved',
          `Only ${reserved} reserved; cannot sell ${quantity}`,
        );
      return { levels: { stock, reserved: reserved - quantity, sold: sold + quantity, held }, quantity: 0 };
  }
}

/** SOLD_OUT at zero and back to ACTIVE when restocked; INACTIVE is the admin's and stays. */
export function skuStatusFor(requested: SkuStatus, stock: number): SkuStatus {
  if (requested === 'INACTIVE') return 'INACTIVE';
  return stock > 0 ? 'ACTIVE' : 'SOLD_OUT';
}

export interface ReservableSku extends StockLevels {
  id: number;
  status: SkuStatus;
  removed: boolean;
  /** The product can be sold: ACTIVE, displayed and not deleted. */
  productOrderable: boolean;
}

export interface ReservationLine {
  skuId: number;
  quantity: number;
  levels: StockLevels;
}

export type ReservationPlan =
  | { ok: true; lines: ReservationLine[] }
  | {
      ok: false;
      problems: Array<{
        skuId: number;
        reason: 'unknown-sku' | 'unavailable' | 'insufficient-stock';
        message: string;
      }>;
    };

/**
 * Reserve every item or none: the plan fails as a whole if any line cannot be served. Repeated SKUs
 * are summed; lines come out in SKU id order (the order their rows are locked in).
 */
export function planReservation(
  items: Array<{ skuId: number; quantity: number }>,
  skus: ReservableSku[],
): ReservationPlan {
  const wanted = new Map<number, number>();
  for (const item of items) wanted.set(item.skuId, (wanted.get(item.skuId) ?? 0) + item.quantity);
  const byId = new Map(skus.map((s) => [s.id, s]));
  const problems: Extract<ReservationPlan, { ok: false }>['problems'] = [];
  const lines: ReservationLine[] = [];
  for (const [skuId, quantity] of [...wanted].sort((a, b) => a[0] - b[0])) {
    const sku = byId.get(skuId);
    if (!sku) {
      problems.push({ skuId, reason: 'unknown-sku', message: `SKU ${skuId} does not exist` });
    } else if (!sku.productOrderable || sku.removed || sku.status === 'INACTIVE') {
      problems.push({ skuId, reason: 'unavailable', message: `SKU ${skuId} is not on sale` });
    } else if (sku.stock < quantity) {
      problems.push({
        skuId,
        reason: 'insufficient-stock',
        message: `SKU ${skuId}: ${sku.stock} in stock, ${quantity} requested`,
      });
    } else {
      lines.push({ skuId, quantity, levels: applyMovement(sku, 'RESERVE', quantity).levels });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, lines };
}

export type ReservationState = 'RESERVED' | 'SOLD' | 'RELEASED';

/**
 * Where an order's reservation stands, from the movement types recorded for it: RESTOCK (sold units
 * back after a cancel) or RELEASE end it, SELL sells it.
 */
export function reservationState(types: StockMovementType[]): ReservationState {
  // RETURN and HOLD moves share the claim's key with an exchange's reservation of the new option; not part of it.
  types = types.filter((t) => t !== 'RETURN' && t !== 'HOLD');
  if (types.includes('RESTOCK')) return 'RELEASED';
  if (types.includes('SELL')) return 'SOLD';
  if (types.includes('RELEASE')) return 'RELEASED';
  return 'RESERVED';
}
