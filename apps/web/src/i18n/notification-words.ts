import type { NotificationKind, OrderCancelReason } from '@sagamart/contracts';
import type { Wording } from './wording.ts';

/**
 * A notification's words from its kind and facts (contracts' NotificationFacts), so that it reads in
 * the reader's language. The Korean says what notification-service writes in `title` and `body`,
 * which stay for notifications recorded without facts and for other clients of the API.
 * `{{order}}` is "ORD-… 주문" / "order ORD-…", `{{Order}}` the same at the start of an English sentence.
 */
export const notificationWordsKo = {
  order: '{{number}} 주문',
  anOrder: '주문',
  kind: {
    ORDER_PLACED: {
      title: '주문이 접수되었습니다',
      body: '{{order}}이 접수되었습니다.',
      toPay: ' 결제하실 금액은 {{amount}}입니다.',
    },
    ORDER_PAID: {
      title: '결제가 완료되었습니다',
      body: '{{order}}의 결제가 완료되었습니다. 상품을 준비할게요.',
      bodyWithAmount: '{{order}}의 결제({{amount}})가 완료되었습니다. 상품을 준비할게요.',
    },
    PAYMENT_FAILED: {
      title: '결제에 실패했습니다',
      body: '{{order}}의 결제가 완료되지 않아 주문이 취소되었습니다.',
      points: ' 사용하신 포인트 {{pointsP}}도 돌려드립니다.',
    },
    ORDER_CANCELLED: {
      title: '주문이 취소되었습니다',
      body: '{{order}}이 취소되었습니다.',
      bodyBecause: '{{why}} {{order}}이 취소되었습니다.',
      refund: ' 결제하신 {{amount}}은 환불됩니다.',
      points: ' 사용하신 포인트 {{pointsP}}도 돌려드립니다.',
    },
    PAYMENT_REFUNDED: {
      title: '결제가 환불되었습니다',
      body: '{{order}}이 취소되어 결제하신 {{amount}}이 환불되었습니다.',
    },
    SHIPMENT_DISPATCHED: {
      title: '배송이 시작되었습니다',
      body: '{{order}}의 상품이 출발했습니다.',
      bodyExchange: '{{order}}의 교환 상품이 출발했습니다.',
    },
    SHIPMENT_DELIVERED: { title: '배송이 완료되었습니다', body: '{{order}}의 상품이 도착했습니다.' },
    RETURN_APPROVED: {
      title: '반품이 승인되었습니다',
      body: '{{order}}의 반품이 승인되었습니다. 상품을 회수하러 갈게요.',
    },
    RETURN_PICKUP_CANCELLED: {
      title: '반품 회수가 취소되었습니다',
      body: '택배사 사정으로 {{order}}의 반품 상품 회수가 취소되었습니다. 확인 후 다시 안내해 드릴게요.',
    },
    RETURN_REJECTED: {
      title: '반품이 거절되었습니다',
      body: '{{order}}의 반품이 거절되었습니다.',
      reason: ' 사유: {{reason}}',
    },
    RETURN_COMPLETED: {
      title: '반품이 완료되었습니다',
      body: '{{order}}의 반품이 완료되었습니다.',
      refund: ' {{amount}}이 환불됩니다.',
      points: ' 사용하신 포인트 {{pointsP}}도 돌려드립니다.',
    },
    EXCHANGE_APPROVED: {
      title: '교환이 승인되었습니다',
      body: '{{order}}의 교환이 승인되었습니다. 상품을 회수하러 갈게요.',
    },
    EXCHANGE_PICKUP_CANCELLED: {
      title: '교환 회수가 취소되었습니다',
      body: '택배사 사정으로 {{order}}의 교환 상품 회수가 취소되었습니다. 확인 후 다시 안내해 드릴게요.',
    },
    EXCHANGE_REJECTED: {
      title: '교환이 거절되었습니다',
      body: '{{order}}의 교환이 거절되었습니다.',
      reason: ' 사유: {{reason}}',
    },
    EXCHANGE_COMPLETED: {
      title: '교환이 완료되었습니다',
      body: '{{order}}의 교환 상품이 도착했습니다. 교환이 완료되었습니다.',
    },
    ADMIN_ORDER_PAID: {
      title: '새 주문이 결제되었습니다',
      body: '{{order}}이 결제되었습니다. 발송을 준비해 주세요.',
      bodyWithAmount: '{{order}}이 결제되었습니다 ({{amount}}). 발송을 준비해 주세요.',
    },
    ADMIN_CLAIM_REQUESTED: {
      titleReturn: '반품 요청이 접수되었습니다',
      titleExchange: '교환 요청이 접수되었습니다',
      bodyReturn: '{{order}}에 반품 요청이 들어왔습니다. 확인해 주세요.',
      bodyExchange: '{{order}}에 교환 요청이 들어왔습니다. 확인해 주세요.',
    },
  } satisfies Record<NotificationKind, object>,
  /** Why an order was cancelled, as the start of the sentence (ORDER_CANCELLED's bodyBecause). */
  cancelReason: {
    OUT_OF_STOCK: '재고가 부족하여',
    COUPON_UNAVAILABLE: '쿠폰을 사용할 수 없어',
    POINTS_INSUFFICIENT: '포인트가 부족하여',
    PAYMENT_FAILED: '결제가 완료되지 않아',
    PAYMENT_TIMEOUT: '결제 시간이 지나',
    USER_CANCELLED: '요청하신 대로',
    ADMIN_CANCELLED: '판매자 사정으로',
  } satisfies Record<OrderCancelReason, string>,
} as const;

