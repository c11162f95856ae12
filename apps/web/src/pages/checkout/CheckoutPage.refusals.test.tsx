// @vitest-environment happy-dom
import { ORDER_MAX_ITEMS } from '@sagamart/contracts/rules';
import { act, type ReactNode } from 'react';
import { type MemoryRouterProps, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CartItem, cart } from '../../cart/cart-store.ts';
import type { MyCoupon } from '../../coupons/coupons-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { buyNowState } from '../../orders/checkout-items.ts';
import type { OrderQuote } from '../../orders/orders-api.ts';
import { aPage, aProduct, aQuote, hoodieInCart } from '../../testing/fixtures.ts';
import {
  cleanUpPages,
  problem,
  type Reading,
  renderPage,
  shown as shownWithin,
  stubFetch,
} from '../../testing/page-harness.tsx';
import { CartPage } from '../shop/CartPage.tsx';
import { ProductDetailPage } from '../shop/ProductDetailPage.tsx';
import { CheckoutPage } from './CheckoutPage.tsx';

// Checkout used to offer coupons without their minimum order amount and refuse one below it with the
// same sentence as any coupon refusal (the problem's `reason` was dropped); a buy-now checkout named
// its item "상품 12" (the SKU id) until the quote came, and kept it, telling the shopper to remove it
// from a cart it was never in, when the SKU was stopped; a cart could hold more different items than
// one order may, and checkout then met a generic refusal.

const hoodie = hoodieInCart({ unitPrice: 20_000 });

const bigOrderCoupon: MyCoupon = {
  couponId: 7,
  code: 'BIG30',
  name: '3만원 이상 3천원 할인',
  discountType: 'FIXED',
  discountValue: 3_000,
  minOrderAmount: 30_000,
  maxDiscount: null,
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  status: 'ISSUED',
  usable: true,
  orderId: null,
  issuedAt: '2026-01-01T00:00:00.000Z',
  reservedAt: null,
  usedAt: null,
  restoredAt: null,
};

/** catalog-service's answer for a product with one SKU (90). */
const socks = aProduct({ productId: 9, skuId: 90, name: '무지 양말', price: 5_000 });

function quoteOf(line: CartItem): OrderQuote {
  return aQuote({
    skuId: line.skuId,
    productId: line.productId,
    productName: line.name,
    skuCode: `S-${line.skuId}`,
    options: {},
    unitPrice: line.unitPrice,
    quantity: line.quantity,
  });
}

/** The platform as checkout meets it; `quote` answers each quote request's body. */
function serve(
  quote: (body: { couponId?: number }) => Response | Promise<Response>,
  coupons: MyCoupon[] = [bigOrderCoupon],
) {
  const quotes: unknown[] = [];
  stubFetch({
    '/api/orders/quote': ({ body: sent }) => {
      const body = JSON.parse(String(sent)) as { couponId?: number };
      quotes.push(body);
      return quote(body);
    },
    '/api/catalog/products/9': () => Response.json(socks),
    '/api/promotion/coupons': () => Response.json(aPage(coupons, { size: 100 })),
    '/api/users/me/points': () => Response.json({ balance: 0, ledger: aPage([], { size: 100 }) }),
    '/api/users/me/addresses': () => Response.json([]),
    '/api/users/me': () => Response.json({ userId: 'u', email: 'a@b.kr', name: '김민준', phone: null }),
  });
  return quotes;
}

let container: HTMLElement;

async function show(node: ReactNode, entries: MemoryRouterProps['initialEntries']) {
  container = await renderPage(node, entries);
}

/** Checkout and the product page read several services before they settle: 3 s, not the harness's 2 s. */
const shown = <T,>(read: Reading<T>) => shownWithin(read, 150);

const alerts = () =>
  [...container.querySelectorAll('[role="alert"]')].map((alert) => alert.textContent ?? '');
const itemsShown = () =>
  [...container.querySelectorAll('table[aria-label="주문 상품"] tr')].map((row) => row.textContent ?? '');

beforeEach(() => {
  window.scrollTo = () => {};
  sessionStorage.clear();
});

afterEach(async () => {
  await cleanUpPages();
  cart.clear();
  await setLanguage('ko');
});

