// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MyCoupon } from '../../coupons/coupons-api.ts';
import { aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, type SentRequest, shown, stubFetch } from '../../testing/page-harness.tsx';
import { MyCouponsPage } from './MyCouponsPage.tsx';

// 내 쿠폰 was a table 640 px wide that scrolled sideways on a 390 px phone, against the shop's rule
// (apps/web/README.md: a shopper page uses a table only when it fits at 390 px). It is now a card
// per coupon, as my orders and my points are. Its code field's sample, "WELCOME3000", read as a code
// the shop offers, and claiming it said there was no such coupon.

const welcome: MyCoupon = {
  couponId: 41,
  code: 'HELLO-NEW-MEMBER-2026',
  name: '신규 회원 가입 축하 쿠폰',
  discountType: 'FIXED',
  discountValue: 3_000,
  minOrderAmount: 30_000,
  maxDiscount: null,
  validFrom: '2026-12-01T00:00:00.000Z',
  validTo: '2026-12-31T14:59:59.000Z',
  status: 'ISSUED',
  usable: true,
  orderId: null,
  issuedAt: '2026-12-07T08:00:00.000Z',
  reservedAt: null,
  usedAt: null,
  restoredAt: null,
};

const held: MyCoupon = {
  ...welcome,
  couponId: 42,
  code: 'WINTER10',
  name: '겨울 10% 할인',
  discountType: 'RATE',
  discountValue: 10,
  minOrderAmount: 0,
  maxDiscount: 5_000,
  status: 'RESERVED',
  usable: false,
  orderId: '8f14e45f-ceea-4e7a-9b1c-3d2e1f0a9b8c',
};

let container: HTMLElement;

afterEach(cleanUpPages);

describe('내 쿠폰 on a phone', () => {
  it('lists each coupon as a card, with nothing laid out as a table', async () => {
    stubFetch({ 'GET /api/promotion/coupons': () => Response.json(aPage([welcome, held])) });
    container = await renderPage(<MyCouponsPage />, ['/me/coupons']);

    const list = await shown(() => container.querySelector('ul[aria-label="내 쿠폰"]'));
    expect(container.querySelector('table'), 'no table to scroll sideways').toBeNull();
    const cards = [...list.querySelectorAll('li')];
    expect(cards).toHaveLength(2);
    expect(cards[0]?.textContent).toContain('신규 회원 가입 축하 쿠폰');
    expect(cards[0]?.textContent).toContain('3,000원 할인');
    expect(cards[0]?.textContent).toContain('30,000원 이상 주문 시');
    expect(cards[0]?.textContent).toContain('사용 가능');
    expect(cards[1]?.textContent).toContain('10% 할인 (최대 5,000원)');
    // A held coupon links to the order that holds it.
    expect(cards[1]?.querySelector('a')?.getAttribute('href')).toBe(`/me/orders/${held.orderId}`);
  });

  it('asks for a code without offering one that looks real', async () => {
    stubFetch({ 'GET /api/promotion/coupons': () => Response.json(aPage([])) });
    container = await renderPage(<MyCouponsPage />, ['/me/coupons']);

    const field = await shown(() => container.querySelector<HTMLInputElement>('input[autocomplete="off"]'));
    expect(field.placeholder).toBe('받으신 쿠폰 코드를 입력하세요');
    expect(field.placeholder).not.toMatch(/[A-Z]{3,}\d/);
  });
});

describe('내 쿠폰: a page past the last', () => {
  it('says this page has none, not that there is no coupon, and leads back to the first page', async () => {
    stubFetch({
      'GET /api/promotion/coupons': ({ url }: SentRequest) => {
        const page = Number(url.searchParams.get('page') ?? 0);
        return Response.json(
          aPage(page === 0 ? [welcome] : [], { page, totalElements: 1, totalPages: 1, first: page === 0 }),
        );
      },
    });
    container = await renderPage(<MyCouponsPage />, ['/me/coupons?page=7']);
    const back = await shown(() =>
      [...container.querySelectorAll('button')].find((button) => button.textContent === '첫 페이지로'),
    );
    expect(container.textContent).toContain('이 페이지에는 보여 드릴 항목이 없습니다.');
    await act(async () => back.click());
    await shown(() => container.textContent?.includes('신규 회원 가입 축하 쿠폰'));
  });
});
