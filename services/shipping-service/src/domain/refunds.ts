// Refund arithmetic of returns: pure and exact (integer won). Each order line carries its share of
// what was paid through the PG (payableShare) and of the points used (pointsShare), fixed by
// order-service when the order was placed. Returning k of a line's n units refunds share × k ÷ n,
// rounded down; the return that takes the line's last unit gets whatever of the share is left, so a
// line returned in any number of steps refunds exactly its share, and a whole order exactly what was paid.

export interface LineShares {
  orderItemId: number;
  /** Units bought. */
  quantity: number;
  payableShare: number;
  pointsShare: number;
  /** Units returned by earlier completed returns, and what they refunded. */
  returnedQuantity: number;
  refundedAmount: number;
  pointsRefunded: number;
}

export interface LineRefund {
  orderItemId: number;
  quantity: number;
  refundAmount: number;
  pointsRefund: number;
}

/** share × k ÷ n rounded down, in exact integer arithmetic whatever the sizes. */
function proportion(share: number, k: number, n: number): number {
  return Number((BigInt(share) * BigInt(k)) / BigInt(n));
}

/** What returning `units` more units of the line refunds (throws when more than are left). */
export function lineRefund(line: LineShares, units: number): LineRefund {
  if (!Number.isInteger(units) || units < 1 || line.returnedQuantity + units > line.quantity) {
    throw new RangeError(
      `Line ${line.orderItemId}: cannot return ${units} of ${line.quantity - line.returnedQuantity} units left`,
    );
  }
  const takesLastUnit = line.returnedQuantity + units === line.quantity;
  return {
    orderItemId: line.orderItemId,
    quantity: units,
    refundAmount: takesLastUnit
      ? line.payableShare - line.refundedAmount
      : proportion(line.payableShare, units, line.quantity),
    pointsRefund: takesLastUnit
      ? line.pointsShare - line.pointsRefunded
      : proportion(line.pointsShare, units, line.quantity),
  };
}

export interface ReturnRefund {
  lines: LineRefund[];
  /** Σ lines' refundAmount − fee: what the PG gives back. */
  refundAmount: number;
  pointsRefund: number;
  /** The fee kept: the configured fee, at most what the lines refund. */
  feeAmount: number;
  /** After this return every unit of every line is returned. */
  wholeOrder: boolean;
}

/**
 * The refund of one return over the order's lines. `requested` maps order item ids to units; `fee`
 * is the return shipping fee owed (0 unless the reason is CHANGE_OF_MIND).
 */
export function returnRefund(
  lines: readonly LineShares[],
  requested: ReadonlyMap<number, number>,
  fee: number,
): ReturnRefund {
  const byId = new Map(lines.map((l) => [l.orderItemId, l]));
  const refunds: LineRefund[] = [];
  for (const [orderItemId, units] of requested) {
    const line = byId.get(orderItemId);
    if (!line) throw new RangeError(`Line ${orderItemId} is not part of this order`);
    refunds.push(lineRefund(line, units));
  }
  const gross = refunds.reduce((sum, r) => sum + r.refundAmount, 0);
  const feeAmount = Math.min(Math.max(fee, 0), gross);
  const wholeOrder = lines.every(
    (l) => l.returnedQuantity + (requested.get(l.orderItemId) ?? 0) === l.quantity,
  );
  return {
    lines: refunds,
    refundAmount: gross - feeAmount,
    pointsRefund: refunds.reduce((sum, r) => sum + r.pointsRefund, 0),
    feeAmount,
    wholeOrder,
  };
}

/** 구매확정 points: `rate` of the amount the PG kept, rounded down (rate read to 1/10000). */
export function confirmationPoints(amountPaid: number, rate: number): number {
  const basisPoints = Math.round(rate * 10_000);
  return Number((BigInt(Math.max(amountPaid, 0)) * BigInt(Math.max(basisPoints, 0))) / 10_000n);
}
