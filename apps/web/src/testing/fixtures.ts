// Test-only: the platform's answers the page tests start from, typed as the app reads them (its types
// come from @sagamart/contracts), so a field the services add or rename breaks the typecheck here.
// Each builder gives one plausible answer; a test overrides the fields its story turns on.
import type { AdminProduct, AdminProductSummary } from '../admin-catalog/admin-products-api.ts';
import type { AdminClaim } from '../admin-shipping/admin-shipping-api.ts';
import type { Page } from '../api/page.ts';
import type { CartItem } from '../cart/cart-store.ts';
import type { ProductDetail } from '../catalog/catalog-api.ts';
import type { ConversationView } from '../chat/chat-api.ts';
import type { Order, OrderQuote, QuoteLine } from '../orders/orders-api.ts';
import type { Payment } from '../payments/payments-api.ts';
import type { PointCharge } from '../points/points-api.ts';

/** The hoodie as the shopper put it in the cart (one, black M). */
export function hoodieInCart(overrides: Partial<CartItem> = {}): CartItem {
  return {
    skuId: 11,
    productId: 1,
    name: '오버핏 후드',
    optionLabel: '블랙 / M',
    unitPrice: 39_000,
    quantity: 1,
    ...overrides,
  };
}

/** Socks (a product without options) as the shopper put them in the cart. */
export function socksInCart(overrides: Partial<CartItem> = {}): CartItem {
  return {
    skuId: 21,
    productId: 2,
    name: '무지 양말',
    optionLabel: '',
    unitPrice: 5_000,
    quantity: 1,
    ...overrides,
  };
}

/** A quote of one line, the hoodie unless overridden: totals follow the line, no discount or points. */
export function aQuote(line: Partial<Omit<QuoteLine, 'lineTotal'>> = {}): OrderQuote {
  const priced = {
    skuId: 11,
    productId: 1,
    productName: '오버핏 후드',
    skuCode: 'HOOD-BK-M',
    options: { 색상: '블랙', 사이즈: 'M' },
    unitPrice: 39_000,
    quantity: 1,
    thumbnailUrl: null,
    availableStock: 10,
    inStock: true,
    ...line,
  };
  const lineTotal = priced.unitPrice * priced.quantity;
  return {
    lines: [{ ...priced, lineTotal }],
    subtotal: lineTotal,
    policyDiscounts: [],
    couponId: null,
    couponDiscount: 0,
    discountAmount: 0,
    pointsBalance: 0,
    maxUsablePoints: 0,
    pointsUsed: 0,
    payableAmount: lineTotal,
  };
}

/** An order of the hoodie as order-service shows it: paid by card, not shipped, no lines listed. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21',
    orderNumber: 'ORD-20261207-7RC9BKRB',
    status: 'PAID',
    cancelReason: null,
    cancelNote: null,
    orderName: '오버핏 후드',
    firstProductName: '오버핏 후드',
    itemCount: 1,
    totalQuantity: 1,
    thumbnailUrl: null,
    subtotal: 39_000,
    discountAmount: 0,
    pointsUsed: 0,
    payableAmount: 39_000,
    createdAt: '2026-12-07T08:00:00.000Z',
    updatedAt: '2026-12-07T08:01:00.000Z',
    items: [],
    policyDiscounts: [],
    policyDiscount: 0,
    couponId: null,
    couponDiscount: 0,
    delivery: {
      receiverName: '이지우',
      receiverPhone: '010-1234-5678',
      zipcode: '06236',
      address: '서울시 강남구 테헤란로 1',
      addressDetail: null,
      memo: null,
    },
    placedAt: '2026-12-07T08:00:00.000Z',
    paidAt: '2026-12-07T08:01:00.000Z',
    cancelledAt: null,
    paymentDueAt: null,
    cancellable: true,
    trackingNumber: null,
    deliveredAt: null,
    confirmedAt: null,
    refundedAmount: 0,
    returnsRefundedAmount: 0,
    openClaim: null,
    timeline: [],
    payments: [],
    ...overrides,
  };
}

/** A delivered order of a sweatshirt and chinos, 19,000원 after discounts, paid with points alone. */
export function anOrderPaidWithPoints(overrides: Partial<Order> = {}): Order {
  return anOrder({
    status: 'DELIVERED',
    orderName: '오버핏 크루넥 맨투맨 외 1건',
    firstProductName: '오버핏 크루넥 맨투맨',
    itemCount: 2,
    subtotal: 19_000,
    pointsUsed: 19_000,
    payableAmount: 0,
    ...overrides,
  });
}

/** A card payment of that order as payment-service shows it: approved, the PG naming the method in Korean. */
export function aPayment(overrides: Partial<Payment> = {}): Payment {
  return {
    paymentId: 'b6f0c1d2-1111-4a2b-9c3d-5e6f7a8b9c0d',
    orderId: '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21',
    orderNumber: 'ORD-20261207-7RC9BKRB',
    userId: 'a1b2c3d4-0000-4000-8000-000000000001',
    paymentKey: 'pk-1',
    amount: 39_000,
    status: 'APPROVED',
    method: '카드',
    failureCode: null,
    failureMessage: null,
    refundRequested: false,
    refundReason: null,
    version: 1,
    createdAt: '2026-12-07T08:01:00.000Z',
    approvedAt: '2026-12-07T08:01:00.000Z',
    failedAt: null,
    refundedAt: null,
    refundedAmount: 0,
    refunds: [],
    ...overrides,
  };
}

