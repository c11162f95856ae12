import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n/i18n.ts';
import { refundReasonLabel } from './refund-reason.ts';

afterEach(() => setLanguage('ko'));

describe('refundReasonLabel', () => {
  it('names the cancel reason instead of its code, in either language', async () => {
    expect(refundReasonLabel('Order cancelled (OUT_OF_STOCK)')).toBe('주문 취소 (재고 부족)');
    expect(refundReasonLabel('Points charge cancelled (PAYMENT_FAILED)')).toBe(
      '포인트 충전 취소 (결제 실패)',
    );
    expect(refundReasonLabel('Points charge cancelled (PAYMENT_TIMEOUT)')).toBe(
      '포인트 충전 취소 (결제 기한 초과)',
    );
    expect(refundReasonLabel('Points charge cancelled (USER_CANCELLED)')).toBe(
      '포인트 충전 취소 (고객 취소)',
    );
    await setLanguage('en');
    expect(refundReasonLabel('Order cancelled (ADMIN_CANCELLED)')).toBe(
      'Order cancelled (Cancelled by the shop)',
    );
    expect(refundReasonLabel('Points charge refunded')).toBe('Points charge refunded');
  });

  it('keeps a note it does not know as written', () => {
    expect(refundReasonLabel('Refunded by hand')).toBe('Refunded by hand');
  });
});
