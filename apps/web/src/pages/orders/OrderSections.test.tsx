// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { OrderClaims } from '../../orders/after-sale-api.ts';
import type { Order } from '../../orders/orders-api.ts';
import { aClaim, anOrder } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { MyOrderDetailPage } from '../me/MyOrderDetailPage.tsx';

// The order summary on the shopper's order page (items, payments, amounts) after what can happen to
// a paid order: paid with points alone, delivered, partly returned.

const ORDER_ID = '79fd4d6b-70f9-4ff9-91bd-b4be37161586';
const ORDER_NUMBER = 'ORD-20261207-MZSLKKTK';
const PAID_AT = '2026-12-07T11:35:00.000Z';

type Line = Order['items'][number];
const sweatshirts: Line = {
  id: 1,
  skuId: 31,
  productId: 3,
  productName: '오버핏 크루넥 맨투맨',
  skuCode: 'SWEAT-NV-L',
  options: { 색상: '네이비', 사이즈: 'L' },
  unitPrice: 39_000,
  quantity: 2,
  lineTotal: 78_000,
  thumbnailUrl: null,
  optionLabel: '네이비 / L',
  discountShare: 0,
  pointsShare: 0,
  payableShare: 78_000,
};
const chinos: Line = {
  ...sweatshirts,
  id: 2,
  skuId: 41,
  productId: 4,
  productName: '치노 코튼 팬츠',
  skuCode: 'CHINO-KH-30',
  options: { 색상: '카키', 사이즈: '30' },
  unitPrice: 45_000,
  quantity: 1,
  lineTotal: 45_000,
  optionLabel: '카키 / 30',
  payableShare: 45_000,
};

/** Two sweatshirts and chinos by card, delivered; one sweatshirt came back (change of mind, 3,000원 fee). */
const partlyReturned = anOrder({
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  status: 'DELIVERED',
  orderName: '오버핏 크루넥 맨투맨 외 1건',
  firstProductName: '오버핏 크루넥 맨투맨',
  itemCount: 2,
  totalQuantity: 3,
  subtotal: 123_000,
  payableAmount: 123_000,
  items: [sweatshirts, chinos],
  paidAt: PAID_AT,
  cancellable: false,
  deliveredAt: '2026-12-07T11:36:00.000Z',
  refundedAmount: 36_000,
  returnsRefundedAmount: 36_000,
  payments: [
    {
      paymentId: 'pay-1',
      paymentKey: 'pk-1',
      status: 'APPROVED',
      amount: 123_000,
      method: '카드',
      code: null,
      message: null,
      approvedAt: PAID_AT,
      failedAt: null,
      refundedAt: null,
    },
  ],
});
const oneSweatshirtBack: OrderClaims = {
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  claims: [
    aClaim({
      orderId: ORDER_ID,
      orderNumber: ORDER_NUMBER,
      status: 'COMPLETED',
      reason: 'CHANGE_OF_MIND',
      items: [
        {
          orderItemId: sweatshirts.id,
          skuId: sweatshirts.skuId,
          newSkuId: null,
          productName: sweatshirts.productName,
          optionLabel: sweatshirts.optionLabel,
          quantity: 1,
          refundAmount: 39_000,
          pointsRefund: 0,
        },
      ],
      refundAmount: 36_000,
      feeAmount: 3_000,
      completedAt: '2026-12-07T11:41:00.000Z',
    }),
  ],
};

/** A 19,000원 hoodie paid with points alone: nothing went to the PG. */
const paidWithPoints = anOrder({
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  subtotal: 19_000,
  pointsUsed: 19_000,
  payableAmount: 0,
  paidAt: PAID_AT,
  payments: [],
});

let container: HTMLElement;

/** The shopper's page of `order`, the gateway answering with it and `claims` (shipping has nothing yet). */
async function showOrder(order: Order, claims: OrderClaims | null = null) {
  stubFetch({
    [`/api/orders/${ORDER_ID}`]: () => Response.json(order),
    [`/api/orders/${ORDER_ID}/claims`]: () => (claims ? Response.json(claims) : problem(404)),
  });
  container = await renderPage(
    <Routes>
      <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
    </Routes>,
    [`/me/orders/${ORDER_ID}`],
  );
}

const section = (name: string) =>
  container.querySelector<HTMLElement>(`[aria-labelledby="section-${name}"]`) ?? undefined;
