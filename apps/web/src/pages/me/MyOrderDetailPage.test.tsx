// @vitest-environment happy-dom
import type { NotificationServerMessage } from '@sagamart/contracts';
import { act } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cart } from '../../cart/cart-store.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { NotificationCenter } from '../../notifications/NotificationCenter.tsx';
import {
  type OrderClaims,
  type OrderShipping,
  PARCEL_POLL_MS,
  type PurchaseConfirmation,
  type ShipmentCourierStatus,
} from '../../orders/after-sale-api.ts';
import { readCheckoutDraft, recordCartOrder, saveCheckoutDraft } from '../../orders/checkout-draft.ts';
import { EMPTY_DELIVERY } from '../../orders/delivery-form.ts';
import type { Order } from '../../orders/orders-api.ts';
import { fakeBrowserSockets } from '../../testing/fake-socket.ts';
import { aClaim, anOrder, aPage, hoodieInCart, socksInCart } from '../../testing/fixtures.ts';
import {
  type Answer,
  cleanUpPages,
  problem,
  renderPage,
  shown,
  stubFetch,
} from '../../testing/page-harness.tsx';
import { signInAsShopper, signOut } from '../../testing/session.ts';
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

const WAYBILL = '776219299003';

/** shipping-service's view of the paid order's parcel, its waybill issued, where the courier has it. */
function onItsWay(courierStatus: ShipmentCourierStatus): OrderShipping {
  const [parcel] = delivered.shipments;
  return {
    ...delivered,
    shipments: [
      {
        ...parcel!,
        status: courierStatus === 'ACCEPTED' || courierStatus === 'PICKED_UP' ? 'READY' : 'SHIPPING',
        courierStatus,
        trackingNumber: WAYBILL,
        deliveredAt: null,
      },
    ],
    deliveredAt: null,
    confirmable: false,
    claimableUntil: null,
  };
}

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
  others: Record<string, Answer> = {},
) {
  return stubFetch({
    [`/api/orders/${ORDER_ID}`]: () => Response.json(order(status)),
    [`/api/shipping/orders/${ORDER_ID}`]: () => answers.shipping(),
    [`/api/orders/${ORDER_ID}/claims`]: () => answers.claims(),
    ...others,
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
const button = (name: string, within: ParentNode = container) =>
  [...within.querySelectorAll('button')].find((candidate) => candidate.textContent === name);
/** A dialog is a portal, outside the page's container. */
const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
const alertSaying = (text: string) =>
  [...container.querySelectorAll('[role="alert"]')].find((alert) => alert.textContent?.includes(text));
const orderStatus = () => container.querySelector('[data-testid="order-status"]')?.textContent;
const waybillLine = () => container.querySelector('[data-testid="tracking-number"]')?.textContent;

afterEach(async () => {
  await cleanUpPages();
  await signOut();
  vi.useRealTimers();
  cart.clear();
  sessionStorage.clear();
  localStorage.removeItem('sagamart.cart.orders');
});

describe('the order page of an order paid after the shopper left the payment result page', () => {
  it('takes the order’s lines out of the cart and ends the checkout draft', async () => {
    cart.replace([hoodie, socks]);
    saveCheckoutDraft({ delivery: EMPTY_DELIVERY, orderId: ORDER_ID });
    recordCartOrder(ORDER_ID, [{ skuId: hoodie.skuId, quantity: hoodie.quantity }]);
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

describe('a paid order whose waybill was issued a moment ago', () => {
  it('shows the waybill the tracking shows, though the order’s own copy has not learned it yet', async () => {
    // The page said "운송장 번호: 발급 전" right above a tracking card with the waybill.
    serve('PAID', { shipping: () => Response.json(onItsWay('ACCEPTED')), claims: () => problem(404) });
    await showOrder();

    await shown(() => container.querySelector('[data-testid="shipment-original"]'));
    expect(waybillLine()).toBe(`운송장 번호: ${WAYBILL}`);
    // Not picked up yet: shipping-service would still stop the parcel.
    expect(button('주문 취소')).toBeDefined();
  });
});

describe('a paid order whose parcel the courier picked up', () => {
  it('no longer offers the cancel shipping-service would refuse', async () => {
    // The order stays 결제 완료 until the parcel is in transit; a cancel after pickup answered 409.
    serve('PAID', { shipping: () => Response.json(onItsWay('PICKED_UP')), claims: () => problem(404) });
    await showOrder();

    const parcel = await shown(() => container.querySelector('[data-testid="shipment-original"]'));
    expect(parcel.textContent).toContain('집화 완료');
    expect(orderStatus()).toBe('결제 완료');
    expect(button('주문 취소')).toBeUndefined();
  });
});

describe('an open order page while the notifications are live', () => {
  it('follows the parcel into transit, which nothing pushes', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let parcel: ShipmentCourierStatus = 'ACCEPTED';
    const requested = stubFetch({
      [`/api/orders/${ORDER_ID}`]: () => Response.json(order(parcel === 'ACCEPTED' ? 'PAID' : 'SHIPPING')),
      [`/api/shipping/orders/${ORDER_ID}`]: () => Response.json(onItsWay(parcel)),
      [`/api/orders/${ORDER_ID}/claims`]: () => problem(404),
      '/api/notifications': () => Response.json(aPage([])),
      '/api/notifications/unread-count': () => Response.json({ unread: 0 }),
    });
    const sockets = fakeBrowserSockets<NotificationServerMessage>();
    await signInAsShopper();
    container = await renderPage(
      <NotificationCenter>
        <Routes>
          <Route path="/me/orders/:id" element={<MyOrderDetailPage />} />
        </Routes>
      </NotificationCenter>,
      [`/me/orders/${ORDER_ID}`],
    );
    const socket = await act(() => sockets.openNewest());
    await act(async () => socket.deliver({ type: 'resumed', last: 0 }));
    await shown(() => button('주문 취소'));
    // Online, the page reads the order once more; that answer is the paid one too.
    const orderReads = () => requested.filter((url) => url === `/api/orders/${ORDER_ID}`).length;
    await shown(() => orderReads() >= 2);

    // The courier picks the parcel up and sends it on its way: no notification says so.
    parcel = 'IN_TRANSIT';
    await act(() => vi.advanceTimersByTimeAsync(PARCEL_POLL_MS));

    await shown(() => orderStatus() === '배송 중');
    await shown(() =>
      container.querySelector('[data-testid="shipment-original"]')?.textContent?.includes('이동 중'),
    );
    expect(button('주문 취소')).toBeUndefined();
  });
});

describe('구매확정 of a delivered order', () => {
  const confirmation: PurchaseConfirmation = {
    orderId: ORDER_ID,
    orderNumber: ORDER_NUMBER,
    confirmedAt: '2026-12-10T01:00:00.000Z',
    auto: false,
    amountPaid: 39_000,
    pointsAwarded: 390,
  };

  it('asks first, saying returns and exchanges end, and confirms only when told to', async () => {
    let confirms = 0;
    serve(
      'DELIVERED',
      { shipping: () => Response.json(delivered), claims: () => Response.json(noClaims) },
      {
        [`POST /api/orders/${ORDER_ID}/confirm`]: () => {
          confirms += 1;
          return Response.json(confirmation);
        },
      },
    );
    await showOrder();

    await act(async () => (await shown(() => button('구매확정')))?.click());
    const asked = await shown(dialog);
    expect(asked.textContent).toContain('구매를 확정할까요?');
    expect(asked.textContent).toContain('반품·교환을 신청할 수 없고');
    expect(confirms).toBe(0);

    await act(async () => button('나중에 하기', asked)?.click());
    await shown(() => !dialog());
    expect(confirms).toBe(0);

    await act(async () => (await shown(() => button('구매확정')))?.click());
    const again = await shown(dialog);
    await act(async () => button('구매확정', again)?.click());
    await shown(() => confirms === 1);
  });
});

describe('a return request the shopper corrects', () => {
  it('takes away the form’s complaint as soon as the choice it was about changes', async () => {
    serve('DELIVERED', { shipping: () => Response.json(delivered), claims: () => Response.json(noClaims) });
    await showOrder();
    await act(async () => (await shown(() => button('반품 신청')))?.click());
    const form = await shown(() => container.querySelector<HTMLFormElement>('form[aria-label="반품 신청"]'));
    const send = () => act(async () => button('반품 신청하기', form)?.click());

    await send();
    await shown(() => alertSaying('상품을 하나 이상 골라 주세요.'));
    await act(async () => form.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click());
    expect(alertSaying('상품을 하나 이상 골라 주세요.')).toBeUndefined();

    await send();
    await shown(() => alertSaying('사유를 골라 주세요.'));
    await act(async () => form.querySelector<HTMLInputElement>('input[value="DEFECTIVE"]')?.click());
    expect(alertSaying('사유를 골라 주세요.')).toBeUndefined();
  });
});

describe('a return refunded partly in money and partly in points', () => {
  /** One hoodie back (change of mind, 3,000원 fee): 17,920원 by the PG and 855원 of the points paid. */
  const returned = aClaim({
    orderId: ORDER_ID,
    orderNumber: ORDER_NUMBER,
    status: 'COMPLETED',
    reason: 'CHANGE_OF_MIND',
    refundAmount: 17_920,
    pointsRefund: 855,
    feeAmount: 3_000,
    completedAt: '2026-12-10T03:00:00.000Z',
  });

  async function showReturned() {
    stubFetch({
      [`/api/orders/${ORDER_ID}`]: () =>
        Response.json({
          ...order('DELIVERED'),
          pointsUsed: 3_000,
          refundedAmount: 17_920,
          refundedPoints: 855,
          returnsRefundedAmount: 17_920,
        }),
      [`/api/shipping/orders/${ORDER_ID}`]: () => Response.json({ ...delivered, confirmable: false }),
      [`/api/orders/${ORDER_ID}/claims`]: () =>
        Response.json({ orderId: ORDER_ID, orderNumber: ORDER_NUMBER, claims: [returned] }),
    });
    await showOrder();
    return shown(() => container.querySelector<HTMLElement>('[data-testid="claim"]'));
  }

  it('shows the points returned beside the money, on the return and in the summary', async () => {
    const claim = await showReturned();
    expect(claim.querySelector('[data-testid="claim-refund"]')?.textContent).toBe(
      '환불 금액 17,920원 (반품 배송비 3,000원 차감)',
    );
    expect(claim.querySelector('[data-testid="claim-points-refund"]')?.textContent).toBe(
      '돌려받은 포인트 855P',
    );
    expect(container.querySelector('[data-testid="refunded-amount"]')?.textContent).toBe(
      '환불된 금액: 17,920원 · 포인트 855P',
    );
  });

  it('says so in English too', async () => {
    await setLanguage('en');
    try {
      const claim = await showReturned();
      expect(claim.querySelector('[data-testid="claim-points-refund"]')?.textContent).toBe(
        'Points returned: 855P',
      );
      expect(container.querySelector('[data-testid="refunded-amount"]')?.textContent).toBe(
        'Refunded: ₩17,920 and 855P',
      );
    } finally {
      await setLanguage('ko');
    }
  });

  it('says which points are still to come while the return is under way', async () => {
    stubFetch({
      [`/api/orders/${ORDER_ID}`]: () => Response.json({ ...order('DELIVERED'), pointsUsed: 3_000 }),
      [`/api/shipping/orders/${ORDER_ID}`]: () => Response.json({ ...delivered, confirmable: false }),
      [`/api/orders/${ORDER_ID}/claims`]: () =>
        Response.json({
          orderId: ORDER_ID,
          orderNumber: ORDER_NUMBER,
          claims: [{ ...returned, status: 'COLLECTING', completedAt: null }],
        }),
    });
    await showOrder();
    const claim = await shown(() => container.querySelector<HTMLElement>('[data-testid="claim"]'));
    expect(claim.querySelector('[data-testid="claim-points-refund"]')?.textContent).toBe(
      '돌려받을 포인트 855P',
    );
    expect(container.querySelector('[data-testid="refunded-amount"]')).toBeNull();
  });
});

describe('an order awaiting payment', () => {
  async function bannerOf(held: Partial<Order>) {
    stubFetch({
      [`/api/orders/${ORDER_ID}`]: () =>
        Response.json({ ...order('PAYMENT_PENDING'), paidAt: null, paymentDueAt: null, ...held }),
    });
    await showOrder();
    const banner = await shown(() =>
      [...container.querySelectorAll('[role="status"]')].find((alert) =>
        alert.textContent?.includes('결제를 기다리고 있습니다'),
      ),
    );
    return banner.textContent;
  }

  it('says only the items are held when the order holds no coupon and no points', async () => {
    expect(await bannerOf({})).toBe(
      '결제를 기다리고 있습니다상품을 잡아 두었습니다. 결제하지 않은 주문은 자동으로 취소됩니다.',
    );
  });

  it('names the coupon and the points when the order holds them', async () => {
    expect(await bannerOf({ couponId: 7, couponDiscount: 3_000, pointsUsed: 1_000 })).toContain(
      '상품, 쿠폰, 포인트를 잡아 두었습니다.',
    );
    await cleanUpPages();
    expect(await bannerOf({ pointsUsed: 1_000 })).toContain('상품과 포인트를 잡아 두었습니다.');
  });
});

describe('the cancel dialog', () => {
  /** Opens the cancel dialog of my order as order-service shows it, and returns what it says comes back. */
  async function cancelSays(status: 'PAID' | 'PAYMENT_PENDING', held: Partial<Order> = {}) {
    stubFetch({
      [`/api/orders/${ORDER_ID}`]: () => Response.json({ ...order(status), cancellable: true, ...held }),
      [`/api/shipping/orders/${ORDER_ID}`]: () => problem(404),
      [`/api/orders/${ORDER_ID}/claims`]: () => problem(404),
    });
    await showOrder();
    const cancel = await shown(() => button('주문 취소') ?? button('Cancel order'));
    await act(async () => cancel.click());
    const asked = await shown(dialog);
    const text = asked.querySelector('[data-testid="cancel-gives-back"]')?.textContent;
    await cleanUpPages();
    return text;
  }

  it('promises no coupon and no points back for an order paid by card alone', async () => {
    expect(await cancelSays('PAID')).toBe('결제 금액은 전액 환불됩니다.');
  });

  it('names the coupon and the points a paid order used, and only those', async () => {
    const coupon = { couponId: 7, couponDiscount: 3_000, discountAmount: 3_000, payableAmount: 36_000 };
    expect(await cancelSays('PAID', coupon)).toBe('결제 금액은 전액 환불되고, 쿠폰도 돌려드립니다.');
    expect(await cancelSays('PAID', { pointsUsed: 9_000, payableAmount: 30_000 })).toBe(
      '결제 금액은 전액 환불되고, 포인트도 돌려드립니다.',
    );
    expect(await cancelSays('PAID', { ...coupon, pointsUsed: 6_000, payableAmount: 30_000 })).toBe(
      '결제 금액은 전액 환불되고, 쿠폰과 포인트도 돌려드립니다.',
    );
  });

  it('promises no refund when points paid the whole order', async () => {
    expect(await cancelSays('PAID', { pointsUsed: 39_000, payableAmount: 0 })).toBe(
      '사용한 포인트를 돌려드립니다.',
    );
  });

  it('names only what an unpaid order holds', async () => {
    expect(await cancelSays('PAYMENT_PENDING')).toBe('이 주문에 잡아 둔 재고가 풀립니다.');
    expect(await cancelSays('PAYMENT_PENDING', { couponId: 7, couponDiscount: 3_000 })).toBe(
      '이 주문에 잡아 둔 재고와 쿠폰이 모두 풀립니다.',
    );
  });

  it('says so in English too', async () => {
    await setLanguage('en');
    try {
      expect(await cancelSays('PAID')).toBe('The payment is refunded in full.');
      expect(await cancelSays('PAYMENT_PENDING', { pointsUsed: 1_000 })).toBe(
        'The stock and points reserved for it are released.',
      );
    } finally {
      await setLanguage('ko');
    }
  });
});