export const notificationWordsEn: Wording<typeof notificationWordsKo> = {
  order: 'order {{number}}',
  anOrder: 'your order',
  kind: {
    ORDER_PLACED: {
      title: 'Order received',
      body: '{{Order}} has been received.',
      toPay: ' The amount to pay is {{amount}}.',
    },
    ORDER_PAID: {
      title: 'Payment complete',
      body: '{{Order}} is paid. We are getting it ready.',
      bodyWithAmount: '{{Order}} is paid ({{amount}}). We are getting it ready.',
    },
    PAYMENT_FAILED: {
      title: 'Payment failed',
      body: 'The payment for {{order}} did not go through, so the order was cancelled.',
      points: ' The {{points}} points you used are given back.',
    },
    ORDER_CANCELLED: {
      title: 'Order cancelled',
      body: '{{Order}} has been cancelled.',
      bodyBecause: '{{Order}} has been cancelled {{why}}.',
      refund: ' The {{amount}} you paid will be refunded.',
      points: ' The {{points}} points you used are given back.',
    },
    PAYMENT_REFUNDED: {
      title: 'Payment refunded',
      body: '{{Order}} was cancelled, and the {{amount}} you paid has been refunded.',
    },
    SHIPMENT_DISPATCHED: {
      title: 'Shipped',
      body: 'The items of {{order}} are on their way.',
      bodyExchange: 'The exchange item for {{order}} is on its way.',
    },
    SHIPMENT_DELIVERED: { title: 'Delivered', body: 'The items of {{order}} have arrived.' },
    RETURN_APPROVED: {
      title: 'Return approved',
      body: 'The return for {{order}} is approved. We will come to pick the items up.',
    },
    RETURN_PICKUP_CANCELLED: {
      title: 'Return pickup cancelled',
      body: 'The courier cancelled the pickup for the return of {{order}}. We will get back to you.',
    },
    RETURN_REJECTED: {
      title: 'Return declined',
      body: 'The return for {{order}} was declined.',
      reason: ' Reason: {{reason}}',
    },
    RETURN_COMPLETED: {
      title: 'Return complete',
      body: 'The return for {{order}} is complete.',
      refund: ' {{amount}} will be refunded.',
      points: ' The {{points}} points you used are given back.',
    },
    EXCHANGE_APPROVED: {
      title: 'Exchange approved',
      body: 'The exchange for {{order}} is approved. We will come to pick the item up.',
    },
    EXCHANGE_PICKUP_CANCELLED: {
      title: 'Exchange pickup cancelled',
      body: 'The courier cancelled the pickup for the exchange of {{order}}. We will get back to you.',
    },
    EXCHANGE_REJECTED: {
      title: 'Exchange declined',
      body: 'The exchange for {{order}} was declined.',
      reason: ' Reason: {{reason}}',
    },
    EXCHANGE_COMPLETED: {
      title: 'Exchange complete',
      body: 'The new item for {{order}} has arrived. The exchange is complete.',
    },
    ADMIN_ORDER_PAID: {
      title: 'New paid order',
      body: '{{Order}} is paid. Please prepare the shipment.',
      bodyWithAmount: '{{Order}} is paid ({{amount}}). Please prepare the shipment.',
    },
    ADMIN_CLAIM_REQUESTED: {
      titleReturn: 'Return requested',
      titleExchange: 'Exchange requested',
      bodyReturn: 'A return was requested for {{order}}. Please look at it.',
      bodyExchange: 'An exchange was requested for {{order}}. Please look at it.',
    },
  },
  cancelReason: {
    OUT_OF_STOCK: 'because an item ran out of stock',
    COUPON_UNAVAILABLE: 'because the coupon could not be used',
    POINTS_INSUFFICIENT: 'because there were not enough points',
    PAYMENT_FAILED: 'because the payment did not go through',
    PAYMENT_TIMEOUT: 'because the time to pay ran out',
    USER_CANCELLED: 'as you asked',
    ADMIN_CANCELLED: 'by the seller',
  },
};
