import { randomUUID } from 'node:crypto';
import {
  type ExchangeCompletedPayload,
  type ExchangeRequestedPayload,
  type NotificationServerMessage,
  type OrderCancelledPayload,
  type OrderPaidPayload,
  type OrderPlacedPayload,
  type PaymentRefundedPayload,
  type ReturnApprovedPayload,
  type ReturnCompletedPayload,
  type ReturnPickupCancelledPayload,
  type ReturnRejectedPayload,
  type ReturnRequestedPayload,
  type ShipmentDeliveredPayload,
  type ShipmentDispatchedPayload,
  type ShipmentKind,
  UserRegistered,
  UserUpdated,
  type UserUpdatedPayload,
} from '@sagamart/contracts';
import type { ConfigTree, Service } from '@sagamart/kit';
import { eventually, startTestService, uniqueName } from '@sagamart/testkit';
import { JsonSocket } from '@sagamart/testkit/json-socket';
import notificationService, { NOTIFYING_EVENTS, type NotificationDb } from '../src/index.ts';

export {
  asUser,
  EventProbe,
  eventsHandled,
  eventually,
  jsonClient,
  metricValue,
  scrapeMetrics,
} from '@sagamart/testkit';

/**
 * Config shared by every instance of one notification "deployment" under test: one service database
 * and one bus (or one RabbitMQ prefix). The transport part is given by the suite.
 */
export function deployment(transport: ConfigTree = {}, extra: ConfigTree = {}): ConfigTree {
  return {
    database: { name: uniqueName('t_notify') },
    bus: { database: uniqueName('t_bus'), pollMs: 200 },
    events: { baseDelayMs: 50 },
    ...transport,
    ...extra,
  };
}

export function startNotifications(config: ConfigTree): Promise<Service<NotificationDb>> {
  return startTestService(notificationService, { config });
}

let orders = 0;
/** A fresh order of a user: ids and the payloads of its events. */
export function anOrder(userId: string = randomUUID()) {
  orders += 1;
  const orderId = randomUUID();
  const orderNumber = `ORD-20261204-${String(orders).padStart(4, '0')}${randomUUID().slice(0, 4).toUpperCase()}`;
  const at = new Date().toISOString();
  const ref = { orderId, orderNumber, userId };
  return {
    ...ref,
    placed: (): OrderPlacedPayload => ({
      ...ref,
      version: 2,
      subtotal: 30_000,
      discountAmount: 0,
      pointsUsed: 0,
      payableAmount: 30_000,
      orderName: '티셔츠 외 1건',
      placedAt: at,
    }),
    paid: (): OrderPaidPayload => ({
      ...ref,
      version: 3,
      payableAmount: 30_000,
      paymentId: randomUUID(),
      paidAt: at,
      subtotal: 30_000,
      discountAmount: 0,
      pointsUsed: 0,
      couponId: null,
      items: [
        {
          orderItemId: 1,
          skuId: 1,
          productId: 1,
          productName: '티셔츠',
          skuCode: 'TS-BLK-L',
          optionLabel: '블랙 / L',
          quantity: 1,
          unitPrice: 30_000,
          lineAmount: 30_000,
          discountShare: 0,
          pointsShare: 0,
          payableShare: 30_000,
        },
      ],
      receiver: {
        name: '홍길동',
        phone: '010-1234-5678',
        zipCode: '06236',
        address: '서울특별시 강남구 테헤란로 1',
        addressDetail: null,
        memo: null,
      },
    }),
    cancelled: (reason: OrderCancelledPayload['reason'], wasPaid = false): OrderCancelledPayload => ({
      ...ref,
      version: 4,
      reason,
      payableAmount: 30_000,
      wasPaid,
      cancelledAt: at,
    }),
    /** payment-service's refund of the whole payment after the order was cancelled. */
    refunded: (): PaymentRefundedPayload => ({
      ...ref,
      paymentId: randomUUID(),
      paymentKey: `mpg_${randomUUID()}`,
      version: 3,
      amount: 30_000,
      reason: 'Order cancelled',
      refundedAt: at,
      claimId: null,
      refundedTotal: 30_000,
    }),
  };
}

type OrderRef = { orderId: string; orderNumber: string; userId: string };
const orderRef = ({ orderId, orderNumber, userId }: OrderRef): OrderRef => ({ orderId, orderNumber, userId });

/** A shipment of an order (as shipping-service publishes it): the payloads of its events. */
export function aShipment(order: OrderRef, kind: ShipmentKind = 'ORIGINAL') {
  const ref = {
    ...orderRef(order),
    shipmentId: randomUUID(),
    kind,
    claimId: kind === 'EXCHANGE' ? randomUUID() : null,
  };
  const at = new Date().toISOString();
  return {
    ...ref,
    dispatched: (): ShipmentDispatchedPayload => ({
      ...ref,
      version: 2,
      courier: '99',
      trackingNumber: '123456789012',
      dispatchedAt: at,
    }),
    delivered: (): ShipmentDeliveredPayload => ({
      ...ref,
      version: 4,
      trackingNumber: '123456789012',
      deliveredAt: at,
    }),
  };
}