/** A 10,000원 points charge of the shopper's as user-service shows it: paid at the PG, unspent, not refunded. */
export function aPointCharge(overrides: Partial<PointCharge> = {}): PointCharge {
  return {
    chargeId: '5d0c9a53-8a61-4c3d-9d5e-2f1f3a0f7a11',
    chargeNumber: 'PNT-20261207-ABCDEFGH',
    amount: 10_000,
    status: 'PAID',
    orderName: '포인트 10,000원 충전',
    failureCode: null,
    failureMessage: null,
    createdAt: '2026-12-07T08:00:00.000Z',
    paidAt: '2026-12-07T08:01:00.000Z',
    refundRequestedAt: null,
    refundedAt: null,
    refundable: true,
    ...overrides,
  };
}

/** catalog-service's answer for a product on sale with one SKU (no options) at `price`. */
export function aProduct(
  { productId, skuId, name, price }: { productId: number; skuId: number; name: string; price: number },
  overrides: Partial<ProductDetail> = {},
): ProductDetail {
  return {
    id: productId,
    code: `P-${productId}`,
    name,
    basePrice: price,
    salePrice: price,
    discountRate: 0,
    status: 'ACTIVE',
    inStock: true,
    salesCount: 0,
    thumbnailUrl: null,
    categoryIds: [],
    colours: [],
    createdAt: null,
    description: '',
    images: [],
    breadcrumb: [],
    optionGroups: [],
    skus: [{ id: skuId, skuCode: `S-${skuId}`, options: {}, price, stock: 10, status: 'ACTIVE' }],
    updatedAt: null,
    ...overrides,
  };
}

/** product-service's admin list row of a T-shirt on sale with one SKU, nothing held for inspection. */
export function anAdminProductSummary(overrides: Partial<AdminProductSummary> = {}): AdminProductSummary {
  return {
    id: 12,
    code: 'TEE-01',
    name: '기본 티셔츠',
    basePrice: 19_000,
    salePrice: 19_000,
    status: 'ACTIVE',
    displayed: true,
    deleted: false,
    categoryIds: [3],
    thumbnailUrl: null,
    skuCount: 1,
    totalStock: 8,
    heldTotal: 0,
    version: 3,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The same T-shirt as product-service's admin detail shows it: one SKU, nothing held. */
export function anAdminProduct(overrides: Partial<AdminProduct> = {}): AdminProduct {
  return {
    id: 12,
    code: 'TEE-01',
    name: '기본 티셔츠',
    description: '',
    basePrice: 19_000,
    salePrice: 19_000,
    status: 'ACTIVE',
    displayed: true,
    deleted: false,
    categoryIds: [3],
    optionGroups: [],
    skus: [
      {
        id: 5,
        skuCode: 'TEE-01-BK',
        options: {},
        price: 19_000,
        status: 'ACTIVE',
        removed: false,
        stock: 8,
        reserved: 0,
        sold: 1_030,
        held: 0,
      },
    ],
    images: [],
    version: 3,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

/** All of `content` as the only page of a list (20 a page unless overridden). */
export function aPage<T>(content: T[], overrides: Partial<Page<T>> = {}): Page<T> {
  return {
    content,
    page: 0,
    size: 20,
    totalElements: content.length,
    totalPages: 1,
    first: true,
    last: true,
    ...overrides,
  };
}

/** A chat of the shopper's as chat-service shows it to them: answered by an agent and resolved, all read. */
export function aConversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: '5c2a7e10-8b3d-4f6a-9c1e-2d4b6f8a0c13',
    status: 'RESOLVED',
    orderId: null,
    orderNumber: null,
    customerId: 'a1b2c3d4-0000-4000-8000-000000000001',
    customerName: '이지우',
    assigneeId: 'e7d6c5b4-0000-4000-8000-000000000002',
    assigneeName: '김상담',
    queuePosition: null,
    estimatedWaitSeconds: null,
    agentsOnline: true,
    lastSeq: 2,
    lastMessage: null,
    customerReadSeq: 2,
    agentReadSeq: 2,
    unreadCount: 0,
    createdAt: '2026-12-07T09:00:00.000Z',
    updatedAt: '2026-12-07T09:10:00.000Z',
    resolvedAt: '2026-12-07T09:10:00.000Z',
    ...overrides,
  };
}

/**
 * A return of the hoodie as shipping-service shows it (the admin's queue adds the shopper): asked for,
 * defective, the whole price to refund. Shoppers get the same shape without `userId`.
 */
export function aClaim(overrides: Partial<AdminClaim> = {}): AdminClaim {
  return {
    id: '8d3f2a10-4c5b-4e6d-8f70-9a1b2c3d4e5f',
    orderId: '3f1c9a8e-5b2d-4c71-9e0a-7d6b5c4a3f21',
    orderNumber: 'ORD-20261207-7RC9BKRB',
    userId: 'a1b2c3d4-0000-4000-8000-000000000001',
    type: 'RETURN',
    status: 'REQUESTED',
    reason: 'DEFECTIVE',
    detail: null,
    items: [
      {
        orderItemId: 1,
        skuId: 101,
        newSkuId: null,
        productName: '오버핏 후드',
        optionLabel: '블랙 / M',
        quantity: 1,
        refundAmount: 39_000,
        pointsRefund: 0,
      },
    ],
    refundAmount: 39_000,
    pointsRefund: 0,
    feeAmount: 0,
    pickupTrackingNumber: null,
    pickupCourierStatus: null,
    pickupCancelledAt: null,
    reshipTrackingNumber: null,
    rejectReason: null,
    createdAt: '2026-12-10T01:00:00.000Z',
    approvedAt: null,
    rejectedAt: null,
    collectedAt: null,
    completedAt: null,
    pickupUnderWay: null,
    ...overrides,
  };
}
