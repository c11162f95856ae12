import type { StepName } from '../domain/saga.ts';
import type { ItemRow, OrderRow } from '../infra/order-store.ts';
import type { Participants } from '../infra/participants.ts';

export interface StepOrder {
  order: OrderRow;
  items: ItemRow[];
}

/** One workflow step's participant calls: invoke (reserve), commit (paid) and compensate (release). */
export interface StepHandler {
  reserve(input: StepOrder): Promise<unknown>;
  commit(input: StepOrder): Promise<unknown>;
  compensate(input: StepOrder): Promise<unknown>;
}

/** The placeOrder steps, keyed by the names the pure workflow (domain/saga.ts) uses. */
export function sagaSteps(participants: Participants): Record<StepName, StepHandler> {
  return {
    stock: {
      reserve: ({ order, items }) =>
        participants.reserveStock({
          orderId: order.id,
          orderNumber: order.order_number,
          items: items.map((i) => ({ skuId: i.sku_id, quantity: i.quantity })),
        }),
      commit: ({ order }) => participants.stockStep(order.id, 'commit', { orderNumber: order.order_number }),
      compensate: ({ order }) =>
        participants.stockStep(order.id, 'release', { orderNumber: order.order_number }),
    },
    coupon: {
      reserve: ({ order }) =>
        participants.reserveCoupon({
          orderId: order.id,
          userId: order.user_id,
          couponId: order.coupon_id!,
          orderAmount: order.subtotal,
        }),
      commit: ({ order }) => participants.couponStep(order.id, 'commit'),
      compensate: ({ order }) => participants.couponStep(order.id, 'release'),
    },
    points: {
      reserve: ({ order }) =>
        participants.reservePoints({
          orderId: order.id,
          userId: order.user_id,
          amount: order.points_used,
          orderNumber: order.order_number,
        }),
      commit: ({ order }) => participants.pointsStep(order.id, 'commit'),
      compensate: ({ order }) => participants.pointsStep(order.id, 'release'),
    },
  };
}