/** The amounts as "label: value" pairs, in order. */
const amounts = () =>
  [...(section('amounts')?.querySelectorAll('dt') ?? [])].map(
    (dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`,
  );
const lineMarks = () =>
  [...container.querySelectorAll('[data-testid="order-line"]')].map(
    (line) => line.querySelector('[data-testid="line-claims"]')?.textContent ?? null,
  );

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('an order paid with points alone', () => {
  it('says the points paid for it instead of "no payment yet"', async () => {
    await showOrder(paidWithPoints);
    const payments = await shown(() => section('payments'));
    expect(payments.textContent).toContain('포인트 결제');
    expect(payments.querySelector('[data-testid="points-payment"]')?.textContent).toContain('19,000P');
    expect(payments.textContent).not.toContain('아직 결제 내역이 없습니다');
  });

  it('says so in English too', async () => {
    await setLanguage('en');
    await showOrder(paidWithPoints);
    const payments = await shown(() => section('payments'));
    expect(payments.querySelector('[data-testid="points-payment"]')?.textContent).toContain(
      'Paid with points19,000P',
    );
    expect(payments.textContent).not.toContain('No payment yet');
  });

  it('says nothing was left to pay when discounts covered it all', async () => {
    await showOrder(
      anOrder({ orderId: ORDER_ID, couponDiscount: 19_000, discountAmount: 19_000, payableAmount: 0 }),
    );
    const payments = await shown(() => section('payments'));
    expect(payments.textContent).toBe('결제 내역할인으로 결제할 금액이 없었습니다.');
  });
});

describe('a delivered order one unit of which was returned', () => {
  it('marks the returned unit on its line and shows the net paid under the amount paid', async () => {
    await showOrder(partlyReturned, oneSweatshirtBack);
    await shown(() => lineMarks()[0]);
    expect(lineMarks()).toEqual(['반품 1개', null]);
    expect(amounts()).toEqual([
      '상품 금액: 123,000원',
      '주문 금액: 123,000원',
      '카드 결제 금액: 123,000원',
      '카드 환불 금액: −36,000원',
      '환불 후 카드 결제 금액: 87,000원',
    ]);
    expect(container.textContent).toContain('오버핏 크루넥 맨투맨 외 1건 · ');
  });

  it('reads its card payment as partly refunded by what returns gave back, from an older order-service too', async () => {
    // An order-service from before returnsRefundedAmount sends none: its refundedAmount was the returns'.
    const { returnsRefundedAmount: _unsaid, ...older } = partlyReturned;
    for (const order of [partlyReturned, older]) {
      await showOrder(order, oneSweatshirtBack);
      const payments = await shown(() => section('payments'));
      expect(payments.querySelector('.mantine-Badge-label')?.textContent).toBe('부분 환불');
      await cleanUpPages();
    }
  });

  it('reads as paid in English, with the order named in English', async () => {
    await setLanguage('en');
    await showOrder(partlyReturned, oneSweatshirtBack);
    await shown(() => lineMarks()[0]);
    expect(lineMarks()).toEqual(['1 returned', null]);
    expect(amounts()).toEqual([
      'Subtotal: ₩123,000',
      'Order total: ₩123,000',
      'Card payment: ₩123,000',
      'Card refund: −₩36,000',
      'Card payment after refunds: ₩87,000',
    ]);
    expect(container.textContent).toContain('오버핏 크루넥 맨투맨 and 1 more · ordered');
    expect(container.textContent).not.toContain('외 1건');
  });

  it('marks a return still under way as under way', async () => {
    const [done] = oneSweatshirtBack.claims;
    await showOrder(
      { ...partlyReturned, refundedAmount: 0, returnsRefundedAmount: 0 },
      { ...oneSweatshirtBack, claims: [{ ...done!, status: 'COLLECTING', completedAt: null }] },
    );
    await shown(() => lineMarks()[0]);
    expect(lineMarks()).toEqual(['반품 진행 중 1개', null]);
    expect(amounts()).toEqual(['상품 금액: 123,000원', '주문 금액: 123,000원', '카드 결제 금액: 123,000원']);
  });
});

/** 81,400원 of goods less a 5,000원 coupon: 76,400원, of which 3,000원 in points and 73,400원 by card. */
const partlyByPoints = anOrder({
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  subtotal: 81_400,
  couponId: 7,
  couponDiscount: 5_000,
  discountAmount: 5_000,
  pointsUsed: 3_000,
  payableAmount: 73_400,
  paidAt: PAID_AT,
  payments: [{ ...partlyReturned.payments[0]!, amount: 73_400 }],
});

describe('an order paid partly with points, partly by card', () => {
  it('names the order total the lists show, the points and what the card paid, each for what it is', async () => {
    await showOrder(partlyByPoints);
    await shown(() => section('amounts'));
    expect(amounts()).toEqual([
      '상품 금액: 81,400원',
      '쿠폰 할인: −5,000원',
      '주문 금액: 76,400원',
      '포인트 결제: −3,000P',
      '카드 결제 금액: 73,400원',
    ]);
  });

  it('says what is left to pay by card while the order awaits payment, in English too', async () => {
    await setLanguage('en');
    await showOrder({ ...partlyByPoints, status: 'PAYMENT_PENDING', paidAt: null, payments: [] });
    await shown(() => section('amounts'));
    expect(amounts()).toEqual([
      'Subtotal: ₩81,400',
      'Coupon discount: −₩5,000',
      'Order total: ₩76,400',
      'Points used: −3,000P',
      'To pay: ₩73,400',
    ]);
  });
});

/** A 23,200원 T-shirt the shopper cancelled before paying for it. */
const cancelledUnpaid = anOrder({
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  status: 'CANCELLED',
  cancelReason: 'USER_CANCELLED',
  subtotal: 23_200,
  payableAmount: 23_200,
  paidAt: null,
  cancelledAt: '2026-12-07T11:36:00.000Z',
  cancellable: false,
});

describe('an order cancelled before it was paid', () => {
  it('shows what the order came to, not an amount "to pay", and says nothing was paid', async () => {
    await showOrder(cancelledUnpaid);
    const payments = await shown(() => section('payments'));
    expect(amounts()).toEqual(['상품 금액: 23,200원', '주문 금액: 23,200원']);
    expect(section('amounts')?.textContent).not.toContain('총 결제 금액');
    expect(payments.textContent).toBe('결제 내역결제하기 전에 취소되어 결제된 금액이 없습니다.');
  });

  it('says so in English too', async () => {
    await setLanguage('en');
    await showOrder(cancelledUnpaid);
    const payments = await shown(() => section('payments'));
    expect(amounts()).toEqual(['Subtotal: ₩23,200', 'Order total: ₩23,200']);
    expect(section('amounts')?.textContent).not.toContain('to pay');
    expect(payments.textContent).toBe('PaymentsCancelled before it was paid: nothing was charged.');
  });
});
