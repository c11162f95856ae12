// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminShipment } from '../../admin-shipping/admin-shipping-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ShipmentsPage } from './ShipmentsPage.tsx';

// A parcel the courier refused for good waits for the admin: the list says so, and why, in words.

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

const aShipment = (overrides: Partial<AdminShipment>): AdminShipment => ({
  id: '5b0c7d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e',
  orderId: '3f1c2a9e-4b7d-4c1e-9a2b-8d7e6f5a4b3c',
  orderNumber: 'ORD-20261207-AB12CD34',
  kind: 'ORIGINAL',
  claimId: null,
  status: 'READY',
  courierStatus: 'NOT_SENT',
  courierName: null,
  trackingNumber: null,
  receiverName: '김사가',
  goodsName: '반팔 티셔츠 외 1건',
  history: [],
  createdAt: '2026-12-07T01:00:00.000Z',
  dispatchedAt: null,
  deliveredAt: null,
  cancelledAt: null,
  userId: '7d4c1a52-2c59-4c5e-9f0a-0d5c3c3f0002',
  receiverPhone: '010-1234-5678',
  address: '서울 강남구 테헤란로 1 101호',
  dispatchFailure: null,
  trackingFailure: null,
  ...overrides,
});

const refused = aShipment({
  dispatchFailure: {
    code: 'INVALID_REQUEST',
    message: 'items[0]/address must NOT have more than 400 characters',
    failedAt: '2026-12-07T01:00:03.000Z',
  },
});
const waiting = aShipment({
  id: '6c1d8e2f-3a4b-4c5d-9e0f-1a2b3c4d5e6f',
  orderNumber: 'ORD-20261207-QW12ER34',
});

async function showList() {
  const issued: unknown[] = [];
  stubFetch({
    'GET /api/admin/shipping': () => Response.json(aPage([refused, waiting])),
    'POST /api/admin/shipping/waybills': ({ body }) => {
      issued.push(JSON.parse(String(body)));
      return Response.json({
        results: [{ shipmentId: refused.id, trackingNumber: '712345678901', error: null }],
        summary: { total: 1, issued: 1, failed: 0 },
      });
    },
  });
  const container = await renderPage(<ShipmentsPage />, ['/admin/shipping']);
  const row = (number: string) =>
    shown(() => container.querySelector<HTMLElement>(`[data-testid="shipment-row"][data-order="${number}"]`));
  return { container, row, issued };
}

describe('the admin’s shipments, with a parcel the courier refused', () => {
  it('marks it refused and says why in words, with the courier’s own message, and nothing on the others', async () => {
    const { row } = await showList();
    const failure = (await row(refused.orderNumber)).querySelector('[data-testid="dispatch-failure"]');
    expect(failure?.textContent).toContain('발급 실패');
    expect(failure?.textContent).toContain('택배사가 배송 정보를 받지 않았습니다');
    expect(failure?.textContent).toContain('items[0]/address must NOT have more than 400 characters');
    expect(failure?.textContent).not.toContain('INVALID_REQUEST');
    expect((await row(waiting.orderNumber)).querySelector('[data-testid="dispatch-failure"]')).toBeNull();
  });

  it('issues it again when the admin selects it', async () => {
    const { container, row, issued } = await showList();
    const box = (await row(refused.orderNumber)).querySelector<HTMLInputElement>('input[type="checkbox"]');
    expect(box?.disabled).toBe(false);
    await act(async () => box?.click());
    const issue = [...container.querySelectorAll('button')].find(
      (b) => b.textContent === '송장 일괄 발급 (1건)',
    );
    await act(async () => issue?.click());
    await shown(() => issued.length === 1);
    expect(issued[0]).toEqual({ shipmentIds: [refused.id] });
  });

  it('says the same in English, and words a code it does not know as a refusal', async () => {
    await setLanguage('en');
    stubFetch({
      'GET /api/admin/shipping': () =>
        Response.json(
          aPage([
            refused,
            aShipment({
              ...waiting,
              dispatchFailure: { ...refused.dispatchFailure!, code: 'NEW_CODE', message: '' },
            }),
          ]),
        ),
    });
    const container = await renderPage(<ShipmentsPage />, ['/admin/shipping']);
    const failures = await shown(() => {
      const found = container.querySelectorAll('[data-testid="dispatch-failure"]');
      return found.length === 2 ? [...found] : undefined;
    });
    expect(failures[0]!.textContent).toContain('Waybill refused');
    expect(failures[0]!.textContent).toContain('The courier did not accept the delivery details');
    expect(failures[1]!.textContent).toContain('The courier refused to issue a waybill');
    expect(failures[1]!.textContent).not.toContain('NEW_CODE');
  });
});

