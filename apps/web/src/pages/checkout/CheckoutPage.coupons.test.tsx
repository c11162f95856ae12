// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cart } from '../../cart/cart-store.ts';
import type { MyCoupon } from '../../coupons/coupons-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import type { OrderQuote } from '../../orders/orders-api.ts';
import { aPage, aQuote, hoodieInCart } from '../../testing/fixtures.ts';
import {
  cleanUpPages,
  problem,
  renderPage,
  shown as shownWithin,
  stubFetch,
} from '../../testing/page-harness.tsx';
import { CheckoutPage } from './CheckoutPage.tsx';

// A claimed coupon the order did not reach the minimum of (100,000원 on a 12,000원 order) could be
// picked; the quote then refused it, the summary became an error whose 다시 시도 could never succeed,
// and 결제하기 stayed disabled. A buy-now checkout opened from a link (no product page state) named its
// item "선택한 상품 — × 1" while the quote was refused.

const tee = hoodieInCart({
  skuId: 12,
  productId: 3,
  name: '베이직 반팔 티',
  optionLabel: '화이트',
  unitPrice: 12_000,
});

function coupon(overrides: Partial<MyCoupon>): MyCoupon {
  return {
    couponId: 1,
    code: 'C',
    name: '쿠폰',
    discountType: 'FIXED',
    discountValue: 3_000,
    minOrderAmount: 0,
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
    ...overrides,
  };
}

const bigOrderOnly = coupon({
  couponId: 7,
  code: 'BIG',
  name: '10만원 이상 1만원 할인',
  discountValue: 10_000,
  minOrderAmount: 100_000,
});
const threeOff = coupon({ couponId: 8, code: 'THREE', name: '3천원 할인' });

/** The tee's quote, as order-service prices it. */
const teeQuote = (): OrderQuote =>
  aQuote({
    skuId: tee.skuId,
    productId: tee.productId,
    productName: tee.name,
    skuCode: 'TEE-WH',
    options: { 색상: '화이트' },
    unitPrice: tee.unitPrice,
    quantity: 1,
  });

function serve(quote: (body: { couponId?: number }) => Response | Promise<Response>, coupons: MyCoupon[]) {
  const quotes: Array<{ couponId?: number }> = [];
  stubFetch({
    '/api/orders/quote': ({ body }) => {
      const sent = JSON.parse(String(body)) as { couponId?: number };
      quotes.push(sent);
      return quote(sent);
    },
    '/api/promotion/coupons': () => Response.json(aPage(coupons, { size: 100 })),
    '/api/users/me/points': () => Response.json({ balance: 0, ledger: aPage([], { size: 100 }) }),
    '/api/users/me/addresses': () => Response.json([]),
    '/api/users/me': () => Response.json({ userId: 'u', email: 'a@b.kr', name: '김민준', phone: null }),
  });
  return quotes;
}

let container: HTMLElement;
const shown = <T,>(read: () => T | undefined | null | false) => shownWithin(read, 150);
const radios = () => [...container.querySelectorAll<HTMLElement>('[role="radio"]')];
const radio = (name: string) => radios().find((choice) => choice.textContent?.startsWith(name));
const alerts = () =>
  [...container.querySelectorAll('[role="alert"]')].map((alert) => alert.textContent ?? '');
const payButton = () =>
  [...container.querySelectorAll('button')].find((button) => button.getAttribute('type') === 'submit');
/** The items card's text (a table of its lines, priced or not). */
const itemsShown = () => [
  container.querySelector('section[aria-labelledby="items-title"]')?.textContent ?? '',
];

beforeEach(() => {
  window.scrollTo = () => {};
  sessionStorage.clear();
});

afterEach(async () => {
  await cleanUpPages();
  cart.clear();
  await setLanguage('ko');
});