describe('a coupon whose minimum order amount is not met', () => {
  // It used to be choosable, and the quote's refusal then blocked payment: it is now shown as not
  // usable, with its minimum and what is missing (CheckoutPage.coupons.test.tsx has the refusals).
  it('shows its minimum in the picker, as not usable on this order', async () => {
    cart.replace([hoodie]);
    serve(({ couponId }) =>
      couponId === undefined
        ? Response.json(quoteOf(hoodie))
        : problem(409, {
            type: 'urn:sagamart:problem:COUPON_UNAVAILABLE',
            detail: 'The order does not reach the minimum amount for this coupon',
            reason: 'MIN_ORDER_AMOUNT',
          }),
    );
    await show(<CheckoutPage />, ['/checkout']);

    // A card per coupon, not a select's option cut off at 390 px: its name, its terms on a line below.
    const offered = await shown(() =>
      [...container.querySelectorAll<HTMLElement>('[role="radio"]')].find((choice) =>
        choice.textContent?.startsWith('3만원 이상 3천원 할인'),
      ),
    );
    expect(container.querySelector('select')).toBeNull();
    // The points field counts in P, and so does the balance beside it.
    expect(container.textContent).toContain('잔액 0P · 이 주문에 최대 0P');
    await shown(() => offered.textContent?.includes('사용 가능'));
    expect([...offered.querySelectorAll('p')].map((line) => line.textContent)).toEqual([
      '3만원 이상 3천원 할인',
      '3,000원 할인',
      '30,000원 이상 주문 시 사용 가능 · 10,000원 부족',
    ]);

    await act(async () => offered.click());
    expect(offered.getAttribute('aria-checked')).toBe('false');
    expect(alerts()).toEqual([]);
  });
});

// An ORDER policy that already took the whole order left a chosen coupon nothing to take off: the
// summary simply had no coupon row, and the order used the coupon up for 0원. The quote now says the
// coupon is not applied (couponId null) and the order leaves it alone; checkout says so.
describe('a coupon that takes nothing off this order', () => {
  const threeThousandOff: MyCoupon = {
    ...bigOrderCoupon,
    couponId: 8,
    code: 'THREE',
    name: '3천원 할인',
    minOrderAmount: 0,
  };
  /** The whole 20,000원 taken by a policy; the coupon, when asked for, reported as not applied. */
  const allTakenByPolicy = (): OrderQuote => ({
    ...quoteOf(hoodie),
    policyDiscounts: [{ policyId: 1, name: '전액 할인', amount: 20_000 }],
    discountAmount: 20_000,
    payableAmount: 0,
  });
  const notice = () => container.querySelector('[data-testid="coupon-unused"]')?.textContent;

  it('says the coupon is not used on this order and is kept, in Korean and in English', async () => {
    cart.replace([hoodie]);
    const quotes = serve(() => Response.json(allTakenByPolicy()), [threeThousandOff]);
    await show(<CheckoutPage />, ['/checkout']);

    const choice = await shown(() =>
      [...container.querySelectorAll<HTMLElement>('[role="radio"]')].find((radio) =>
        radio.textContent?.startsWith('3천원 할인'),
      ),
    );
    expect(notice()).toBeUndefined();
    await act(async () => choice.click());
    const said = await shown(notice);
    expect(quotes.at(-1)).toMatchObject({ couponId: 8 });
    expect(said).toContain('이 주문에서는 이 쿠폰으로 할인되는 금액이 없어 쿠폰을 쓰지 않습니다');
    expect(said).toContain('쿠폰은 그대로 남습니다');
    // Nothing is refused: the order can still be placed, at 0원.
    expect(alerts()).toEqual([]);
    expect(container.querySelector('[data-testid="amount-payable"]')?.textContent).toBe('0원');

    await act(async () => setLanguage('en'));
    expect(notice()).toContain('This coupon takes nothing off this order');

    // Back to no coupon: nothing to say.
    const none = [...container.querySelectorAll<HTMLElement>('[role="radio"]')].find((radio) =>
      radio.textContent?.startsWith('No coupon'),
    );
    await act(async () => none?.click());
    await shown(() => notice() === undefined);
  }, 15_000);

  it('says nothing when the coupon takes its amount off', async () => {
    cart.replace([hoodie]);
    serve(
      ({ couponId }) =>
        Response.json(
          couponId === undefined
            ? quoteOf(hoodie)
            : {
                ...quoteOf(hoodie),
                couponId,
                couponDiscount: 3_000,
                discountAmount: 3_000,
                payableAmount: 17_000,
              },
        ),
      [threeThousandOff],
    );
    await show(<CheckoutPage />, ['/checkout']);

    const choice = await shown(() =>
      [...container.querySelectorAll<HTMLElement>('[role="radio"]')].find((radio) =>
        radio.textContent?.startsWith('3천원 할인'),
      ),
    );
    await act(async () => choice.click());
    await shown(() => container.querySelector('[data-testid="amount-coupon"]'));
    expect(notice()).toBeUndefined();
  }, 15_000);
});

