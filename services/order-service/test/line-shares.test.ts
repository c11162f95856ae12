import { describe, expect, it } from 'vitest';
import { allocate, lineShares, optionLabel } from '../src/domain/line-shares.ts';

const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);

describe('line shares', () => {
  it('splits in proportion, rounding down, with the remainder on the last line', () => {
    expect(allocate(1_000, [30_000, 30_000, 30_000])).toEqual([333, 333, 334]);
    expect(allocate(0, [10, 20])).toEqual([0, 0]);
    expect(allocate(7, [7])).toEqual([7]);
  });

  it('never gives a line more than its amount: a remainder the last line cannot hold moves back', () => {
    // Floors give 0 and 0, so the last line (worth 1) would take 2.
    expect(allocate(2, [1, 1, 1])).toEqual([0, 1, 1]);
    expect(allocate(3, [1, 1, 1])).toEqual([1, 1, 1]);
    expect(allocate(5, [4, 4, 1])).toEqual([2, 2, 1]);
  });

  it('refuses to split more than the lines are worth', () => {
    expect(() => allocate(11, [5, 5])).toThrow(RangeError);
    expect(() => allocate(-1, [5])).toThrow(RangeError);
  });

  it('stays exact for large amounts (beyond 2^53 when multiplied)', () => {
    const shares = allocate(999_999_999, [999_000_000_000, 1_000_000_000, 3]);
    expect(sum(shares)).toBe(999_999_999);
    expect(shares[0]).toBe(Math.floor((999_999_999 * 999_000_000_000) / 1_000_000_000_003));
  });

  it('adds up exactly to the order: discounts, points and payable', () => {
    const lines = [
      { unitPrice: 19_900, quantity: 3 },
      { unitPrice: 7_700, quantity: 1 },
      { unitPrice: 12_345, quantity: 2 },
    ];
    const subtotal = 19_900 * 3 + 7_700 + 12_345 * 2;
    const shares = lineShares(lines, 8_001, 3_333);
    expect(sum(shares.map((s) => s.discountShare))).toBe(8_001);
    expect(sum(shares.map((s) => s.pointsShare))).toBe(3_333);
    expect(sum(shares.map((s) => s.payableShare))).toBe(subtotal - 8_001 - 3_333);
    for (const s of shares) {
      expect(s.lineAmount - s.discountShare - s.pointsShare).toBe(s.payableShare);
      expect(s.payableShare).toBeGreaterThanOrEqual(0);
    }
    expect(shares[0]).toEqual({
      lineAmount: 59_700,
      discountShare: 5_186,
      pointsShare: 2_160,
      payableShare: 52_354,
    });
  });

  it('splits points by what each line costs after its discount, and handles a free order', () => {
    const shares = lineShares(
      [
        { unitPrice: 10_000, quantity: 1 },
        { unitPrice: 10_000, quantity: 1 },
      ],
      20_000,
      0,
    );
    expect(shares.map((s) => s.payableShare)).toEqual([0, 0]);
    const points = lineShares(
      [
        { unitPrice: 10_000, quantity: 1 },
        { unitPrice: 5_000, quantity: 1 },
      ],
      0,
      15_000,
    );
    expect(points.map((s) => s.pointsShare)).toEqual([10_000, 5_000]);
  });

  it("keeps a line's own item discount on it and spreads only the order's discounts by what is left", () => {
    // A 50 % PRODUCT discount on X: X costs 50,000, Y 100,000, whatever is returned.
    const targeted = lineShares(
      [
        { unitPrice: 100_000, quantity: 1, itemDiscount: 50_000 },
        { unitPrice: 100_000, quantity: 1, itemDiscount: 0 },
      ],
      50_000,
      0,
    );
    expect(targeted.map((s) => s.discountShare)).toEqual([50_000, 0]);
    expect(targeted.map((s) => s.payableShare)).toEqual([50_000, 100_000]);

    // Item discounts 3,000 and 0, plus 6,001 of ORDER policy and coupon spread over 7,000 / 12,000 / 9,000
    // left (floors 1,500 / 2,571 / 1,928, the remainder 2 on the last line), then 1,000 points.
    const lines = [
      { unitPrice: 5_000, quantity: 2, itemDiscount: 3_000 },
      { unitPrice: 12_000, quantity: 1, itemDiscount: 0 },
      { unitPrice: 3_000, quantity: 3, itemDiscount: 0 },
    ];
    const shares = lineShares(lines, 9_001, 1_000);
    expect(shares.map((s) => s.discountShare)).toEqual([3_000 + 1_500, 2_571, 1_930]);
    expect(sum(shares.map((s) => s.discountShare))).toBe(9_001);
    expect(sum(shares.map((s) => s.pointsShare))).toBe(1_000);
    expect(sum(shares.map((s) => s.payableShare))).toBe(31_000 - 9_001 - 1_000);
    for (const s of shares) expect(s.lineAmount - s.discountShare - s.pointsShare).toBe(s.payableShare);

    // An item discount that eats its whole line takes none of the order's discount.
    const whole = lineShares(
      [
        { unitPrice: 4_000, quantity: 1, itemDiscount: 4_000 },
        { unitPrice: 6_000, quantity: 1, itemDiscount: 0 },
      ],
      5_000,
      0,
    );
    expect(whole.map((s) => s.discountShare)).toEqual([4_000, 1_000]);
  });

  it('refuses item discounts that do not fit their line or the order discount', () => {
    expect(() => lineShares([{ unitPrice: 1_000, quantity: 1, itemDiscount: 1_001 }], 1_001, 0)).toThrow(
      RangeError,
    );
    expect(() => lineShares([{ unitPrice: 1_000, quantity: 1, itemDiscount: 500 }], 400, 0)).toThrow(
      RangeError,
    );
  });

  it('labels options in the product order', () => {
    expect(optionLabel({ 색상: '블랙', 사이즈: 'L' })).toBe('블랙 / L');
    expect(optionLabel({})).toBe('');
  });
});
