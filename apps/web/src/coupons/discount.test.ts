import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n/i18n.ts';
import { describeDiscount, describeMinimum } from './discount.ts';

describe('discount wording', () => {
  beforeAll(() => setLanguage('en'));
  afterAll(() => setLanguage('ko'));

  it('prints fixed amounts as formatted won and rates with their cap', () => {
    expect(describeDiscount({ discountType: 'FIXED', discountValue: 3_000, maxDiscount: null })).toBe(
      '₩3,000 off',
    );
    expect(describeDiscount({ discountType: 'RATE', discountValue: 10, maxDiscount: 5_000 })).toBe(
      '10% off (up to ₩5,000)',
    );
    expect(describeDiscount({ discountType: 'RATE', discountValue: 15, maxDiscount: null })).toBe('15% off');
  });

  it('mentions a minimum order only when there is one', () => {
    expect(describeMinimum(30_000)).toBe('Orders from ₩30,000');
    expect(describeMinimum(0)).toBeNull();
  });
});

describe('discount wording in Korean', () => {
  it('reads as a Korean shop writes it', () => {
    expect(describeDiscount({ discountType: 'FIXED', discountValue: 3_000, maxDiscount: null })).toBe(
      '3,000원 할인',
    );
    expect(describeDiscount({ discountType: 'RATE', discountValue: 10, maxDiscount: 5_000 })).toBe(
      '10% 할인 (최대 5,000원)',
    );
    expect(describeMinimum(30_000)).toBe('30,000원 이상 주문 시');
  });
});
