import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { Shipment, TrackingEvent } from '../../orders/after-sale-api.ts';
import { TrackingTimeline } from './TrackingTimeline.tsx';

afterEach(() => setLanguage('ko'));

/** A paid order's parcel as shipping-service shows it, still without a waybill. */
const waiting: Shipment = {
  id: '6464880a-b745-483e-9d22-97f9e45f2ef0',
  orderId: '46f49d56-e24f-47bd-9d56-27310ecf6414',
  orderNumber: 'ORD-20261207-7RC9BKRB',
  kind: 'ORIGINAL',
  claimId: null,
  status: 'READY',
  courierStatus: 'NOT_SENT',
  courierName: '사가택배',
  trackingNumber: null,
  receiverName: '김구매',
  goodsName: '반팔 티셔츠',
  history: [],
  createdAt: '2026-12-07T08:43:29.494Z',
  dispatchedAt: null,
  deliveredAt: null,
  cancelledAt: null,
};

const text = (shipment: Shipment) =>
  renderToStaticMarkup(
    <MantineProvider>
      <TrackingTimeline shipments={[shipment]} />
    </MantineProvider>,
  ).replace(/<[^>]+>/g, ' ');

describe('a parcel on the order page', () => {
  it('waits for its waybill while it is READY', () => {
    expect(text(waiting)).toContain('송장이 발급되면');
  });

  it('reads cancelled, never waiting for a waybill, once its shipment is cancelled', async () => {
    const stopped = { ...waiting, status: 'CANCELLED' as const, cancelledAt: '2026-12-07T08:44:00.000Z' };
    expect(text(stopped)).toContain('배송이 취소되어');
    expect(text(stopped)).toContain('송장 취소');
    expect(text(stopped)).not.toContain('송장이 발급되면');
    await setLanguage('en');
    expect(text(stopped)).toContain('This delivery was cancelled');
  });
});

describe('the earlier events of a parcel', () => {
  const event = (status: TrackingEvent['status'], minute: number) => ({
    status,
    where: '서울 허브',
    remark: '처리',
    at: `2026-12-08T01:${String(minute).padStart(2, '0')}:00.000Z`,
  });
  /** Delivered, its courier history `count` events long (three are shown, the rest folded away). */
  const withHistory = (count: number): Shipment => ({
    ...waiting,
    status: 'DELIVERED',
    courierStatus: 'DELIVERED',
    trackingNumber: '612345678901',
    history: Array.from({ length: count }, (_, i) => event(i === count - 1 ? 'DELIVERED' : 'IN_TRANSIT', i)),
  });

  it('are counted in the reader’s language: one event, or several', async () => {
    expect(text(withHistory(4))).toContain('이전 기록 1건 더 보기');
    expect(text(withHistory(6))).toContain('이전 기록 3건 더 보기');
    await setLanguage('en');
    expect(text(withHistory(4))).toContain('Show 1 earlier event ');
    expect(text(withHistory(6))).toContain('Show 3 earlier events');
  });
});

describe("a parcel's courier history in the reader's language", () => {
  /** Delivered, the courier's events in its own Korean words (as the mock courier and real ones write them). */
  const delivered: Shipment = {
    ...waiting,
    status: 'DELIVERED',
    courierStatus: 'DELIVERED',
    trackingNumber: '813048649266',
    history: [
      {
        status: 'OUT_FOR_DELIVERY',
        where: '배송 영업소',
        remark: '배송 출발했습니다',
        at: '2026-12-08T00:05:00.000Z',
      },
      {
        status: 'DELIVERED',
        where: '고객 주소지',
        remark: '배송 완료되었습니다',
        at: '2026-12-08T00:06:00.000Z',
      },
    ],
  };
  const HANGUL_SENTENCE = /[\uac00-\ud7a3]+(니다|요)/;

  it('reads in English: our status words and the place, not the courier’s Korean sentence', async () => {
    await setLanguage('en');
    const shown = text(delivered);
    expect(shown).toContain('Out for delivery');
    expect(shown).toContain('고객 주소지');
    expect(shown).not.toMatch(HANGUL_SENTENCE);
    // The courier's brand stays as it names itself, labelled in English.
    expect(shown).toMatch(/Courier\s+사가택배\s+813048649266/);
  });

  it('keeps the courier’s own sentence for a Korean reader', () => {
    const shown = text(delivered);
    expect(shown).toMatch(/고객 주소지\s*· 배송 완료되었습니다/);
    expect(shown).toMatch(/택배사\s+사가택배/);
  });
});
