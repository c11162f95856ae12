import { describe, expect, it } from 'vitest';
import { describeDiscount, describeMinimum } from './discount.ts';

describe('discount wording', () => {
  it('prints fixed amounts as formatted won and rates with their cap', () => {
    expect(describeDiscount({ discountType: 'FIXED', discountValue: 3_000, maxDiscount: null })).toBe(
      '3,000원 off',
    );
    expect(describeDiscount({ discountType: 'RATE', discountValue: 10, maxDiscount: 5_000 })).toBe(
      '10% off (up to 5,000원)',
    );
    expect(describeDiscount({ discountType: 'RATE', discountValue: 15, maxDiscount: null })).toBe('15% off');
  });

  it('mentions a minimum order only when there is one', () => {
    expect(describeMinimum(30_000)).toBe('Orders from 30,000원');
    expect(describeMinimum(0)).toBeNull();
  });
});
