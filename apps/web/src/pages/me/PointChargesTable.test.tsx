// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { act } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { aPage, aPointCharge } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ApiErrorAlert } from '../../ui/ApiErrorAlert.tsx';
import { PointChargesTable } from './PointChargesTable.tsx';

// user-service refused a refund with its figures in the detail, unformatted ("the balance 5000 is
// less than the charge 10000"), and an English reader was shown that sentence as it came. The table
// now says why in the web's words, in either language.

const paidCharge = aPointCharge();

const notRefundable = () =>
  problem(409, {
    type: 'urn:sagamart:problem:CHARGE_NOT_REFUNDABLE',
    detail: 'Points of this charge have been used: the balance 5000 is less than the charge 10000.',
  });

/** My charges with one paid charge; its refund is refused. */
function serve() {
  stubFetch({
    'GET /api/users/me/points/charges': () => Response.json(aPage([paidCharge], { size: 10 })),
    [`POST /api/users/me/points/charges/${paidCharge.chargeNumber}/refund`]: notRefundable,
  });
}

let container: HTMLElement;

const refundButton = () =>
  [...container.querySelectorAll('button')].find((b) => b.getAttribute('aria-label')?.includes('10,000'));
const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
const buttonIn = (scope: HTMLElement, text: string) =>
  [...scope.querySelectorAll('button')].find((b) => b.textContent === text);

/** Asks for the refund, says yes in the dialog, and answers the alert's text. */
async function refuseRefund(confirmLabel = '환불하기'): Promise<string> {
  serve();
  container = await renderPage(<PointChargesTable />);
  const button = await shown(refundButton);
  await act(async () => button.click());
  const asked = await shown(dialog);
  await act(async () => buttonIn(asked, confirmLabel)?.click());
  return (await shown(() => container.querySelector('[role="alert"]'))).textContent ?? '';
}

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('a refused points refund', () => {
  it('says why in Korean, without the server’s figures', async () => {
    const alert = await refuseRefund();
    expect(alert).toContain('환불할 수 없습니다');
    expect(alert).toContain('적립된 포인트는 환불되지 않습니다');
    expect(alert).not.toMatch(/5000|10000/);
  });

  it('says why in English, without the server’s figures', async () => {
    await setLanguage('en');
    const alert = await refuseRefund('Refund');
    expect(alert).toContain('Earned points are not refundable.');
    expect(alert).not.toContain('Points of this charge have been used');
    expect(alert).not.toMatch(/5000|10000/);
  });
});

// The refund was offered for every paid charge, spent or not, and sent at the first tap: one tap on a
// charge whose points were spent met 409 "환불할 수 없습니다". user-service now says which charges it
// would refund; the page offers only those, and asks first.
describe('the refund of a charge', () => {
  const serveCharges = (charges: ReturnType<typeof aPointCharge>[]) => {
    const refunds: string[] = [];
    stubFetch({
      'GET /api/users/me/points/charges': () => Response.json(aPage(charges, { size: 10 })),
      'POST /api/users/me/points/charges/PNT-20261207-ABCDEFGH/refund': ({ url }) => {
        refunds.push(url.pathname);
        return Response.json({ ...paidCharge, status: 'REFUND_REQUESTED', refundable: false });
      },
    });
    return refunds;
  };

  it('is not offered for a paid charge whose points were spent', async () => {
    serveCharges([aPointCharge({ refundable: false })]);
    container = await renderPage(<PointChargesTable />);
    const table = await shown(() => container.querySelector('table'));
    expect(table.textContent).toContain('10,000원');
    expect(table.querySelector('button')).toBeNull();
  });

  it('asks first, in won and in points, and refunds only when told to', async () => {
    const refunds = serveCharges([paidCharge]);
    container = await renderPage(<PointChargesTable />);

    await act(async () => (await shown(refundButton)).click());
    const asked = await shown(dialog);
    expect(asked.textContent).toContain('충전을 환불할까요?');
    expect(asked.textContent).toContain('결제하신 10,000원을 결제 수단으로 환불하고');
    expect(asked.textContent).toContain('보유 포인트에서 10,000P를 바로 차감합니다');
    expect(refunds).toEqual([]);

    await act(async () => buttonIn(asked, '돌아가기')?.click());
    await shown(() => !dialog());
    expect(refunds).toEqual([]);

    await act(async () => (await shown(refundButton)).click());
    await act(async () => buttonIn(await shown(dialog), '환불하기')?.click());
    await shown(() => refunds.length === 1 && !dialog());
    expect(refunds).toEqual(['/api/users/me/points/charges/PNT-20261207-ABCDEFGH/refund']);
  });
});

describe('a server’s detail in the error alert', () => {
  const alertOf = (detail: string) =>
    renderToStaticMarkup(
      <MantineProvider>
        <ApiErrorAlert error={new ApiError(404, { type: 'urn:sagamart:problem:not-found', detail })} />
      </MantineProvider>,
    );

  it('is not shown when it carries an unformatted amount or an internal id', () => {
    expect(alertOf('주문 2b7e1516-28ae-4d2a-abf7-15880941a1f2을(를) 찾을 수 없습니다.')).not.toContain(
      '2b7e1516',
    );
    expect(alertOf('잔액 5000이 부족합니다.')).not.toContain('5000');
  });

  it('is still shown in the reader’s language when it reads well', () => {
    expect(alertOf('반품·교환 신청 기간(배송 완료 후 7일)이 지났습니다.')).toContain('배송 완료 후 7일');
    // An order number is the shopper's own reference, not a raw figure.
    expect(alertOf('주문 ORD-20261207-7K2M9QXA을(를) 찾을 수 없습니다.')).toContain('ORD-20261207-7K2M9QXA');
  });
});

describe('a charge the shopper cancelled at the PG', () => {
  const cancelledCharge = aPointCharge({ status: 'CANCELLED', paidAt: null });
  const showCancelled = async () => {
    stubFetch({
      'GET /api/users/me/points/charges': () => Response.json(aPage([cancelledCharge], { size: 10 })),
    });
    container = await renderPage(<PointChargesTable />);
    return shown(() => container.querySelector('table')?.textContent?.includes('10,000') && container);
  };

  it('is labelled 취소됨, with no refund offered', async () => {
    const shownTable = await showCancelled();
    expect(shownTable.textContent).toContain('취소됨');
    expect(shownTable.textContent).not.toContain('결제 대기');
    expect(shownTable.textContent).not.toContain('CANCELLED');
    expect(shownTable.querySelector('button')).toBeNull();
  });

  it('is labelled Cancelled in English', async () => {
    await setLanguage('en');
    const shownTable = await showCancelled();
    expect(shownTable.textContent).toContain('Cancelled');
    expect(shownTable.textContent).not.toContain('status.pointCharge');
  });
});