describe('buy now', () => {
  const buyNowEntry = (state?: unknown) => [{ pathname: '/checkout', search: '?buyNow=12:1', state }];

  it('names its item from the product page while the quote is on its way, never by its SKU id', async () => {
    serve(() => new Promise<Response>(() => {}));
    await show(
      <CheckoutPage />,
      buyNowEntry(
        buyNowState({ skuId: 12, name: '캔버스 토트백', optionLabel: '아이보리', unitPrice: 19_000 }),
      ),
    );

    const rows = await shown(() => itemsShown().length > 0 && itemsShown());
    expect(rows).toEqual(['캔버스 토트백아이보리19,000원× 1']);
  });

  it('is named from the product page it was bought from', async () => {
    serve(() => new Promise<Response>(() => {}));
    await show(
      <Routes>
        <Route path="/products/:id" element={<ProductDetailPage />} />
        <Route path="/checkout" element={<CheckoutPage />} />
      </Routes>,
      ['/products/9'],
    );
    const buy = await shown(() =>
      [...container.querySelectorAll('button')].find((button) => button.textContent === '바로 구매'),
    );
    await act(async () => buy.click());

    const rows = await shown(() => itemsShown().length > 0 && itemsShown());
    expect(rows).toEqual(['무지 양말5,000원× 1']);
  });

  it('shows a neutral name when it came from a link that carries none', async () => {
    serve(() => new Promise<Response>(() => {}));
    await show(<CheckoutPage />, buyNowEntry());

    const rows = await shown(() => itemsShown().length > 0 && itemsShown());
    expect(rows).toEqual(['선택한 상품—× 1']);
    expect(container.textContent).not.toContain('상품 12');
  });

  it('says a stopped item is not on sale without sending the shopper to a cart it is not in', async () => {
    serve(() =>
      problem(409, {
        type: 'urn:sagamart:problem:sku-unavailable',
        detail: 'Not on sale: S-12',
        errors: [{ field: 'items.skuId', message: 'SKU 12 is not on sale' }],
      }),
    );
    await show(<CheckoutPage />, buyNowEntry());

    const refusal = await shown(() => alerts().find((text) => text.includes('판매')));
    expect(refusal).toContain('지금 이 상품은 주문할 수 없습니다');
    expect(refusal).toContain('이 상품은 지금 판매하지 않습니다. 상품 페이지에서 다른 옵션을 골라 주세요.');
    expect(refusal).not.toContain('장바구니');
    expect(container.textContent).not.toContain('상품 12');
  });
});

describe('more different items than one order may hold', () => {
  const lines = Array.from({ length: ORDER_MAX_ITEMS + 2 }, (_, index) => ({
    ...hoodie,
    skuId: 100 + index,
    productId: 100 + index,
  }));

  it('cannot get into the cart', () => {
    cart.replace([]);
    for (const line of lines.slice(0, ORDER_MAX_ITEMS)) expect(cart.add(line)).toBe(true);
    expect(cart.add(lines[ORDER_MAX_ITEMS]!)).toBe(false);
    expect(cart.getSnapshot().items).toHaveLength(ORDER_MAX_ITEMS);
  });

  it('is said on the product page when one more would not fit', async () => {
    cart.replace(lines.slice(0, ORDER_MAX_ITEMS));
    serve(() => Response.json(quoteOf(hoodie)));
    await show(
      <Routes>
        <Route path="/products/:id" element={<ProductDetailPage />} />
      </Routes>,
      ['/products/9'],
    );

    const add = await shown(() =>
      [...container.querySelectorAll('button')].find((button) => button.textContent === '장바구니 담기'),
    );
    await act(async () => add.click());
    const notice = await shown(() => container.querySelector('[role="status"]')?.textContent);
    expect(notice).toContain(`장바구니에는 상품을 ${ORDER_MAX_ITEMS}종류까지 담을 수 있습니다.`);
    expect(cart.getSnapshot().items.some((line) => line.skuId === 90)).toBe(false);
  });

  it('stops checkout with how many to remove, before asking for a quote', async () => {
    cart.replace(lines);
    const quotes = serve(() => Response.json(quoteOf(hoodie)));
    await show(<CheckoutPage />, ['/checkout']);

    const notice = await shown(() => alerts()[0]);
    expect(notice).toContain(
      `한 주문에는 상품을 ${ORDER_MAX_ITEMS}종류까지 담을 수 있습니다. 2종류를 빼고 주문해 주세요.`,
    );
    expect(quotes).toEqual([]);
  });

  it('is said on the cart page, whose checkout button waits until some are removed', async () => {
    cart.replace(lines);
    serve(() => Response.json(quoteOf(hoodie)));
    await show(<CartPage />, ['/cart']);

    expect(await shown(() => alerts().find((text) => text.includes('2종류를 빼고')))).toBeTruthy();
    const checkout = [...container.querySelectorAll('button')].find(
      (button) => button.textContent === '주문하기',
    );
    expect(checkout?.disabled).toBe(true);
    expect(container.querySelector('a[href="/checkout"]')).toBeNull();
  });
});
