// @vitest-environment happy-dom
import { Notifications } from '@mantine/notifications';
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { cleanUpPages, renderPage, shown, stubFetch, typeInto } from '../../testing/page-harness.tsx';
import { CouponFormPage } from './CouponFormPage.tsx';

// Past a limit, the coupon form said "원 단위 정수로 입력하거나, 조건이 없으면 비워 두세요." under
// 999,999,999,999,999원 (a whole amount in won, the limit never said), "1 이상의 정수로…" under a
// total issue limit of 200,000,000, and "할인 금액은 …" under a rate coupon's 최대 할인 금액. Each
// message names its own field and the limit promotion-service holds it to (platform/contracts).

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

async function showNewCoupon() {
  const posted: unknown[] = [];
  stubFetch({
    'POST /api/admin/promotion/coupons': ({ body }) => {
      posted.push(JSON.parse(String(body)));
      return Response.json({}, { status: 201 });
    },
  });
  const container = await renderPage(
    <>
      <Notifications />
      <Routes>
        <Route path="/admin/coupons/new" element={<CouponFormPage />} />
      </Routes>
    </>,
    ['/admin/coupons/new'],
  );
  await shown(() => container.querySelector('form'));
  return { container, posted };
}

/** The control the label names. */
function labelled<T extends HTMLElement>(container: HTMLElement, label: string): T {
  const found = [...container.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  const control = found?.htmlFor ? container.querySelector<T>(`#${CSS.escape(found.htmlFor)}`) : null;
  if (!control) throw new Error(`no field labelled ${label}`);
  return control;
}

/** The error shown under the field the label names. */
function errorOf(container: HTMLElement, label: string): string | undefined {
  const field = labelled(container, label);
  const id = field
    .getAttribute('aria-describedby')
    ?.split(' ')
    .find((part) => part.endsWith('-error'));
  return id ? (container.querySelector(`#${CSS.escape(id)}`)?.textContent ?? undefined) : undefined;
}

async function choose(select: HTMLSelectElement, value: string) {
  const setValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set;
  await act(async () => {
    setValue?.call(select, value);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

async function submit(container: HTMLElement, label: string) {
  const button = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
  await act(async () => button?.click());
}

/** A valid coupon but for what the test types after: code, name and a 1,000원 discount. */
async function fillValid(
  container: HTMLElement,
  labels = { code: '쿠폰 코드', name: '쿠폰명', won: '할인 금액 (원)' },
) {
  await typeInto(labelled<HTMLInputElement>(container, labels.code), 'WELCOME-10');
  await typeInto(labelled<HTMLInputElement>(container, labels.name), '가입 축하');
  await typeInto(labelled<HTMLInputElement>(container, labels.won), '1000');
}

describe('the coupon form past its limits', () => {
  it('names the field and its limit for a minimum order amount too large', async () => {
    const { container, posted } = await showNewCoupon();
    await fillValid(container);
    await typeInto(labelled<HTMLInputElement>(container, '최소 주문 금액'), '999999999999999');
    await submit(container, '쿠폰 등록');

    expect(await shown(() => errorOf(container, '최소 주문 금액'))).toBe(
      '최소 주문 금액은 1,000,000,000,000원 이하로 입력하거나, 조건이 없으면 비워 두세요.',
    );
    expect(posted).toEqual([]);
  });

  it('names the field and its range for a total issue limit too large', async () => {
    const { container, posted } = await showNewCoupon();
    await fillValid(container);
    await typeInto(labelled<HTMLInputElement>(container, '총 발급 한도'), '200000000');
    await submit(container, '쿠폰 등록');

    expect(await shown(() => errorOf(container, '총 발급 한도'))).toBe(
      '총 발급 한도는 1에서 100,000,000 사이로 입력하거나, 제한이 없으면 비워 두세요.',
    );
    expect(posted).toEqual([]);
  });

  it('names the cap, not the discount, for a rate coupon’s cap too large', async () => {
    const { container, posted } = await showNewCoupon();
    await fillValid(container);
    await choose(labelled<HTMLSelectElement>(container, '할인 방식'), 'RATE');
    await typeInto(labelled<HTMLInputElement>(container, '할인율 (%)'), '10');
    await typeInto(labelled<HTMLInputElement>(container, '최대 할인 금액'), '20000000');
    await submit(container, '쿠폰 등록');

    expect(await shown(() => errorOf(container, '최대 할인 금액'))).toBe(
      '최대 할인 금액은 10,000,000원 이하로 입력하세요.',
    );
    expect(posted).toEqual([]);
  });

  it('says the same in English', async () => {
    await setLanguage('en');
    const { container } = await showNewCoupon();
    await fillValid(container, { code: 'Code', name: 'Name', won: 'Discount (won)' });
    await typeInto(labelled<HTMLInputElement>(container, 'Minimum order amount'), '999999999999999');
    await typeInto(labelled<HTMLInputElement>(container, 'Total issue limit'), '200000000');
    await submit(container, 'Create coupon');

    expect(await shown(() => errorOf(container, 'Minimum order amount'))).toBe(
      'The minimum order amount is at most ₩1,000,000,000,000: enter less, or leave it empty for no minimum.',
    );
    expect(errorOf(container, 'Total issue limit')).toBe(
      'The total issue limit is a whole number from 1 to 100,000,000: enter one, or leave it empty for no limit.',
    );
    await choose(labelled<HTMLSelectElement>(container, 'Discount type'), 'RATE');
    await typeInto(labelled<HTMLInputElement>(container, 'Discount (%)'), '10');
    await typeInto(labelled<HTMLInputElement>(container, 'Maximum discount'), '20000000');
    await submit(container, 'Create coupon');
    expect(await shown(() => errorOf(container, 'Maximum discount'))).toBe(
      'The maximum discount is at most ₩10,000,000.',
    );
  });
});
