// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { Order } from '../../orders/orders-api.ts';
import { anOrder } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { MyOrderDetailPage } from './MyOrderDetailPage.tsx';

// A cancelled order that used points: its 결제 내역 still shows the points, and that they came back
// (the cancel dialog promised them; the order list still says "포인트 2,000P 사용"); its 주문 금액 says
// what came back to the card, as the order lists do (refundedAmount means the same everywhere).

const ORDER_ID = '5d1c2a7e-8f3b-4e6a-9c0d-1b2a3c4d5e6f';
const CANCELLED_AT = '2026-12-08T05:36:00.000Z';
const RELEASED_AT = '2026-12-08T05:36:30.000Z';

/** A 35,000원 belt, 2,000P off: 33,000원 by card, cancelled by the shopper as order-service shows it. */
function cancelled(overrides: Partial<Order> = {}): Order {
  return anOrder({
    orderId: ORDER_ID,
    orderNumber: 'ORD-20261208-XRTXU5EB',
    status: 'CANCELLED',
    cancelReason: 'USER_CANCELLED',
    cancellable: false,
    subtotal: 35_000,
    pointsUsed: 2_000,
    payableAmount: 33_000,
    paidAt: '2026-12-08T05:35:00.000Z',
    cancelledAt: CANCELLED_AT,
    // Everything given back, the cancel's refund and points included; none of it by returns.
    refundedAmount: 33_000,
    refundedPoints: 2_000,
    returnsRefundedAmount: 0,
    payments: [
      {
        paymentId: 'pay-1',
        paymentKey: 'pk-1',
        status: 'REFUNDED',
        amount: 33_000,
        method: '카드',
        code: null,
        message: null,
        approvedAt: '2026-12-08T05:35:00.000Z',
        failedAt: null,
        refundedAt: '2026-12-08T05:36:40.000Z',
      },
    ],
    timeline: [
      { event: 'PAID', status: 'PAID', note: null, at: '2026-12-08T05:35:00.000Z' },
      { event: 'CANCELLED', status: 'CANCELLED', note: 'USER_CANCELLED', at: CANCELLED_AT },
      { event: 'RESERVATIONS_RELEASED', status: 'CANCELLED', note: null, at: RELEASED_AT },
    ],
    ...overrides,
  });
}

async function pageOf(order: Order) {
  stubFetch({
    [`/api/orders/${ORDER_ID}`]: () => Response.json(order),
    [`/api/shipping/orders/${ORDER_ID}`]: () => problem(404),
    [`/api/orders/${ORDER_ID}/claims`]: () => problem(404),
  });
  return renderPage(
    <Routes>
      <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
    </Routes>,
    [`/me/orders/${ORDER_ID}`],
  );
}

async function paymentsOf(order: Order) {
  const page = await pageOf(order);
  return shown(() => page.querySelector<HTMLElement>('[aria-labelledby="section-payments"]'));
}

/** Each payment's badge, in order. */
const badges = (payments: HTMLElement) =>
  [...payments.querySelectorAll('li:not([data-testid="points-payment"]) .mantine-Badge-label')].map(
    (badge) => badge.textContent,
  );

const pointsLine = (payments: HTMLElement) =>
  payments.querySelector('[data-testid="points-payment"]')?.textContent ?? null;

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('결제 내역 of a cancelled order that used points', () => {
  it('shows the points a paid order used, returned, beside the refunded card payment', async () => {
    const payments = await paymentsOf(cancelled());
    expect(pointsLine(payments)).toBe('반환 완료포인트 결제2,000P2026-12-08 14:36');
    expect(payments.textContent).toContain('환불 완료카드33,000원');
  });

  it('says the points are on their way back while the release is still running', async () => {
    const releasing = cancelled();
    releasing.timeline = releasing.timeline.filter((entry) => entry.event !== 'RESERVATIONS_RELEASED');
    expect(pointsLine(await paymentsOf(releasing))).toBe('반환 중포인트 결제2,000P');
  });

  it('shows the points an unpaid order held, returned, and that nothing was charged', async () => {
    const payments = await paymentsOf(
      cancelled({
        paidAt: null,
        refundedAmount: 0,
        refundedPoints: 0,
        payments: [],
        cancelReason: 'PAYMENT_TIMEOUT',
      }),
    );
    expect(pointsLine(payments)).toBe('반환 완료포인트 사용2,000P2026-12-08 14:36');
    expect(payments.textContent).toContain('결제하기 전에 취소되어 결제된 금액이 없습니다.');
  });

  it('says nothing of points an order was refused before it took them', async () => {
    const payments = await paymentsOf(
      cancelled({
        paidAt: null,
        refundedAmount: 0,
        refundedPoints: 0,
        payments: [],
        cancelReason: 'OUT_OF_STOCK',
        timeline: [
          { event: 'CANCELLED', status: 'CANCELLED', note: 'OUT_OF_STOCK', at: CANCELLED_AT },
          { event: 'RESERVATIONS_RELEASED', status: 'CANCELLED', note: null, at: RELEASED_AT },
        ],
      }),
    );
    expect(pointsLine(payments)).toBeNull();
    expect(payments.textContent).toBe('결제 내역결제하기 전에 취소되어 결제된 금액이 없습니다.');
  });

  it('says so in English too', async () => {
    await setLanguage('en');
    expect(pointsLine(await paymentsOf(cancelled()))).toBe('ReturnedPaid with points2,000P2026-12-08 14:36');
  });

  it('reads a payment approved after the cancel as approved while its refund is on its way, though the first came back', async () => {
    const [refunded] = cancelled().payments;
    const late = {
      ...refunded!,
      paymentId: 'pay-2',
      paymentKey: 'pk-2',
      status: 'APPROVED' as const,
      approvedAt: '2026-12-08T05:36:50.000Z',
      refundedAt: null,
    };
    const payments = await paymentsOf(cancelled({ payments: [refunded!, late] }));
    // The order's refundedAmount (33,000원, the first payment's refund) is not this payment's: no
    // return gave any of it back.
    expect(badges(payments)).toEqual(['환불 완료', '승인']);
  });
});

describe('주문 금액 of a cancelled paid order', () => {
  const amounts = async (order: Order) => {
    const page = await pageOf(order);
    const section = await shown(() => page.querySelector<HTMLElement>('[aria-labelledby="section-amounts"]'));
    return [...section.querySelectorAll('dt')].map(
      (dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`,
    );
  };

  it('says what came back to the card, as the order list does', async () => {
    expect(await amounts(cancelled())).toEqual([
      '상품 금액: 35,000원',
      '주문 금액: 35,000원',
      '포인트 결제: −2,000P',
      '카드 결제 금액: 33,000원',
      '카드 환불 금액: −33,000원',
      '환불 후 카드 결제 금액: 0원',
    ]);
  });

  it('says the card paid it until its refund is done', async () => {
    const [payment] = cancelled().payments;
    const refunding = cancelled({
      refundedAmount: 0,
      payments: [{ ...payment!, status: 'APPROVED', refundedAt: null }],
    });
    expect(await amounts(refunding)).toEqual([
      '상품 금액: 35,000원',
      '주문 금액: 35,000원',
      '포인트 결제: −2,000P',
      '카드 결제 금액: 33,000원',
    ]);
  });
});
