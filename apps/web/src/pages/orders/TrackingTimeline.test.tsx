import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import type { Shipment } from '../../orders/after-sale-api.ts';
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