describe('a coupon the order does not reach the minimum of', () => {
  it('is shown as not usable, with why, and cannot be chosen', async () => {
    cart.replace([tee]);
    const quotes = serve(() => Response.json(teeQuote()), [bigOrderOnly, threeOff]);
    container = await renderPage(<CheckoutPage />, ['/checkout']);

    const big = await shown(() => {
      const choice = radio('10만원 이상 1만원 할인');
      return choice?.textContent?.includes('사용 가능') && choice;
    });
    expect(big.textContent).toContain('100,000원 이상 주문 시 사용 가능');
    expect(big.textContent).toContain('88,000원 부족');
    expect(big.hasAttribute('disabled') || big.getAttribute('data-disabled') === 'true').toBe(true);
    // The usable one comes first and can be chosen.
    expect(radios().map((choice) => choice.textContent?.split('·')[0])).toEqual([
      '쿠폰 사용 안 함',
      expect.stringContaining('3천원 할인'),
      expect.stringContaining('10만원 이상 1만원 할인'),
    ]);

    await act(async () => big.click());
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(big.getAttribute('aria-checked')).toBe('false');
    expect(quotes.some((sent) => sent.couponId === 7)).toBe(false);
    expect(alerts()).toEqual([]);
    expect(payButton()?.disabled).toBe(false);

    await act(async () => setLanguage('en'));
    expect(radio('10만원 이상 1만원 할인')?.textContent).toContain(
      'Usable on orders of ₩100,000 or more · ₩88,000 to go',
    );
  }, 15_000);
});

describe('a coupon the quote refuses', () => {
  it('is dropped with a clear message, and the order can still be paid', async () => {
    cart.replace([tee]);
    const quotes = serve(
      ({ couponId }) =>
        couponId === undefined
          ? Response.json(teeQuote())
          : problem(409, {
              type: 'urn:sagamart:problem:COUPON_UNAVAILABLE',
              detail: 'This coupon is held by another order',
              reason: 'RESERVED',
            }),
      [threeOff],
    );
    container = await renderPage(<CheckoutPage />, ['/checkout']);

    const three = await shown(() => radio('3천원 할인'));
    await act(async () => three.click());
    const notice = await shown(() => container.querySelector('[data-testid="coupon-dropped"]')?.textContent);
    expect(quotes.some((sent) => sent.couponId === 8)).toBe(true);
    expect(notice).toContain('결제를 기다리는 다른 주문에 쓰고 있는 쿠폰입니다');
    expect(notice).toContain('쿠폰 선택을 해제했습니다');

    // Dropped: priced again without it, and payment is not blocked behind a retry that cannot succeed.
    await shown(() => radio('쿠폰 사용 안 함')?.getAttribute('aria-checked') === 'true');
    await shown(() => container.querySelector('[data-testid="amount-payable"]')?.textContent === '12,000원');
    expect(container.textContent).not.toContain('다시 시도');
    expect(payButton()?.disabled).toBe(false);
    expect(quotes.at(-1)).toEqual({ items: [{ skuId: 12, quantity: 1 }] });
  }, 15_000);
});

describe('buy now opened from a link (no product page state)', () => {
  it('names the item from the server, and keeps naming it while a coupon is refused', async () => {
    let refuse: (answer: Response) => void = () => {};
    serve(
      ({ couponId }) =>
        couponId === undefined
          ? Response.json(teeQuote())
          : new Promise<Response>((resolve) => {
              refuse = resolve;
            }),
      [threeOff],
    );
    container = await renderPage(<CheckoutPage />, [{ pathname: '/checkout', search: '?buyNow=12:1' }]);

    const rows = await shown(
      () => itemsShown().some((row) => row.includes('베이직 반팔 티')) && itemsShown(),
    );
    expect(rows.join()).not.toContain('선택한 상품');

    const three = await shown(() => radio('3천원 할인'));
    await act(async () => three.click());
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    await act(async () =>
      refuse(
        problem(409, {
          type: 'urn:sagamart:problem:COUPON_UNAVAILABLE',
          detail: 'This coupon has expired',
          reason: 'EXPIRED',
        }),
      ),
    );
    await shown(() => container.querySelector('[data-testid="coupon-dropped"]'));
    expect(itemsShown().join()).toContain('베이직 반팔 티');
    expect(itemsShown().join()).toContain('12,000원');
    expect(itemsShown().join()).not.toContain('선택한 상품');
  }, 15_000);
});
