import {
  ChatConversationAssigned,
  type ChatConversationAssignedPayload,
  ChatConversationOpened,
  ChatConversationResolved,
  type ClaimStatus,
  type EventContract,
  ExchangeApproved,
  ExchangeCollected,
  ExchangeCollecting,
  ExchangeCompleted,
  ExchangePickupCancelled,
  ExchangeRejected,
  ExchangeRequested,
  OrderCancelled,
  type OrderCancelledPayload,
  OrderPaid,
  type OrderPaidPayload,
  OrderPlaced,
  type OrderPlacedPayload,
  ProductCreated,
  ProductDeleted,
  type ProductDeletedPayload,
  type ProductSnapshot,
  ProductUpdated,
  ReturnApproved,
  ReturnCollecting,
  ReturnCompleted,
  type ReturnCompletedPayload,
  ReturnPickupCancelled,
  ReturnRejected,
  ReturnRequested,
  ShipmentDelivered,
  ShipmentDispatched,
  StockChanged,
  type StockChangedPayload,
} from '@sagamart/contracts';
import type { ConversationStatus } from '@sagamart/contracts/http/chat';
import type { AdminDashboard } from '@sagamart/contracts/http/dashboard';
import type { Kysely } from '@sagamart/kit';
import { claimOpen } from '../domain/dashboard.ts';
import type { DashboardStore } from '../infra/dashboard-store.ts';
import type { NotificationDb } from '../infra/schema.ts';

type Db = Kysely<NotificationDb>;

/** What a claim event tells the dashboard: the claim's status after it. */
const CLAIM_EVENTS: Record<string, { kind: 'RETURN' | 'EXCHANGE'; status: ClaimStatus }> = {
  [ReturnRequested.name]: { kind: 'RETURN', status: 'REQUESTED' },
  [ReturnApproved.name]: { kind: 'RETURN', status: 'APPROVED' },
  [ReturnRejected.name]: { kind: 'RETURN', status: 'REJECTED' },
  // The courier cancelled the pickup: the claim waits for the admin again.
  [ReturnPickupCancelled.name]: { kind: 'RETURN', status: 'REQUESTED' },
  [ReturnCollecting.name]: { kind: 'RETURN', status: 'COLLECTING' },
  [ReturnCompleted.name]: { kind: 'RETURN', status: 'COMPLETED' },
  [ExchangeRequested.name]: { kind: 'EXCHANGE', status: 'REQUESTED' },
  [ExchangeApproved.name]: { kind: 'EXCHANGE', status: 'APPROVED' },
  [ExchangeRejected.name]: { kind: 'EXCHANGE', status: 'REJECTED' },
  [ExchangePickupCancelled.name]: { kind: 'EXCHANGE', status: 'REQUESTED' },
  [ExchangeCollecting.name]: { kind: 'EXCHANGE', status: 'COLLECTING' },
  [ExchangeCollected.name]: { kind: 'EXCHANGE', status: 'RESHIPPING' },
  [ExchangeCompleted.name]: { kind: 'EXCHANGE', status: 'EXCHANGED' },
};

/** What a chat event tells the dashboard: the conversation's status after it. */
const CHAT_EVENTS: Record<string, ConversationStatus> = {
  [ChatConversationOpened.name]: 'WAITING',
  [ChatConversationAssigned.name]: 'OPEN',
  [ChatConversationResolved.name]: 'RESOLVED',
};

/**
 * What the dashboard hears beyond the events notification-service already consumes for notifications
 * (it reads those too: `apply` takes every event and ignores the ones it has no use for). The
 * topology's entry lists them all.
 */
export const DASHBOARD_ONLY_EVENTS: EventContract[] = [
  ProductCreated,
  ProductUpdated,
  ProductDeleted,
  StockChanged,
  ChatConversationOpened,
  ChatConversationAssigned,
  ChatConversationResolved,
  // A claim's steps that notify nobody but move its status on the dashboard.
  ReturnCollecting,
  ExchangeCollecting,
  ExchangeCollected,
];

/**
 * The admin's sales dashboard: a small read model of other services' events, written in the
 * consumer's transaction next to its inbox row (so each message counts once), and read per request.
 * Every write is order-safe (status ranks, versions): the figures do not depend on delivery order.
 */
export class SalesDashboard {
  constructor(
    private readonly store: DashboardStore,
    private readonly lowStockThreshold: () => number,
  ) {}

