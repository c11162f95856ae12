import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { OrderPaymentEntry } from '../../orders/orders-api.ts';
import { paymentStanding } from '../../payments/payment-standing.ts';
import { OrderPaymentsTable } from './OrderPaymentsTable.tsx';

afterEach(() => setLanguage('ko'));

/** An order's payment as order-service lists it: returns never change its APPROVED status. */
const approved: OrderPaymentEntry = {
  paymentId: 'pay-1',
  paymentKey: 'pk-1',
  status: 'APPROVED',
  amount: 26_000,
  method: '카드',
  code: null,
  message: null,
  approvedAt: '2026-12-01T01:00:00.000Z',
  failedAt: null,
  refundedAt: null,
};

/** The badge's words on the shopper's (and the admin's) order page, for an order returns got this much back of. */
const badge = (returnsRefundedAmount: number) => {
  const html = renderToStaticMarkup(
    <MantineProvider>
      <OrderPaymentsTable payments={[approved]} returnsRefundedAmount={returnsRefundedAmount} />
    </MantineProvider>,
  );
  return /mantine-Badge-label">([^<]*)</.exec(html)?.[1];
};

describe('an order’s payment after returns', () => {
  it('reads refunded once returns gave it all back, partly refunded before, approved without any', async () => {
    expect(badge(26_000)).toBe('환불 완료');
    expect(badge(7_000)).toBe('부분 환불');
    expect(badge(0)).toBe('승인');
    await setLanguage('en');
    expect(badge(26_000)).toBe('Refunded');
    expect(badge(7_000)).toBe('Partly refunded');
  });

  it('leaves a payment that is not approved as it is', () => {
    expect(paymentStanding({ status: 'REFUNDED', amount: 26_000 }, 0)).toBe('REFUNDED');
    expect(paymentStanding({ status: 'FAILED', amount: 26_000 }, 26_000)).toBe('FAILED');
    expect(paymentStanding({ status: 'PENDING', amount: 26_000 }, 0)).toBe('PENDING');
  });
});

describe('an order’s payment method', () => {
  const method = () =>
    renderToStaticMarkup(
      <MantineProvider>
        <OrderPaymentsTable payments={[approved]} returnsRefundedAmount={0} />
      </MantineProvider>,
    ).replace(/<[^>]+>/g, ' ');

  it('reads in the page’s language, as the PG names it only in Korean', async () => {
    expect(method()).toContain('카드');
    await setLanguage('en');
    expect(method()).toContain('Card');
    expect(method()).not.toContain('카드');
  });
});
