import type { ClaimType, CourierStatus } from '@sagamart/contracts';
import type {
  AdminClaimsQuery,
  AdminClaimView,
  AdminShipmentsQuery,
  AdminShipmentView,
  ClaimView,
  OrderClaimsView,
  OrderShippingView,
  ShipmentView,
} from '@sagamart/contracts/http/shipping';
import { fetchPage, type Identity, likeContains, notFound, type ServiceContext } from '@sagamart/kit';
import { claimableUntil } from '../domain/claim-rules.ts';
import type { ShippingDb } from '../infra/schema.ts';
import type { ShippingSettings } from './settings.ts';
import {
  type ClaimRow,
  fullAddress,
  hasOpenClaim,
  iso,
  type OrderRow,
  ownOrder,
  type ShipmentRow,
  whollyReturned,
} from './store.ts';

/** What shoppers and admins read: shipments with their tracking history, claims with their lines. */
export class ShippingReads {
  constructor(
    private readonly ctx: ServiceContext<ShippingDb>,
    private readonly settings: () => ShippingSettings,
  ) {}

  /** The original shipment and any exchange re-ship; 404 while there is none. */
  async orderShipping(identity: Identity, orderRef: string): Promise<OrderShippingView> {
    const order = await ownOrder(this.ctx.db, identity, orderRef);
    const rows = await this.ctx.db
      .selectFrom('shipments')
      .selectAll()
      .where('order_id', '=', order.order_id)
      .where('role', '!=', 'PICKUP')
      .orderBy('created_at')
      .execute();
    if (!rows.length) throw notFound(`주문 ${orderRef}의 배송 정보가 아직 없습니다.`);
    const open = await hasOpenClaim(this.ctx.db, order.order_id);
    const returned = await whollyReturned(this.ctx.db, order.order_id);
    const until = claimableUntil(
      { deliveredAt: order.delivered_at, confirmedAt: order.confirmed_at, hasOpenClaim: open },
      this.settings().returnWindowDays,
    );
    return {
      orderId: order.order_id,
      orderNumber: order.order_number,
      shipments: await this.shipmentViews(rows, order),
      deliveredAt: iso(order.delivered_at),
      confirmedAt: iso(order.confirmed_at),
      autoConfirmed: order.auto_confirmed,
      confirmable: !!order.delivered_at && !order.confirmed_at && !open && !returned,
      claimableUntil: !returned && until && until > new Date() ? until.toISOString() : null,
    };
  }

  async orderClaims(identity: Identity, orderRef: string): Promise<OrderClaimsView> {
    const order = await ownOrder(this.ctx.db, identity, orderRef);
    const claims = await this.ctx.db
      .selectFrom('claims')
      .selectAll()
      .where('order_id', '=', order.order_id)
      .orderBy('created_at', 'desc')
      .execute();
    return {
      orderId: order.order_id,
      orderNumber: order.order_number,
      claims: await this.claimViews(claims),
    };
  }

  async claim(claimId: string): Promise<ClaimView> {
    const row = await this.ctx.db
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow();
    return (await this.claimViews([row]))[0]!;
  }

  async adminShipments(query: AdminShipmentsQuery) {
    let filtered = this.ctx.db
      .selectFrom('shipments')
      .innerJoin('orders', 'orders.order_id', 'shipments.order_id')
      .where('shipments.role', '!=', 'PICKUP');
    if (query.status) filtered = filtered.where('shipments.status', '=', query.status);
    if (query.courierStatus) filtered = filtered.where('shipments.courier_status', '=', query.courierStatus);
    if (query.kind) filtered = filtered.where('shipments.role', '=', query.kind);
    if (query.orderNumber)
      filtered = filtered.where('orders.order_number', 'ilike', likeContains(query.orderNumber));
    if (query.trackingNumber)
      filtered = filtered.where('shipments.tracking_number', '=', query.trackingNumber);
    return fetchPage(
      filtered,
      (q) => q.selectAll('shipments').orderBy('shipments.created_at', 'desc').orderBy('shipments.id'),
      query,
      (rows: ShipmentRow[]) => this.adminShipmentViews(rows),
    );
  }

  /** One shipment as the admin's list shows it (any kind). */
  async adminShipment(shipmentId: string): Promise<AdminShipmentView> {
    const row = await this.ctx.db
      .selectFrom('shipments')
      .selectAll()
      .where('id', '=', shipmentId)
      .executeTakeFirstOrThrow();
    return (await this.adminShipmentViews([row]))[0]!;
  }

  private async adminShipmentViews(rows: ShipmentRow[]): Promise<AdminShipmentView[]> {
    const orders = await this.orders(rows.map((r) => r.order_id));
    const views = await this.shipmentViews(rows);
    return views.map((v, i) => {
      const row = rows[i]!;
      return {
        ...v,
        userId: orders.get(row.order_id)?.user_id ?? '',
        receiverPhone: row.receiver.phone,
        address: fullAddress(row.receiver),
        dispatchFailure: row.dispatch_failed_at
          ? {
              code: row.dispatch_error_code ?? 'REJECTED',
              message: row.dispatch_error ?? '',
              failedAt: row.dispatch_failed_at.toISOString(),
            }
          : null,
        trackingFailure: row.tracking_failed_at
          ? {
              code: row.tracking_error_code ?? 'REJECTED',
              message: row.tracking_error ?? '',
              failedAt: row.tracking_failed_at.toISOString(),
            }
          : null,
      };
    });
  }