/** A return or exchange claim of an order: the payloads of its events (one payload shape fits both). */
export function aClaim(order: OrderRef) {
  const ref = { ...orderRef(order), claimId: randomUUID() };
  const at = new Date().toISOString();
  const item = { orderItemId: 1, skuId: 1, quantity: 1 };
  const requested = { ...ref, version: 1, reason: 'DEFECTIVE' as const, detail: null, requestedAt: at };
  return {
    ...ref,
    returnRequested: (): ReturnRequestedPayload => ({ ...requested, items: [item] }),
    exchangeRequested: (): ExchangeRequestedPayload => ({ ...requested, items: [{ ...item, newSkuId: 2 }] }),
    /** Approved with a pickup waybill; approved again (a later version, a new waybill) after a cancelled pickup. */
    approved: (version = 2, pickupTrackingNumber = '223456789012'): ReturnApprovedPayload => ({
      ...ref,
      version,
      pickupTrackingNumber,
      approvedAt: at,
    }),
    pickupCancelled: (version: number, pickupTrackingNumber: string): ReturnPickupCancelledPayload => ({
      ...ref,
      version,
      pickupTrackingNumber,
      cancelledAt: at,
    }),
    rejected: (rejectReason: string): ReturnRejectedPayload => ({
      ...ref,
      version: 2,
      rejectReason,
      rejectedAt: at,
    }),
    returned: (refundAmount: number): ReturnCompletedPayload => ({
      ...ref,
      version: 4,
      items: [{ ...item, refundAmount, pointsRefund: 0 }],
      refundAmount,
      pointsRefund: 0,
      feeAmount: 0,
      restoreCoupon: false,
      couponId: null,
      wholeOrder: true,
      completedAt: at,
    }),
    exchanged: (): ExchangeCompletedPayload => ({
      ...ref,
      version: 5,
      trackingNumber: '323456789012',
      completedAt: at,
    }),
  };
}

/** Every event notification-service consumes, by contract name. */
export const events = { ...NOTIFYING_EVENTS, UserRegistered, UserUpdated };

export function registeredAdmin(userId: string = randomUUID()) {
  return {
    userId,
    version: 1,
    email: `${userId}@example.test`,
    name: '관리자',
    phone: null,
    role: 'ADMIN' as const,
    status: 'ACTIVE' as const,
    grade: 'NORMAL' as const,
    registeredAt: new Date().toISOString(),
  };
}

/** user-service's word that a registered admin is a shopper now (their version 2). */
export function demoted(admin: ReturnType<typeof registeredAdmin>): UserUpdatedPayload {
  const { registeredAt: _, ...snapshot } = admin;
  return { ...snapshot, version: 2, role: 'USER', changes: ['role'], updatedAt: new Date().toISOString() };
}

type Received = NotificationServerMessage;

/** One socket to /ws/notifications (straight to a service, or through the gateway). */
export class NotificationSocket extends JsonSocket<Received> {
  static direct(service: Service<unknown>, headers: Record<string, string>) {
    return new NotificationSocket(`${service.url.replace(/^http/, 'ws')}/ws/notifications`, headers);
  }

  async resume(since: number): Promise<void> {
    await this.opened;
    this.socket.send(JSON.stringify({ type: 'resume', since }));
  }

  get notifications() {
    return this.received.filter((m) => m.type === 'notification');
  }

  get seqs(): number[] {
    return this.notifications.map((n) => n.seq);
  }

  /** The read marks pushed to this socket, in order. */
  get reads() {
    return this.received.filter((m) => m.type === 'read');
  }

  /** Waits until the socket has received `count` notifications in all. */
  until(count: number, timeoutMs = 10_000) {
    return eventually(() => this.notifications.length >= count, timeoutMs);
  }
}

/**
 * A client as the web app behaves: on any close it reconnects (through `connect`) and resumes from
 * the highest seq it holds. Records every seq in arrival order across connections.
 */
export class ResumingClient {
  readonly seqs: number[] = [];
  readonly closeCodes: number[] = [];
  connections = 0;
  private current: NotificationSocket | undefined;
  private stopped = false;

  constructor(private readonly connect: () => NotificationSocket) {}

  get last(): number {
    return this.seqs.at(-1) ?? 0;
  }

  async start(): Promise<void> {
    await this.open();
  }

  private async open(): Promise<void> {
    for (let attempt = 0; !this.stopped && attempt < 50; attempt++) {
      const socket = this.connect();
      try {
        await socket.opened;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      this.connections += 1;
      this.current = socket;
      socket.socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as Received;
        if (message.type === 'notification') this.seqs.push(message.seq);
      });
      void socket.closed.then(({ code }) => {
        this.closeCodes.push(code);
        if (!this.stopped) void this.open();
      });
      await socket.resume(this.last);
      return;
    }
  }

  until(count: number, timeoutMs = 20_000) {
    return eventually(() => this.seqs.length >= count, timeoutMs);
  }

  stop(): void {
    this.stopped = true;
    this.current?.close();
  }
}
