// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminOrder } from '../../admin-orders/admin-orders-api.ts';
import { i18n, setLanguage } from '../../i18n/i18n.ts';
import type { OrderTimelineEntry } from '../../orders/orders-api.ts';
import { anOrder } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { OrderDetailPage } from './OrderDetailPage.tsx';

// The admin's order page words the timeline's and the saga log's facts (order-service's integer won,
// points, the PG's method) in the reader's language; entries recorded before facts keep their note.

const ORDER_ID = '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21';
const AT = '2026-12-08T00:05:00.000Z';
const HANGUL = /[\uac00-\ud7a3]/;

const entry = (
  event: OrderTimelineEntry['event'],
  facts?: OrderTimelineEntry['facts'],
): OrderTimelineEntry => ({
  event,
  status: 'DELIVERED',
  note: null,
  ...(facts ? { facts } : {}),
  at: AT,
});

/** Paid by card, delivered, one item returned with a change-of-mind fee, then 구매확정. */
const timeline: OrderTimelineEntry[] = [
  entry('PAYMENT_APPROVED', { amount: 73_400, method: '카드' }),
  entry('SHIPMENT_DISPATCHED', { trackingNumber: '813048649266', shipmentKind: 'ORIGINAL' }),
  entry('SHIPMENT_DISPATCHED', { trackingNumber: '813048649267', shipmentKind: 'EXCHANGE' }),
  entry('RETURN_COMPLETED', { refundAmount: 17_920, feeAmount: 3_000, pointsRefund: 855 }),
  entry('PAYMENT_REFUNDED', { amount: 17_920 }),
  entry('PURCHASE_CONFIRMED', { pointsAwarded: 1 }),
  { ...entry('CANCELLED'), note: 'ADMIN_CANCELLED' },
];

function adminOrder(overrides: Partial<AdminOrder> = {}): AdminOrder {
  return {
    ...anOrder({ orderId: ORDER_ID, status: 'DELIVERED', timeline }),
    userId: 'a1b2c3d4-0000-4000-8000-000000000001',
    buyer: { name: 'Jiwoo Lee', email: 'jiwoo@example.com' },
    adminMemo: null,
    saga: {
      phase: 'COMPLETED',
      steps: ['stock'],
      compensations: [],
      current: null,
      attempts: 0,
      lastError: null,
      nextAttemptAt: AT,
      phaseSince: AT,
      log: [
        {
          action: 'pay',
          step: 'payment',
          outcome: 'DONE',
          attempt: 1,
          detail: null,
          facts: { amount: 73_400, method: '카드' },
          durationMs: null,
          traceId: null,
          at: AT,
        },
      ],
    },
    ...overrides,
  };
}

async function showPage(order: AdminOrder): Promise<{ timeline: string; saga: string }> {
  stubFetch({ [`/api/admin/orders/${ORDER_ID}`]: () => Response.json(order) });
  const page = await renderPage(
    <Routes>
      <Route path="/admin/orders/:id" element={<OrderDetailPage />} />
    </Routes>,
    [`/admin/orders/${ORDER_ID}`],
  );
  const labelled = (label: string) => page.querySelector<HTMLElement>(`[aria-label="${label}"]`);
  const list = await shown(() => labelled(i18n.t('order.timeline')));
  const saga = await shown(() => labelled(i18n.t('adminOrders.saga.timeline')));
  return { timeline: list.textContent ?? '', saga: saga.textContent ?? '' };
}

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe("the admin's order timeline and saga log", () => {
  it('read in English: amounts, points and the method worded, no Korean sentence', async () => {
    await setLanguage('en');
    const { timeline, saga } = await showPage(adminOrder());
    expect(timeline).toContain('₩73,400 (Card)');
    expect(timeline).toContain('Refunded ₩17,920, return shipping ₩3,000, 855 points returned');
    expect(timeline).toContain('₩17,920');
    expect(timeline).toContain('1 point earned');
    expect(timeline).toContain('813048649266');
    expect(timeline).toContain('Exchange parcel 813048649267');
    expect(timeline).toContain('Cancelled by the shop');
    expect(timeline).not.toMatch(HANGUL);
    expect(saga).toContain('₩73,400 (Card)');
    expect(saga).not.toMatch(HANGUL);
  });

  it('read in Korean as Korean shops write them', async () => {
    const { timeline, saga } = await showPage(adminOrder());
    expect(timeline).toContain('73,400원 (카드)');
    expect(timeline).toContain('환불 17,920원, 반품 배송비 3,000원, 포인트 855P 반환');
    expect(timeline).toContain('1P 적립');
    expect(timeline).toContain('교환 상품 813048649267');
    expect(saga).toContain('73,400원 (카드)');
  });

  it('still show the note of an entry recorded before facts existed', async () => {
    await setLanguage('en');
    const old = { ...entry('RETURN_COMPLETED'), note: '환불 17,920원, 반품 배송비 3,000원' };
    const { timeline } = await showPage(adminOrder({ timeline: [old] }));
    expect(timeline).toContain('환불 17,920원, 반품 배송비 3,000원');
  });
});
