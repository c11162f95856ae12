// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { Payment } from '../../payments/payments-api.ts';
import { aPage, aPayment } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { PaymentsPage } from './PaymentsPage.tsx';

// In English the payments list printed the PG's own Korean words for a failure ("잔액이 부족합니다."),
// and a cancelled order's refund read "Refunded … (Order cancelled (Cancelled by the shopper))".

const declined = aPayment({
  paymentId: 'p-failed',
  status: 'FAILED',
  method: null,
  approvedAt: null,
  failedAt: '2026-12-07T08:02:00.000Z',
  failureCode: 'NOT_ENOUGH_BALANCE',
  failureMessage: '잔액이 부족합니다.',
});
const unknownFailure = aPayment({
  paymentId: 'p-odd',
  status: 'FAILED',
  failureCode: 'SOMETHING_NEW',
  failureMessage: '처음 보는 실패',
});
const refunded = aPayment({
  paymentId: 'p-refunded',
  status: 'REFUNDED',
  refundedAt: '2026-12-07T09:00:00.000Z',
  refundedAmount: 39_000,
  refundReason: 'Order cancelled (USER_CANCELLED)',
});

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

/** The details cell of each payment, in list order. */
async function detailsOf(payments: Payment[]): Promise<string[]> {
  stubFetch({ '/api/admin/payments': () => Response.json(aPage(payments)) });
  const container = await renderPage(<PaymentsPage />, ['/admin/payments']);
  await shown(() => container.querySelectorAll('[data-testid="payment-details"]').length === payments.length);
  return [...container.querySelectorAll('[data-testid="payment-details"]')].map(
    (cell) => cell.textContent ?? '',
  );
}

describe('a payment’s details', () => {
  it('words the PG’s failure by its code in English, never in the PG’s Korean', async () => {
    await setLanguage('en');
    const [failed, odd, refund] = await detailsOf([declined, unknownFailure, refunded]);
    expect(failed).toBe('Not enough balance.');
    expect(odd).toContain('SOMETHING_NEW');
    expect(odd).not.toContain('처음 보는 실패');
    expect(refund).not.toMatch(/\(.*\(/);
    expect(refund).toContain('Order cancelled');
    expect(refund).toContain('Cancelled by the shopper');
  });

  it('reads cleanly in Korean too', async () => {
    const [failed, , refund] = await detailsOf([declined, unknownFailure, refunded]);
    expect(failed).toBe('잔액이 부족합니다.');
    expect(refund).not.toMatch(/\(.*\(/);
    expect(refund).toContain('주문 취소');
    expect(refund).toContain('고객 취소');
  });
});
