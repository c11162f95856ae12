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

  it('labels options in the product order', () => {
    expect(optionLabel({ 색상: '블랙', 사이즈: 'L' })).toBe('블랙 / L');
    expect(optionLabel({})).toBe('');
  });
});