  async adminClaims(type: ClaimType, query: AdminClaimsQuery) {
    let filtered = this.ctx.db
      .selectFrom('claims')
      .innerJoin('orders', 'orders.order_id', 'claims.order_id')
      .where('claims.type', '=', type);
    if (query.status) filtered = filtered.where('claims.status', '=', query.status);
    if (query.orderNumber)
      filtered = filtered.where('orders.order_number', 'ilike', likeContains(query.orderNumber));
    return fetchPage(
      filtered,
      (q) => q.selectAll('claims').orderBy('claims.created_at', 'desc').orderBy('claims.id'),
      query,
      async (rows: ClaimRow[]): Promise<AdminClaimView[]> => {
        const views = await this.claimViews(rows);
        return views.map((v, i) => {
          const row = rows[i]!;
          return {
            ...v,
            userId: row.user_id,
            pickupUnderWay:
              row.pickup_booking && row.pickup_under_way_at && row.pickup_under_way_tracking_number
                ? {
                    trackingNumber: row.pickup_under_way_tracking_number,
                    courierStatus: (row.pickup_under_way_courier_status as CourierStatus | null) ?? null,
                    seenAt: row.pickup_under_way_at.toISOString(),
                  }
                : null,
          };
        });
      },
    );
  }

  private async orders(ids: string[]): Promise<Map<string, OrderRow>> {
    if (!ids.length) return new Map();
    const rows = await this.ctx.db
      .selectFrom('orders')
      .selectAll()
      .where('order_id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.order_id, r]));
  }

  private async shipmentViews(rows: ShipmentRow[], known?: OrderRow): Promise<ShipmentView[]> {
    if (!rows.length) return [];
    const orders = known
      ? new Map([[known.order_id, known]])
      : await this.orders(rows.map((r) => r.order_id));
    const events = await this.ctx.db
      .selectFrom('tracking_events')
      .selectAll()
      .where(
        'shipment_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('shipment_id')
      .orderBy('seq')
      .execute();
    const { courierName } = this.settings();
    return rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      orderNumber: orders.get(row.order_id)?.order_number ?? '',
      kind: row.role === 'EXCHANGE' ? 'EXCHANGE' : 'ORIGINAL',
      claimId: row.claim_id,
      status: row.status,
      courierStatus: row.courier_status,
      courierName: row.tracking_number ? courierName : null,
      trackingNumber: row.tracking_number,
      receiverName: row.receiver.name,
      goodsName: row.goods_name,
      history: events
        .filter((e) => e.shipment_id === row.id)
        .map((e) => ({ status: e.status, where: e.location, remark: e.remark, at: e.at.toISOString() })),
      createdAt: row.created_at.toISOString(),
      dispatchedAt: iso(row.dispatched_at),
      deliveredAt: iso(row.delivered_at),
      cancelledAt: iso(row.cancelled_at),
    }));
  }

  private async claimViews(rows: ClaimRow[]): Promise<ClaimView[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const [items, shipments, orders] = await Promise.all([
      this.ctx.db
        .selectFrom('claim_items')
        .innerJoin('order_lines', 'order_lines.order_item_id', 'claim_items.order_item_id')
        .select([
          'claim_items.claim_id',
          'claim_items.order_item_id',
          'claim_items.sku_id',
          'claim_items.new_sku_id',
          'claim_items.quantity',
          'claim_items.refund_amount',
          'claim_items.points_refund',
          'order_lines.product_name',
          'order_lines.option_label',
        ])
        .where('claim_items.claim_id', 'in', ids)
        .orderBy('claim_items.order_item_id')
        .execute(),
      this.ctx.db
        .selectFrom('shipments')
        .select(['claim_id', 'role', 'tracking_number', 'courier_status'])
        .where('claim_id', 'in', ids)
        .orderBy('created_at')
        .execute(),
      this.orders(rows.map((r) => r.order_id)),
    ]);
    return rows.map((row) => {
      // The latest pickup: a claim approved again after a cancelled pickup has a new one.
      const pickup = shipments.findLast((s) => s.claim_id === row.id && s.role === 'PICKUP');
      const reship = shipments.find((s) => s.claim_id === row.id && s.role === 'EXCHANGE');
      return {
        id: row.id,
        orderId: row.order_id,
        orderNumber: orders.get(row.order_id)?.order_number ?? '',
        type: row.type,
        status: row.status,
        reason: row.reason,
        detail: row.detail,
        items: items
          .filter((i) => i.claim_id === row.id)
          .map((i) => ({
            orderItemId: i.order_item_id,
            skuId: i.sku_id,
            newSkuId: i.new_sku_id,
            productName: i.product_name,
            optionLabel: i.option_label,
            quantity: i.quantity,
            refundAmount: i.refund_amount,
            pointsRefund: i.points_refund,
          })),
        refundAmount: row.refund_amount,
        pointsRefund: row.points_refund,
        feeAmount: row.fee_amount,
        pickupTrackingNumber: pickup?.tracking_number ?? null,
        pickupCourierStatus: pickup && pickup.courier_status !== 'NOT_SENT' ? pickup.courier_status : null,
        reshipTrackingNumber: reship?.tracking_number ?? null,
        pickupCancelledAt: iso(row.pickup_cancelled_at),
        rejectReason: row.reject_reason,
        createdAt: row.created_at.toISOString(),
        approvedAt: iso(row.approved_at),
        rejectedAt: iso(row.rejected_at),
        collectedAt: iso(row.collected_at),
        completedAt: iso(row.completed_at),
      };
    });
  }
}
