// @vitest-environment happy-dom
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { cart } from '../../cart/cart-store.ts';
import type { OrderClaims, OrderShipping } from '../../orders/after-sale-api.ts';
import { readCheckoutDraft, saveCheckoutDraft } from '../../orders/checkout-draft.ts';
import { EMPTY_DELIVERY } from '../../orders/delivery-form.ts';
import type { Order } from '../../orders/orders-api.ts';
import { aClaim, anOrder, hoodieInCart, socksInCart } from '../../testing/fixtures.ts';
import { cleanUpPages, problem, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { MyOrderDetailPage } from './MyOrderDetailPage.tsx';

const ORDER_ID = '46f49d56-e24f-47bd-9d56-27310ecf6414';
const ORDER_NUMBER = 'ORD-20261207-7RC9BKRB';

const hoodie = hoodieInCart();
const socks = socksInCart();

/** My order of the hoodie as order-service shows it, in `status`. */
function order(status: Order['status']): Order {
  const delivered = status === 'DELIVERED';
  return anOrder({
    orderId: ORDER_ID,
    orderNumber: ORDER_NUMBER,
    status,
    orderName: hoodie.name,
    items: [
      {
        id: 1,
        skuId: hoodie.skuId,
        productId: hoodie.productId,
        productName: hoodie.name,
        skuCode: 'HOOD-BK-M',
        options: { 색상: '블랙', 사이즈: 'M' },
        unitPrice: 39_000,
        quantity: 1,
        lineTotal: 39_000,
        thumbnailUrl: null,
        optionLabel: hoodie.optionLabel,
        discountShare: 0,
        pointsShare: 0,
        payableShare: 39_000,
      },
    ],
    cancellable: status === 'PAID',
    trackingNumber: delivered ? '612345678901' : null,
    deliveredAt: delivered ? '2026-12-09T05:00:00.000Z' : null,
  });
}

/** shipping-service's view of the delivered order: returns and exchanges open for a week. */
const delivered: OrderShipping = {
  orderId: ORDER_ID,
  orderNumber: ORDER_NUMBER,
  shipments: [
    {
      id: '6464880a-b745-483e-9d22-97f9e45f2ef0',
      orderId: ORDER_ID,
      orderNumber: ORDER_NUMBER,
      kind: 'ORIGINAL',
      claimId: null,
      status: 'DELIVERED',
      courierStatus: 'DELIVERED',
      courierName: '사가택배',
      trackingNumber: '612345678901',
      receiverName: '이지우',
      goodsName: hoodie.name,
      history: [],
      createdAt: '2026-12-07T08:02:00.000Z',
      dispatchedAt: '2026-12-08T01:00:00.000Z',
      deliveredAt: '2026-12-09T05:00:00.000Z',
      cancelledAt: null,
    },
  ],
  deliveredAt: '2026-12-09T05:00:00.000Z',
  confirmedAt: null,
  autoConfirmed: false,
  confirmable: true,
  claimableUntil: '2099-12-16T05:00:00.000Z',
};

const noClaims: OrderClaims = { orderId: ORDER_ID, orderNumber: ORDER_NUMBER, claims: [] };

const unavailable = () => problem(503, { detail: 'shipping-service is not answering' });

/**
 * The gateway: the order in `status`, and shipping-service's answers as `shipping` and `claims`
 * give them at the time (they may change between calls).
 */
function serve(
  status: Order['status'],
  answers: { shipping: () => Response; claims: () => Response } = {
    shipping: () => problem(404),
    claims: () => problem(404),
  },
) {
  stubFetch({
    [`/api/orders/${ORDER_ID}`]: () => Response.json(order(status)),
    [`/api/shipping/orders/${ORDER_ID}`]: () => answers.shipping(),
    [`/api/orders/${ORDER_ID}/claims`]: () => answers.claims(),
  });
}

let container: HTMLElement;

async function showOrder() {
  container = await renderPage(
    <Routes>
      <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
    </Routes>,
    [`/me/orders/${ORDER_ID}`],
  );
}

const alertTitled = (title: string) =>
  [...container.querySelectorAll('[role="alert"]')].find((alert) => alert.textContent?.includes(title));
const button = (name: string) =>
  [...container.querySelectorAll('button')].find((candidate) => candidate.textContent === name);

afterEach(async () => {
  await cleanUpPages();
  cart.clear();
  sessionStorage.clear();
});

describe('the order page of an order paid after the shopper left the payment result page', () => {
  it('takes the order’s lines out of the cart and ends the checkout draft', async () => {
    cart.replace([hoodie, socks]);
    saveCheckoutDraft({ delivery: EMPTY_DELIVERY, orderId: ORDER_ID, skuIds: [hoodie.skuId] });
    serve('PAID');
    await showOrder();

    await shown(() => cart.getSnapshot().items.length === 1);
    expect(cart.getSnapshot().items.map((line) => line.skuId)).toEqual([socks.skuId]);
    expect(readCheckoutDraft()).toBeNull();
  });
});

describe('a delivered order while shipping-service fails', () => {
  it('says the tracking could not be read and reads it again on request', async () => {
    let shipping = unavailable;
    serve('DELIVERED', { shipping: () => shipping(), claims: () => Response.json(noClaims) });
    await showOrder();

    const failed = await shown(() => alertTitled('배송 조회 정보를 불러오지 못했습니다'));
    shipping = () => Response.json(delivered);
    await act(async () => button('다시 시도')?.click());

    await shown(() => container.querySelector('#section-tracking'));
    expect(failed.isConnected).toBe(false);
    expect(button('반품 신청')).toBeDefined();
  });

  it('offers no return or exchange while the claims are unknown, and reads them again on request', async () => {
    let claims = unavailable;
    serve('DELIVERED', { shipping: () => Response.json(delivered), claims: () => claims() });
    await showOrder();

    await shown(() => alertTitled('반품/교환 내역을 불러오지 못했습니다'));
    // The window is open (the tracking came): only the unknown claims keep the buttons away.
    await shown(() => container.querySelector('#section-tracking'));
    expect(button('반품 신청')).toBeUndefined();
    expect(button('교환 신청')).toBeUndefined();

    claims = () => Response.json(noClaims);
    await act(async () => button('다시 시도')?.click());
    await shown(() => button('반품 신청'));
    expect(alertTitled('반품/교환 내역을 불러오지 못했습니다')).toBeUndefined();
  });
});

describe('a return whose pickup the courier cancelled', () => {
  it('says so instead of showing the void pickup waybill', async () => {
    const waiting = aClaim({
      orderId: ORDER_ID,
      orderNumber: ORDER_NUMBER,
      pickupTrackingNumber: '712345678901',
      pickupCourierStatus: 'CANCELLED',
      pickupCancelledAt: '2026-12-10T03:00:00.000Z',
    });
    const claims: OrderClaims = { orderId: ORDER_ID, orderNumber: ORDER_NUMBER, claims: [waiting] };
    serve('DELIVERED', {
      shipping: () => Response.json({ ...delivered, confirmable: false }),
      claims: () => Response.json(claims),
    });
    await showOrder();

    const claim = await shown(() => container.querySelector('[data-testid="claim"]'));
    expect(claim.textContent).toContain('신청 접수');
    expect(claim.querySelector('[data-testid="claim-pickup-cancelled"]')?.textContent).toBe(
      '택배사 사정으로 회수가 취소되었습니다. 확인 후 다시 안내해 드릴게요.',
    );
    expect(claim.textContent).not.toContain('712345678901');
  });
});
