// @vitest-environment happy-dom
import { act } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cart } from '../../cart/cart-store.ts';
import { saveCheckoutDraft } from '../../orders/checkout-draft.ts';
import { anOrder, aPage, aPayment, aQuote } from '../../testing/fixtures.ts';
import {
  cleanUpPages,
  type Reading,
  renderPage,
  shown as shownWithin,
  stubFetch,
} from '../../testing/page-harness.tsx';
import { CheckoutPage } from '../checkout/CheckoutPage.tsx';
import { PaymentFailPage } from './PaymentFailPage.tsx';
import { PaymentSuccessPage } from './PaymentSuccessPage.tsx';

// A buy-now order whose card was declined, or whose PG window was cancelled: "주문/결제로 돌아가기"
// opened a bare /checkout, which showed an empty cart (the buy-now item is in none), while the page
// above it promised the items and the address were kept. The order left unpaid has its own page to
// pay it from; the way back to checkout carries the buy-now item.

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';
const ORDER_NUMBER = 'ORD-20261207-7RC9BKRB';
const SKU_ID = 12;

/** The totes' line as the order holds it. */
const toteLine = {
  id: 1,
  skuId: SKU_ID,
  productId: 4,
  productName: '캔버스 토트백',
  skuCode: 'TOTE-IV',
  options: { 색상: '아이보리' },
  unitPrice: 19_000,
  quantity: 2,
  lineTotal: 38_000,
  thumbnailUrl: null,
  optionLabel: '아이보리',
  discountShare: 0,
  pointsShare: 0,
  payableShare: 38_000,
};

const unpaid = anOrder({
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  status: 'PAYMENT_PENDING',
  orderName: '캔버스 토트백',
  subtotal: 38_000,
  payableAmount: 38_000,
  paidAt: null,
  items: [toteLine],
  delivery: {
    receiverName: '이지우',
    receiverPhone: '010-1234-5678',
    zipcode: '48094',
    address: '부산시 해운대구 해운대로 77',
    addressDetail: '1203호',
    memo: null,
  },
});
const declined = { ...unpaid, status: 'CANCELLED', cancelReason: 'PAYMENT_FAILED' } as const;

const quote = aQuote({
  skuId: SKU_ID,
  productId: 4,
  productName: '캔버스 토트백',
  skuCode: 'TOTE-IV',
  options: { 색상: '아이보리' },
  unitPrice: 19_000,
  quantity: 2,
});

/** The platform: the buy-now order is placed unpaid; `order` is what reading it answers afterwards. */
function serve(order: () => Response) {
  const placed: unknown[] = [];
  stubFetch({
    '/api/orders/quote': () => Response.json(quote),
    'POST /api/orders': ({ body }) => {
      placed.push(JSON.parse(String(body)));
      return Response.json(unpaid, { status: 201 });
    },
    [`GET /api/orders/${ORDER_ID}`]: order,
    [`POST /api/orders/${ORDER_ID}/cancel`]: () => Response.json({ ...unpaid, status: 'CANCELLED' }),
    '/api/payments/confirm': () =>
      Response.json(aPayment({ orderId: ORDER_ID, status: 'FAILED', failureCode: 'CARD_DECLINED' })),
    '/api/promotion/coupons': () => Response.json(aPage([], { size: 100 })),
    '/api/users/me/points': () => Response.json({ balance: 0, ledger: aPage([], { size: 100 }) }),
    '/api/users/me/addresses': () => Response.json([]),
    '/api/users/me': () => Response.json({ userId: 'u', email: 'a@b.kr', name: '이지우', phone: null }),
  });
  return placed;
}

function Where() {
  const location = useLocation();
  return <output data-testid="where">{`${location.pathname}${location.search}`}</output>;
}

/** Checkout and the PG's result pages, opened at `at`. */
const renderCheckoutAndPayment = (at: string) =>
  renderPage(
    <>
      <Routes>
        <Route path="/checkout" element={<CheckoutPage />} />
        <Route path="/payment/fail" element={<PaymentFailPage />} />
        <Route path="/payment/success" element={<PaymentSuccessPage />} />
        <Route path="/me/orders/:id" element={<p>order page</p>} />
      </Routes>
      <Where />
    </>,
    [at],
  );