  /** Applies one event (any event notification-service consumes; those without a figure change nothing). */
  async apply(db: Db, event: string, payload: unknown): Promise<void> {
    const claim = CLAIM_EVENTS[event];
    if (claim) {
      const p = payload as {
        claimId: string;
        orderId: string;
        orderNumber: string;
        version: number;
        requestedAt?: string;
      };
      await this.store.applyClaim(db, {
        claimId: p.claimId,
        kind: claim.kind,
        orderId: p.orderId,
        orderNumber: p.orderNumber,
        status: claim.status,
        open: claimOpen(claim.status),
        version: p.version,
        requestedAt: p.requestedAt ? new Date(p.requestedAt) : undefined,
      });
      const completed = payload as ReturnCompletedPayload;
      if (event === ReturnCompleted.name && completed.wholeOrder)
        await this.store.applyOrder(db, {
          orderId: p.orderId,
          orderNumber: p.orderNumber,
          status: 'RETURNED',
        });
      return;
    }
    const chat = CHAT_EVENTS[event];
    if (chat) {
      const p = payload as Pick<ChatConversationAssignedPayload, 'conversationId' | 'version'>;
      await this.store.applyChat(db, { conversationId: p.conversationId, status: chat, version: p.version });
      return;
    }
    switch (event) {
      case OrderPlaced.name: {
        const p = payload as OrderPlacedPayload;
        await this.store.applyOrder(db, {
          orderId: p.orderId,
          orderNumber: p.orderNumber,
          status: 'PAYMENT_PENDING',
          amount: p.payableAmount,
          placedAt: new Date(p.placedAt),
        });
        return;
      }
      case OrderPaid.name: {
        const p = payload as OrderPaidPayload;
        await this.store.applyOrder(db, {
          orderId: p.orderId,
          orderNumber: p.orderNumber,
          status: 'PAID',
          amount: p.payableAmount,
          paidAt: new Date(p.paidAt),
        });
        await this.store.addOrderLines(
          db,
          p.orderId,
          p.items.map((i) => ({
            orderItemId: i.orderItemId,
            productId: i.productId,
            productName: i.productName,
            quantity: i.quantity,
            amount: i.payableShare,
          })),
        );
        return;
      }
      case OrderCancelled.name: {
        const p = payload as OrderCancelledPayload;
        await this.store.applyOrder(db, {
          orderId: p.orderId,
          orderNumber: p.orderNumber,
          status: 'CANCELLED',
        });
        return;
      }
      case ShipmentDispatched.name:
      case ShipmentDelivered.name: {
        const p = payload as { orderId: string; orderNumber: string; kind: string };
        // An exchange's new parcel is not the order's own delivery.
        if (p.kind !== 'ORIGINAL') return;
        const status = event === ShipmentDispatched.name ? 'SHIPPING' : 'DELIVERED';
        await this.store.applyOrder(db, { orderId: p.orderId, orderNumber: p.orderNumber, status });
        return;
      }
      case ProductCreated.name:
      case ProductUpdated.name:
        await this.applyProduct(db, payload as ProductSnapshot);
        return;
      case ProductDeleted.name: {
        const p = payload as ProductDeletedPayload;
        await this.store.productDeleted(db, p.productId, p.version);
        return;
      }
      case StockChanged.name: {
        const p = payload as StockChangedPayload;
        await this.store.applyStock(db, {
          skuId: p.skuId,
          productId: p.productId,
          skuCode: p.skuCode,
          stock: p.stock,
          version: p.version,
          occurredAt: new Date(p.occurredAt),
        });
        return;
      }
    }
  }

  private async applyProduct(db: Db, product: ProductSnapshot): Promise<void> {
    const productOnSale = product.status !== 'INACTIVE' && product.displayed && !product.deleted;
    const order = product.optionGroups.map((g) => g.name);
    const stockChangedAt = new Date(product.updatedAt);
    await this.store.applySkus(
      db,
      product.skus.map((sku) => ({
        skuId: sku.skuId,
        productId: product.productId,
        productName: product.name,
        skuCode: sku.skuCode,
        optionLabel: order
          .map((name) => sku.options[name])
          .filter(Boolean)
          .join(' / '),
        onSale: productOnSale && !sku.removed && sku.status !== 'INACTIVE',
        productVersion: product.version,
        stock: sku.stock,
        stockVersion: sku.stockVersion,
        stockChangedAt,
      })),
    );
  }

  read(db: Db, now = new Date()): Promise<AdminDashboard> {
    return this.store.read(db, now, this.lowStockThreshold());
  }
}
