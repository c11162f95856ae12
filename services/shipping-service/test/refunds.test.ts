import { describe, expect, it } from 'vitest';
import { confirmationPoints, type LineShares, lineRefund, returnRefund } from '../src/domain/refunds.ts';

const line = (overrides: Partial<LineShares> = {}): LineShares => ({
  orderItemId: 1,
  quantity: 3,
  payableShare: 26_182,
  pointsShare: 1_091,
  returnedQuantity: 0,
  refundedAmount: 0,
  pointsRefunded: 0,
  ...overrides,
});

/** Applies a refund to a line the way shipping-service records it. */
const after = (l: LineShares, units: number): LineShares => {
  const r = lineRefund(l, units);
  return {
    ...l,
    returnedQuantity: l.returnedQuantity + units,
    refundedAmount: l.refundedAmount + r.refundAmount,
    pointsRefunded: l.pointsRefunded + r.pointsRefund,
  };
};

describe('refunds of returned units', () => {
  it('refunds share × k ÷ n rounded down for k of n units', () => {
    expect(lineRefund(line(), 1)).toEqual({
      orderItemId: 1,
      quantity: 1,
      refundAmount: 8_727,
      pointsRefund: 363,
    });
    expect(lineRefund(line(), 2)).toEqual({
      orderItemId: 1,
      quantity: 2,
      refundAmount: 17_454,
      pointsRefund: 727,
    });
  });

  it("gives the line's last unit the remainder, so a line returned in steps refunds exactly its share", () => {
    const once = after(line(), 1);
    const twice = after(once, 1);
    expect(lineRefund(twice, 1)).toEqual({
      orderItemId: 1,
      quantity: 1,
      refundAmount: 26_182 - 8_727 - 8_727,
      pointsRefund: 1_091 - 363 - 363,
    });
    expect(lineRefund(once, 2).refundAmount).toBe(26_182 - 8_727);
    expect(lineRefund(line(), 3).refundAmount).toBe(26_182);
  });

  it('refuses more units than are left', () => {
    expect(() => lineRefund(after(line(), 2), 2)).toThrow(RangeError);
    expect(() => lineRefund(line(), 0)).toThrow(RangeError);
  });

  it('adds up to exactly what was paid over a whole order, in any order of partial returns', () => {
    // Deterministic pseudo-random orders and return sequences.
    let seed = 42;
    const rand = (bound: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % bound;
    };
    for (let round = 0; round < 200; round++) {
      let lines: LineShares[] = Array.from({ length: 1 + rand(4) }, (_, i) =>
        line({
          orderItemId: i + 1,
          quantity: 1 + rand(7),
          payableShare: rand(200_000),
          pointsShare: rand(5_000),
        }),
      );
      const paid = lines.reduce((s, l) => s + l.payableShare, 0);
      const points = lines.reduce((s, l) => s + l.pointsShare, 0);
      let refunded = 0;
      let pointsBack = 0;
      while (lines.some((l) => l.returnedQuantity < l.quantity)) {
        const requested = new Map<number, number>();
        for (const l of lines) {
          const left = l.quantity - l.returnedQuantity;
          if (left > 0 && rand(2) === 0) requested.set(l.orderItemId, 1 + rand(left));
        }
        if (!requested.size) continue;
        const refund = returnRefund(lines, requested, 0);
        refunded += refund.refundAmount;
        pointsBack += refund.pointsRefund;
        for (const r of refund.lines) expect(r.refundAmount).toBeGreaterThanOrEqual(0);
        lines = lines.map((l) =>
          requested.has(l.orderItemId) ? after(l, requested.get(l.orderItemId)!) : l,
        );
        expect(refund.wholeOrder).toBe(lines.every((l) => l.returnedQuantity === l.quantity));
      }
      expect(refunded).toBe(paid);
      expect(pointsBack).toBe(points);
    }
  });

  it('keeps the return fee from the PG refund, never more than the lines refund', () => {
    const lines = [line(), line({ orderItemId: 2, quantity: 1, payableShare: 21_818, pointsShare: 909 })];
    const refund = returnRefund(lines, new Map([[1, 1]]), 3_000);
    expect(refund).toMatchObject({
      refundAmount: 8_727 - 3_000,
      pointsRefund: 363,
      feeAmount: 3_000,
      wholeOrder: false,
    });
    const tiny = returnRefund([line({ payableShare: 2_000, quantity: 1 })], new Map([[1, 1]]), 3_000);
    expect(tiny).toMatchObject({ refundAmount: 0, feeAmount: 2_000, wholeOrder: true });
    expect(
      returnRefund(
        lines,
        new Map([
          [1, 3],
          [2, 1],
        ]),
        0,
      ),
    ).toMatchObject({ refundAmount: 48_000, wholeOrder: true });
  });

  it('awards 1 % of the amount paid, rounded down, exactly', () => {
    expect(confirmationPoints(48_000, 0.01)).toBe(480);
    expect(confirmationPoints(48_099, 0.01)).toBe(480);
    expect(confirmationPoints(99, 0.01)).toBe(0);
    expect(confirmationPoints(2_900, 0.029)).toBe(84);
  });
});