let container: HTMLElement;
const shown = <T,>(read: Reading<T>) => shownWithin(read, 150);
const where = () => container.querySelector('[data-testid="where"]')?.textContent;
const link = (text: string) =>
  [...container.querySelectorAll<HTMLAnchorElement>('a')].find((anchor) => anchor.textContent === text);

/**
 * Buys the tote bag now (two of them) through `platform` and leaves for the PG; the PG sends the
 * shopper back to `back`. Answers the orders placed.
 */
async function buyNowAndComeBackTo(back: string, platform: () => unknown[]): Promise<unknown[]> {
  const placed = platform();
  const leftFor: string[] = [];
  vi.spyOn(window.location, 'assign').mockImplementation((url) => void leftFor.push(String(url)));
  container = await renderCheckoutAndPayment(`/checkout?buyNow=${SKU_ID}:2`);
  const pay = await shown(() =>
    [...container.querySelectorAll<HTMLButtonElement>('button[type="submit"]')].find((b) => !b.disabled),
  );
  await act(async () => pay.click());
  await shown(() => leftFor.length === 1);
  // The PG's window, then back: a fresh page load of the result page.
  await cleanUpPages();
  platform();
  container = await renderCheckoutAndPayment(back);
  return placed;
}

/** Checkout, showing the tote bags it came back with. */
const checkoutOfTheTotes = () =>
  container.querySelector('form')?.textContent?.includes('캔버스 토트백아이보리19,000원 × 2개');