describe('the admin’s shipments, with a parcel stopped for good after it was sent', () => {
  const lost = aShipment({
    id: '7d2e9f3a-4b5c-4d6e-8f0a-2b3c4d5e6f7a',
    orderNumber: 'ORD-20261207-ZX12CV34',
    courierStatus: 'ACCEPTED',
    courierName: 'Sagamart Express',
    trackingNumber: '712345678901',
    trackingFailure: {
      code: 'NOT_FOUND_WAYBILL',
      message: '운송장 번호 712345678901을(를) 찾을 수 없습니다.',
      failedAt: '2026-12-07T02:00:00.000Z',
    },
  });
  const unsold = aShipment({
    id: '8e3f0a4b-5c6d-4e7f-9a1b-3c4d5e6f7a8b',
    orderNumber: 'ORD-20261207-BN12MK34',
    kind: 'EXCHANGE',
    claimId: '9f4a1b5c-6d7e-4f8a-8b2c-4d5e6f7a8b9c',
    dispatchFailure: {
      code: 'STOCK_REFUSED',
      message: "Order 9f4a1b5c-6d7e-4f8a-8b2c-4d5e6f7a8b9c's reservation is already RELEASED",
      failedAt: '2026-12-07T02:00:00.000Z',
    },
  });

  async function showList(issueErrors: Array<{ code: string; message: string }> = []) {
    const posted: string[] = [];
    stubFetch({
      'GET /api/admin/shipping': () => Response.json(aPage([lost, unsold, waiting])),
      [`POST /api/admin/shipping/${lost.id}/tracking/resume`]: ({ url }) => {
        posted.push(url.pathname);
        return Response.json({ ...lost, trackingFailure: null });
      },
      'POST /api/admin/shipping/waybills': () =>
        Response.json({
          results: issueErrors.map((error) => ({ shipmentId: unsold.id, trackingNumber: null, error })),
          summary: { total: issueErrors.length, issued: 0, failed: issueErrors.length },
        }),
    });
    const container = await renderPage(<ShipmentsPage />, ['/admin/shipping']);
    const row = (number: string) =>
      shown(() =>
        container.querySelector<HTMLElement>(`[data-testid="shipment-row"][data-order="${number}"]`),
      );
    /** Selects the exchange's parcel and issues it; answers the alert with the results. */
    const issueUnsold = async () => {
      const box = (await row(unsold.orderNumber)).querySelector<HTMLInputElement>('input[type="checkbox"]');
      await act(async () => box?.click());
      const issue = [...container.querySelectorAll('button')].find((b) => b.textContent?.includes('(1'));
      await act(async () => issue?.click());
      return shown(() => container.querySelector<HTMLElement>('[role="status"]'));
    };
    return { row, posted, issueUnsold };
  }

  it('resumes a waybill’s tracking with a button next to the mark, which says what it does', async () => {
    const { row, posted } = await showList();
    const failure = (await row(lost.orderNumber)).querySelector('[data-testid="tracking-failure"]');
    expect(failure?.textContent).toContain('다시 조회');
    const resume = [...(failure?.querySelectorAll('button') ?? [])].find((b) =>
      b.textContent?.includes('지금 다시 조회'),
    );
    expect(resume).toBeDefined();
    await act(async () => resume?.click());
    await shown(() => posted.length === 1);
    expect(posted[0]).toBe(`/api/admin/shipping/${lost.id}/tracking/resume`);
    // Nothing else of the row offers it.
    expect((await row(waiting.orderNumber)).textContent).not.toContain('지금 다시 조회');
  });

  it('words the issue result by its code, never with a service’s own message or ids', async () => {
    const { issueUnsold } = await showList([
      {
        code: 'STOCK_REFUSED',
        message: `Order ${unsold.claimId}'s reservation is already RELEASED`,
      },
      { code: 'EXCHANGE_OUT_OF_STOCK', message: 'raw out-of-stock words' },
      { code: 'UNAVAILABLE', message: `product-service: ${unsold.claimId} answered 503` },
      { code: 'SOMETHING_NEW', message: `id ${unsold.claimId}` },
    ]);
    const alert = await issueUnsold();
    const text = alert.textContent ?? '';
    expect(text).toContain('교환 상품의 재고를 확정하지 못했습니다');
    expect(text).toContain('교환할 옵션이 품절되었거나 판매 중이 아니어서');
    expect(text).toContain('연결할 수 없어');
    expect(text).toContain(unsold.orderNumber);
    expect(text).not.toContain(unsold.claimId);
    expect(text).not.toContain('RELEASED');
    expect(text).not.toContain('raw out-of-stock words');
    expect(text).not.toContain('SOMETHING_NEW');
  });

  it('marks a waybill the courier refuses to track, and says why in words', async () => {
    const { row } = await showList();
    const failure = (await row(lost.orderNumber)).querySelector('[data-testid="tracking-failure"]');
    expect(failure?.textContent).toContain('조회 실패');
    expect(failure?.textContent).toContain('택배사가 이 송장을 찾지 못했습니다');
    expect(failure?.textContent).toContain('운송장 번호 712345678901을(를) 찾을 수 없습니다.');
    expect(failure?.textContent).not.toContain('NOT_FOUND_WAYBILL');
    expect((await row(waiting.orderNumber)).querySelector('[data-testid="tracking-failure"]')).toBeNull();
  });

  it('marks an exchange’s parcel whose stock was refused, in words and without the service’s message', async () => {
    const { row } = await showList();
    const failure = (await row(unsold.orderNumber)).querySelector('[data-testid="dispatch-failure"]');
    expect(failure?.textContent).toContain('재고 확정 실패');
    expect(failure?.textContent).toContain('교환 상품의 재고를 확정하지 못했습니다');
    expect(failure?.textContent).not.toContain('STOCK_REFUSED');
    expect(failure?.textContent).not.toContain('RELEASED');
    expect(failure?.textContent).not.toContain(unsold.claimId);
  });

  it('says the same in English', async () => {
    await setLanguage('en');
    const { row } = await showList();
    const tracking = (await row(lost.orderNumber)).querySelector('[data-testid="tracking-failure"]');
    expect(tracking?.textContent).toContain('Tracking refused');
    expect(tracking?.textContent).toContain('The courier cannot find this waybill');
    expect(tracking?.textContent).toContain('Track again now');
    const stock = (await row(unsold.orderNumber)).querySelector('[data-testid="dispatch-failure"]');
    expect(stock?.textContent).toContain('Stock not confirmed');
    expect(stock?.textContent).toContain('The exchange item’s stock could not be confirmed');
  });
});
