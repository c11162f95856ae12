// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { aClaim, aPage } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ClaimsPage } from './ClaimsPage.tsx';

/** A return approved, whose pickup the courier then cancelled: it waits for the admin again. */
const pickupCancelled = aClaim({
  pickupTrackingNumber: '712345678901',
  pickupCourierStatus: 'CANCELLED',
  pickupCancelledAt: '2026-12-10T03:00:00.000Z',
});

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

async function showQueue() {
  stubFetch({ '/api/admin/shipping/returns': () => Response.json(aPage([pickupCancelled])) });
  const container = await renderPage(<ClaimsPage type="RETURN" />, ['/admin/returns']);
  const row = await shown(() => container.querySelector('[data-testid="claim-row"]'));
  const button = (name: string) =>
    [...row.querySelectorAll('button')].find((candidate) => candidate.textContent === name);
  return { container, row, button };
}

describe('the return queue, with a return whose pickup the courier cancelled', () => {
  it('offers approve and reject again, and says a new approval books a new pickup', async () => {
    const { row, button } = await showQueue();
    expect(button('승인')).toBeDefined();
    expect(button('거절')).toBeDefined();
    expect(row.querySelector('[data-testid="claim-pickup-cancelled"]')?.textContent).toBe(
      '택배사가 회수를 취소했습니다. 다시 승인하면 새 회수 송장이 발급됩니다.',
    );
  });

  it('shows the cancelled pickup in the history, in English too', async () => {
    await setLanguage('en');
    const { container, button } = await showQueue();
    await act(async () => button('Show history')?.click());
    const history = await shown(() => container.querySelector('[data-testid="claim-history"]'));
    expect(history.textContent).toContain('Requested');
    expect(history.textContent).toContain('Pickup cancelled by the courier');
    expect(history.textContent).toContain('Pickup waybill 712345678901 · Waybill cancelled');
  });
});

describe('the return queue, with a pickup the courier had already started when it was to be cancelled', () => {
  const underWay = aClaim({
    pickupTrackingNumber: '712345678902',
    pickupCourierStatus: 'PICKED_UP',
    pickupUnderWay: {
      trackingNumber: '712345678902',
      courierStatus: 'PICKED_UP',
      seenAt: '2026-12-10T03:00:00.000Z',
    },
  });

  async function showRow() {
    stubFetch({ '/api/admin/shipping/returns': () => Response.json(aPage([underWay])) });
    const container = await renderPage(<ClaimsPage type="RETURN" />, ['/admin/returns']);
    return shown(() => container.querySelector('[data-testid="claim-pickup-under-way"]'));
  }

  it('tells the admin, in words, that approving carries on with that waybill', async () => {
    const hint = await showRow();
    expect(hint.textContent).toContain('택배사가 이미 회수를 시작해 취소하지 못했습니다');
    expect(hint.textContent).toContain('712345678902');
    expect(hint.textContent).not.toContain('PICKED_UP');
  });

  it('says the same in English', async () => {
    await setLanguage('en');
    const hint = await showRow();
    expect(hint.textContent).toContain('Approving carries on with this waybill');
    expect(hint.textContent).not.toContain('PICKED_UP');
  });
});

describe('the return queue, with a return refunded partly in points', () => {
  /** 17,920원 back by the PG (after a 3,000원 fee) and 855원 of points. */
  const partlyPoints = aClaim({ refundAmount: 17_920, pointsRefund: 855, feeAmount: 3_000 });

  async function showRefund() {
    stubFetch({ '/api/admin/shipping/returns': () => Response.json(aPage([partlyPoints])) });
    const container = await renderPage(<ClaimsPage type="RETURN" />, ['/admin/returns']);
    const row = await shown(() => container.querySelector<HTMLElement>('[data-testid="claim-row"]'));
    return row.querySelector('[data-testid="claim-refund"]')?.textContent;
  }

  it('shows the points to return beside the money', async () => {
    expect(await showRefund()).toBe('17,920원포인트 855P반품 배송비 −3,000원');
  });

  it('says so in English too', async () => {
    await setLanguage('en');
    expect(await showRefund()).toBe('₩17,920Points 855Preturn shipping −₩3,000');
  });
});

describe('the queues say what they count', () => {
  async function totalOf(type: 'RETURN' | 'EXCHANGE', count: number) {
    const path = type === 'RETURN' ? 'returns' : 'exchanges';
    stubFetch({
      [`/api/admin/shipping/${path}`]: () =>
        Response.json(aPage([aClaim({ type })], { totalElements: count, totalPages: 1 })),
    });
    const container = await renderPage(<ClaimsPage type={type} />, [`/admin/${path}`]);
    return (await shown(() => container.querySelector('[data-testid="list-total"]')))?.textContent;
  }

  it('counts returns and exchanges in words, one or many', async () => {
    expect(await totalOf('RETURN', 1)).toBe('반품 1건');
    await cleanUpPages();
    expect(await totalOf('EXCHANGE', 3)).toBe('교환 3건');
  });

  it('says "1 return" and "3 exchanges" in English', async () => {
    await setLanguage('en');
    expect(await totalOf('RETURN', 1)).toBe('1 return');
    await cleanUpPages();
    expect(await totalOf('EXCHANGE', 3)).toBe('3 exchanges');
  });
});