beforeEach(() => {
  window.scrollTo = () => {};
  cart.clear();
  // The address typed last time (a payment that did not go through keeps it).
  saveCheckoutDraft({
    delivery: {
      receiverName: '이지우',
      receiverPhone: '010-1234-5678',
      zipcode: '06236',
      address: '서울시 강남구 테헤란로 1',
      addressDetail: '',
      memo: '',
    },
    orderId: null,
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await cleanUpPages();
  sessionStorage.clear();
});

describe('a buy-now payment cancelled at the PG', () => {
  it('offers to pay the order left unpaid from its page, and a way back to checkout with the same item', async () => {
    const placed = await buyNowAndComeBackTo(
      `/payment/fail?code=PAY_PROCESS_CANCELED&message=x&orderNumber=${ORDER_NUMBER}&orderId=${ORDER_ID}`,
      () => serve(() => Response.json(unpaid)),
    );
    expect(placed).toHaveLength(1);

    const payIt = await shown(() => link('이 주문 결제하기'));
    expect(payIt.getAttribute('href')).toBe(`/me/orders/${ORDER_ID}`);
    const back = link('주문/결제로 돌아가기');
    expect(back?.getAttribute('href')).toBe(`/checkout?reorder=${ORDER_ID}`);

    await act(async () => back?.click());
    await shown(() => where() === `/checkout?reorder=${ORDER_ID}`);
    await shown(checkoutOfTheTotes);
    expect(container.textContent).not.toContain('장바구니가 비어');
  });
});

describe('a buy-now payment declined by the card', () => {
  it('goes back to checkout with the same item, not to an empty cart', async () => {
    // The decline cancels the order: there is nothing left to pay, only to order again.
    await buyNowAndComeBackTo(
      `/payment/success?paymentKey=pk-1&orderNumber=${ORDER_NUMBER}&amount=38000&orderId=${ORDER_ID}`,
      () => serve(() => Response.json(declined)),
    );

    const back = await shown(() => link('다시 주문하기'));
    expect(container.querySelector('h1')?.textContent).toBe('결제 실패');
    expect(back.getAttribute('href')).toBe(`/checkout?reorder=${ORDER_ID}`);
    await act(async () => back.click());
    await shown(checkoutOfTheTotes);
    expect(container.textContent).not.toContain('장바구니가 비어');
  });
});

/** A fresh page load of `at` in a tab with no checkout draft (the order was paid from 주문 내역, or in another tab). */
async function arriveWithoutDraft(at: string, order: () => Response) {
  sessionStorage.clear();
  const placed = serve(order);
  container = await renderCheckoutAndPayment(at);
  return placed;
}

const addressField = () =>
  container.querySelector<HTMLInputElement>('input[autocomplete="shipping street-address"]');
const shownText = () => container.textContent ?? '';

// The decline cancels the order (the saga does): the page said "다른 카드로 시도해 주세요" and "장바구니와
// 배송지는 그대로 있으니", and the way back opened a checkout that said the cart was empty when this tab
// held no draft of that order.
describe('a card declined for an order paid from 주문 내역 (no draft in this tab)', () => {
  it('says the order is cancelled and orders the same lines again, to the order’s address', async () => {
    const placed = await arriveWithoutDraft(
      `/payment/success?paymentKey=pk-1&orderNumber=${ORDER_NUMBER}&amount=38000&orderId=${ORDER_ID}`,
      () => Response.json(declined),
    );

    const again = await shown(() => link('다시 주문하기'));
    expect(shownText()).toContain(`주문 ${ORDER_NUMBER}는 취소되었고`);
    expect(shownText()).not.toContain('다른 카드로 시도해 주세요');
    expect(shownText()).not.toContain('장바구니와 배송지는 그대로');
    expect(link('주문/결제로 돌아가기')).toBeUndefined();

    await act(async () => again.click());
    await shown(checkoutOfTheTotes);
    expect(container.textContent).not.toContain('장바구니가 비어');
    await shown(() => addressField()?.value === '부산시 해운대구 해운대로 77');

    // Placed again through the server, as any checkout: the same line, the order's delivery.
    const pay = await shown(() =>
      [...container.querySelectorAll<HTMLButtonElement>('button[type="submit"]')].find((b) => !b.disabled),
    );
    vi.spyOn(window.location, 'assign').mockImplementation(() => {});
    await act(async () => pay.click());
    await shown(() => placed.length === 1);
    expect(placed[0]).toMatchObject({
      items: [{ skuId: SKU_ID, quantity: 2 }],
      delivery: { zipcode: '48094', address: '부산시 해운대구 해운대로 77', addressDetail: '1203호' },
    });
  });
});

describe('the PG’s fail page for an order that is not waiting for payment', () => {
  it('offers only the order for one already paid, never to pay it again', async () => {
    await arriveWithoutDraft(
      `/payment/fail?code=PAY_PROCESS_CANCELED&message=x&orderNumber=${ORDER_NUMBER}&orderId=${ORDER_ID}`,
      () => Response.json({ ...unpaid, status: 'PAID', paidAt: '2026-12-07T08:01:00.000Z' }),
    );

    const view = await shown(() => link('주문 보기'));
    expect(view.getAttribute('href')).toBe(`/me/orders/${ORDER_ID}`);
    expect(container.querySelector('h1')?.textContent).toBe('이미 결제된 주문입니다');
    expect(link('이 주문 결제하기')).toBeUndefined();
    expect(link('주문/결제로 돌아가기')).toBeUndefined();
    expect(shownText()).not.toContain('잠시 동안 확보되어 있습니다');
  });

  it('offers to order a cancelled one again, not to pay it', async () => {
    await arriveWithoutDraft(
      `/payment/fail?code=PAY_PROCESS_CANCELED&message=x&orderNumber=${ORDER_NUMBER}&orderId=${ORDER_ID}`,
      () => Response.json(declined),
    );

    const again = await shown(() => link('다시 주문하기'));
    expect(again.getAttribute('href')).toBe(`/checkout?reorder=${ORDER_ID}`);
    expect(shownText()).toContain(`주문 ${ORDER_NUMBER}는 취소되었습니다`);
    expect(link('이 주문 결제하기')).toBeUndefined();
  });
});
