// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PointCharge } from '../../points/points-api.ts';
import { aPayment, aPointCharge } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ChargeFailPage, ChargeSuccessPage } from './ChargeResultPage.tsx';

const expiredCharge = aPointCharge({
  amount: 8_000,
  status: 'EXPIRED',
  orderName: '포인트 8,000P 충전',
  paidAt: null,
});
const CHARGE_NUMBER = expiredCharge.chargeNumber;

/** payment-service refuses the confirm of a charge that expired while the shopper was at the PG. */
function serve() {
  stubFetch({
    '/api/payments/confirm': () =>
      problem(409, {
        type: 'urn:sagamart:problem:ORDER_CANCELLED',
        detail: 'The order was cancelled; nothing was charged',
      }),
    [`/api/users/me/points/charges/${CHARGE_NUMBER}`]: () => Response.json(expiredCharge),
  });
}

let container: HTMLElement;

/** The result page the PG sends the shopper back to after paying for the charge. */
async function showResult() {
  const link = `/me/points/charge/success?paymentKey=pk-1&orderNumber=${CHARGE_NUMBER}&amount=8000`;
  container = await renderPage(<ChargeSuccessPage />, [link]);
}

afterEach(cleanUpPages);

describe('coming back from the PG after the charge expired', () => {
  it('says the charge expired and anything paid comes back, not that an order was cancelled', async () => {
    serve();
    await showResult();
    const alert = await shown(() => container.querySelector('[role="alert"]'));
    expect(alert?.textContent).toContain('충전이 취소되어 포인트는 충전되지 않았습니다');
    expect(alert?.textContent).not.toContain('취소된 주문');
  });
});

describe('a charge confirm that did not get through', () => {
  const paidCharge: PointCharge = { ...expiredCharge, status: 'PAID', paidAt: '2026-12-07T08:01:00.000Z' };
  const approved = aPayment({ orderId: expiredCharge.chargeId, orderNumber: CHARGE_NUMBER, amount: 8_000 });

  it('offers to try again after a 5xx (the same paymentKey charges once), then shows the points added', async () => {
    let confirms = 0;
    stubFetch({
      '/api/payments/confirm': () => (++confirms === 1 ? problem(503) : Response.json(approved)),
      [`/api/users/me/points/charges/${CHARGE_NUMBER}`]: () => Response.json(paidCharge),
    });
    await showResult();
    const retry = () =>
      [...container.querySelectorAll<HTMLButtonElement>('[role="alert"] button')].find(
        (button) => button.textContent === '다시 시도',
      );
    const offered = await shown(retry);
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('결제를 확인하지 못했습니다');
    expect(offered, 'a retry is offered').toBeDefined();
    await act(async () => offered?.click());

    const result = await shown(() => container.querySelector('[data-testid="charge-result"]'));
    expect(result?.textContent).toContain('포인트로 충전되었습니다');
    expect(confirms).toBe(2);
  });
});

describe('coming back from the PG window the shopper cancelled', () => {
  const cancelledCharge: PointCharge = { ...expiredCharge, status: 'CANCELLED' };

  it('cancels the charge, so the history says 취소됨 now instead of 결제 대기 until it expires', async () => {
    const cancels: string[] = [];
    stubFetch({
      [`POST /api/users/me/points/charges/${CHARGE_NUMBER}/cancel`]: ({ url }) => {
        cancels.push(url.pathname);
        return Response.json(cancelledCharge);
      },
    });
    const link = `/me/points/charge/fail?code=PAY_PROCESS_CANCELED&message=x&orderNumber=${CHARGE_NUMBER}&orderId=${expiredCharge.chargeId}`;
    container = await renderPage(<ChargeFailPage />, [link]);

    await shown(() => cancels.length > 0);
    expect(cancels).toEqual([`/api/users/me/points/charges/${CHARGE_NUMBER}/cancel`]);
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('결제를 취소하셨습니다.');
  });

  it('says the charge was cancelled when the shopper pays it from the PG window after all', async () => {
    stubFetch({
      '/api/payments/confirm': () =>
        problem(409, {
          type: 'urn:sagamart:problem:ORDER_CANCELLED',
          detail: 'The order was cancelled; nothing was charged',
        }),
      [`/api/users/me/points/charges/${CHARGE_NUMBER}`]: () => Response.json(cancelledCharge),
    });
    await showResult();
    const alert = await shown(() => container.querySelector('[role="alert"]'));
    expect(alert?.textContent).toContain('충전을 취소하셨습니다');
    expect(alert?.textContent).toContain('결제된 금액이 있으면 자동으로 환불됩니다');
    expect(alert?.textContent).not.toContain('취소된 주문');
  });
});
