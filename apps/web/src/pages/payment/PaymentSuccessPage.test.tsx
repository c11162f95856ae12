// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { anOrder, aPayment } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { PaymentSuccessPage } from './PaymentSuccessPage.tsx';

// Back from the PG, the confirm did not get through (the gateway down, payment-service failing):
// the page used to end there, with the payment approved at the PG and nothing to do but leave.

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';
const ORDER_NUMBER = 'ORD-20261207-7RC9BKRB';
const LINK = `/payment/success?paymentKey=pk-1&orderNumber=${ORDER_NUMBER}&amount=39000&orderId=${ORDER_ID}`;

const approved = aPayment({ orderId: ORDER_ID, orderNumber: ORDER_NUMBER });
const paidOrder = anOrder({ orderId: ORDER_ID, orderNumber: ORDER_NUMBER, status: 'PAID' });

/** The gateway, the confirm answering as `confirm` says at the time; the order is paid. */
function serve(confirm: () => Promise<Response>) {
  stubFetch({
    '/api/payments/confirm': () => confirm(),
    [`/api/orders/${ORDER_ID}`]: () => Response.json(paidOrder),
  });
}

let container: HTMLElement;

async function showResult() {
  container = await renderPage(<PaymentSuccessPage />, [LINK]);
}

const heading = () => container.querySelector('h1')?.textContent;
const retryButton = () =>
  [...container.querySelectorAll<HTMLButtonElement>('[role="alert"] button')].find(
    (button) => button.textContent === '다시 시도',
  );

afterEach(async () => {
  await cleanUpPages();
  sessionStorage.clear();
});

describe('a payment confirm that did not get through', () => {
  it('offers to try again after a network failure or a 5xx, and shows the payment once it goes through', async () => {
    const answers = [
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => Promise.resolve(problem(503, { type: 'about:blank' })),
      () => Promise.resolve(Response.json(approved)),
    ];
    let calls = 0;
    serve(() => answers[calls++]!());
    await showResult();

    const afterNetworkFailure = await shown(retryButton);
    await act(async () => afterNetworkFailure.click());
    // Asked again (the page waits meanwhile), and refused again: the offer stands.
    const afterServerFailure = await shown(
      () => calls === 2 && !container.querySelector('[role="status"]') && retryButton(),
    );
    expect(heading()).toBe('결제를 확인하지 못했습니다');
    await act(async () => afterServerFailure.click());

    await shown(() => heading() === '결제 완료');
    expect(container.textContent).toContain(`주문 ${ORDER_NUMBER}의 39,000원을 결제했습니다.`);
    expect(calls).toBe(3);
  });

  // A tampered link answered "입력한 내용을 확인해 주세요" (there was no input) under the page's own
  // heading, repeated as the alert's title.
  it('says a link it cannot confirm once, in words for a link, with the way to my orders', async () => {
    serve(async () => problem(400, { type: 'about:blank', detail: 'amount does not match' }));
    await showResult();

    const alert = await shown(() => container.querySelector('[role="alert"]'));
    expect(heading()).toBe('결제를 확인하지 못했습니다');
    expect(container.textContent?.split('결제를 확인하지 못했습니다')).toHaveLength(2);
    expect(alert.textContent).toContain('이 결제 링크로는 결제를 확인할 수 없습니다');
    expect(alert.textContent).toContain('결제하셨다면 주문 내역에서 주문 상태를 확인해 주세요');
    expect(alert.textContent).not.toContain('입력한 내용을 확인해 주세요');
    expect(container.querySelector('a[href="/me/orders"]')?.textContent).toBe('주문 내역');
  });

  it('keeps a refusal (4xx) final: nothing to try again', async () => {
    serve(async () => problem(409, { type: 'urn:sagamart:problem:ORDER_CANCELLED' }));
    await showResult();

    const alert = await shown(() => container.querySelector('[role="alert"]'));
    expect(heading()).toBe('결제를 확인하지 못했습니다');
    expect(alert.querySelector('button')).toBeNull();
  });
});
